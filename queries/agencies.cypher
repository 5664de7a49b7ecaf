// title: Agencies
// purpose: Every agency (责任单位) with its full name, level, kind, region, aliases, its counterparts at the other level (区经委 ↔ 市经济信息化委, both directions), the plans it is on, and its workload over all plans: tasks it leads and co-owns when listed by name, tasks it holds through a collective line (各区政府), and safeguard measures.
// columns: name, full_name, level, region, led, co_owned, measures
// order: id
// list: counterparts
// list: plans
MATCH (a:Agency)
OPTIONAL MATCH (a)-[:COUNTERPART_OF]-(c:Agency)
WITH a, collect(DISTINCT c.name) AS counterparts
OPTIONAL MATCH (a)-[:RESPONSIBLE_FOR]->(item)
WITH a, counterparts, collect(DISTINCT item.plan_id) AS plans
RETURN a.id AS id, a.name AS name, a.full_name AS full_name, a.level AS level, a.kind AS kind,
       a.region AS region, coalesce(a.aliases, []) AS aliases, counterparts, plans,
       COUNT {
         MATCH (a)-[r:RESPONSIBLE_FOR]->(:Task) WHERE r.via IS NULL AND r.role = 'lead'
       } AS led,
       COUNT {
         MATCH (a)-[r:RESPONSIBLE_FOR]->(:Task) WHERE r.via IS NULL AND r.role <> 'lead'
       } AS co_owned,
       COUNT { MATCH (a)-[r:RESPONSIBLE_FOR]->(:Task) WHERE r.via IS NOT NULL } AS via_collective,
       COUNT { MATCH (a)-[:RESPONSIBLE_FOR]->(:Measure) } AS measures
