// The index finds candidate tasks; the words are then counted exactly as in search_tasks.cypher.
WITH $q AS terms,
     reduce(s = '', term IN $q | s + CASE WHEN s = '' THEN '' ELSE ' OR ' END
       + '"' + replace(replace(term.word, '\\', ''), '"', '') + '"') AS lucene
CALL db.index.fulltext.queryNodes('task_search', lucene) YIELD node
WITH DISTINCT node AS t, terms
UNWIND terms AS term
WITH t, term
WHERE t.title CONTAINS term.word OR t.text CONTAINS term.word
WITH t, collect(term) AS matched
RETURN t.plan_id AS plan, t.number AS number, t.title AS title, size(matched) AS score,
       matched, t.id AS id
ORDER BY score DESC, plan, number, id
LIMIT $limit
