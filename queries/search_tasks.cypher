// title: Search tasks
// purpose: Tasks ranked by how many of the query's words (jieba-segmented, two characters or more) occur in their title or text; ties by plan, then task number. On Neo4j the 'task_search' full-text index (CJK analyzer) finds the candidates first (search_tasks.neo4j.cypher); the words are counted the same way on both engines.
// param: q (query) — words to search for; Chinese is segmented with jieba, example: 集成电路 人工智能
// param: limit (int 1..500, 50) — at most this many rows, example: 20
// order: score desc, plan, number, id
// list: matched by at keep word
UNWIND $q AS term
MATCH (t:Task)
WHERE t.title CONTAINS term.word OR t.text CONTAINS term.word
WITH t, collect(term) AS matched
RETURN t.plan_id AS plan, t.number AS number, t.title AS title, size(matched) AS score,
       matched, t.id AS id
ORDER BY score DESC, plan, number, id
LIMIT $limit
