// title: Search tasks
// purpose: Tasks ranked by how many of the query's words (jieba-segmented, two characters or more) occur in their title or text; ties by plan, then task number. Uses the 'task_search' full-text index (CJK analyzer) to find candidates, then counts the matched words exactly, so it agrees with the embedded store.
// param: q (query) — words to search for; Chinese is segmented with jieba, example: 集成电路 人工智能
// param: limit (int 1..500, 50) — at most this many rows, example: 20
WITH [w IN split($q, ' ') WHERE size(w) > 1 | replace(replace(w, '"', ''), '\\', '')] AS words
WHERE size(words) > 0
WITH words,
     reduce(s = '', w IN words | s + CASE WHEN s = '' THEN '' ELSE ' OR ' END + '"' + w + '"')
       AS lucene
CALL db.index.fulltext.queryNodes('task_search', lucene) YIELD node
WITH DISTINCT node AS t, words
WITH t, [w IN words WHERE t.title CONTAINS w OR t.text CONTAINS w] AS matched
WHERE size(matched) > 0
RETURN t.plan_id AS plan, t.number AS number, t.title AS title, size(matched) AS score,
       matched, t.id AS id
ORDER BY score DESC, plan, number, id
LIMIT $limit
