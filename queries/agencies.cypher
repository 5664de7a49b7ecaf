// title: Agencies
// purpose: Every agency (责任单位) with its full name, level, kind, region, aliases, its counterparts at the other level (区经委 ↔ 市经济信息化委, both directions), the plans it is on, and its workload over all plans: tasks it leads and co-owns when listed by name, tasks it holds through a collective line (各区政府), and safeguard measures.
MATCH (a:Agency)
RETURN a.id AS id, a.name AS name, a.full_name AS full_name, a.level AS level, a.kind AS kind,
       a.region AS region, coalesce(a.aliases, []) AS aliases,
       COLLECT {
         MATCH (a)-[:COUNTERPART_OF]-(c:Agency) RETURN DISTINCT c.name AS c_name ORDER BY c_name
       } AS counterparts,
       COLLECT {
         MATCH (a)-[:RESPONSIBLE_FOR]->(item)
         WHERE (item:Task OR item:Measure) AND item.plan_id IS NOT NULL
         RETURN DISTINCT item.plan_id AS plan ORDER BY plan
       } AS plans,
       COUNT { (a)-[r:RESPONSIBLE_FOR]->(:Task) WHERE r.via IS NULL AND r.role = 'lead' } AS led,
       COUNT { (a)-[r:RESPONSIBLE_FOR]->(:Task) WHERE r.via IS NULL AND r.role <> 'lead' }
         AS co_owned,
       COUNT { (a)-[r:RESPONSIBLE_FOR]->(:Task) WHERE r.via IS NOT NULL } AS via_collective,
       COUNT { (a)-[:RESPONSIBLE_FOR]->(:Measure) } AS measures
ORDER BY id
