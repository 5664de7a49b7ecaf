// title: Tasks by region
// purpose: Every task that mentions a place or a place inside it (九亭镇 inside 松江区; 临港松江科技城 inside the G60 corridor where the lexicon says so).
// param: region (string) — a place name or id, example: 松江区
MATCH (root:Region)
WHERE root.id = $region OR root.name = $region
MATCH (r:Region)-[:PART_OF*0..]->(root)
WITH collect(DISTINCT r) AS regions
MATCH (t:Task)-[:MENTIONS]->(r:Region)
WHERE r IN regions
WITH DISTINCT t, regions
RETURN t.plan_id AS plan, t.number AS number, t.title AS title,
       COLLECT {
         MATCH (t)-[:MENTIONS]->(x:Region) WHERE x IN regions
         RETURN DISTINCT x.name AS n ORDER BY n
       } AS places,
       t.id AS id
ORDER BY plan, number, id
