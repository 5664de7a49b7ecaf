// title: Tasks by region
// purpose: Every task that mentions a place or a place inside it (九亭镇 inside 松江区; 临港松江科技城 inside the G60 corridor where the lexicon says so).
// param: region (string) — a place name or id, example: 松江区
// order: plan, number, id
// list: places
MATCH (root:Region)
WHERE root.id = $region OR root.name = $region
MATCH (r:Region)-[:PART_OF*0..]->(root)
WITH collect(DISTINCT r.id) AS within
MATCH (t:Task)-[:MENTIONS]->(r:Region)
WHERE r.id IN within
WITH t, collect(DISTINCT r.name) AS places
RETURN t.plan_id AS plan, t.number AS number, t.title AS title, places, t.id AS id
