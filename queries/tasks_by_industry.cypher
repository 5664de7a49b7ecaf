// title: Tasks by industry
// purpose: Every task that targets an industry or one of its sub-industries (集成电路 under 电子信息), or any industry of a grouping (三大先导产业) as the task's own plan counts it (a district's cluster list only for that district's tasks).
// param: industry (string) — an industry name, id or grouping, example: 集成电路
// order: plan, number, id
// list: industries
OPTIONAL MATCH (root:Industry)
WHERE root.id = $industry OR root.name = $industry
OPTIONAL MATCH (i:Industry)-[:PART_OF*0..]->(root)
WITH collect(DISTINCT i.id) AS within
MATCH (t:Task)-[g:TARGETS]->(i:Industry)
WHERE i.id IN within OR $industry IN g.groupings
WITH t, collect(DISTINCT i.name) AS industries
RETURN t.plan_id AS plan, t.number AS number, t.title AS title, industries, t.id AS id
