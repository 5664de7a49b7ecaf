// title: Tasks by agency
// purpose: Every task and safeguard measure an agency (责任单位) is on, as lead or co-owner: directly listed, through a collective line it belongs to (各区政府 includes 松江区政府), and optionally what its counterpart at the other level owns (区经委 ↔ 市经济信息化委).
// columns: agency, plan, kind, number, title, role, via
// param: agency (agency) — the agency's name as written, its full name, an alias or its id, example: 区经委
// param: include_collective (bool, true) — also items owned through a collective line, example: true
// param: include_counterparts (bool, false) — also items directly owned by the agency's counterpart, example: false
// order: plan, kind, number, id, agency, via, through
MATCH (a:Agency {id: $agency})-[r:RESPONSIBLE_FOR]->(item:Task)
WHERE r.via IS NULL OR $include_collective
RETURN a.name AS agency, item.plan_id AS plan, 'task' AS kind, item.number AS number,
       item.title AS title, r.role AS role,
       CASE WHEN r.via IS NULL THEN 'direct' ELSE 'collective' END AS via, r.via AS through,
       item.id AS id
UNION
MATCH (a:Agency {id: $agency})-[r:RESPONSIBLE_FOR]->(item:Measure)
WHERE r.via IS NULL OR $include_collective
RETURN a.name AS agency, item.plan_id AS plan, 'measure' AS kind, item.`order` AS number,
       item.title AS title, r.role AS role,
       CASE WHEN r.via IS NULL THEN 'direct' ELSE 'collective' END AS via, r.via AS through,
       item.id AS id
UNION
MATCH (a:Agency {id: $agency})-[:COUNTERPART_OF]-(c:Agency)-[r:RESPONSIBLE_FOR]->(item:Task)
WHERE $include_counterparts AND r.via IS NULL
RETURN a.name AS agency, item.plan_id AS plan, 'task' AS kind, item.number AS number,
       item.title AS title, r.role AS role, 'counterpart' AS via, c.name AS through,
       item.id AS id
UNION
MATCH (a:Agency {id: $agency})-[:COUNTERPART_OF]-(c:Agency)-[r:RESPONSIBLE_FOR]->(item:Measure)
WHERE $include_counterparts AND r.via IS NULL
RETURN a.name AS agency, item.plan_id AS plan, 'measure' AS kind, item.`order` AS number,
       item.title AS title, r.role AS role, 'counterpart' AS via, c.name AS through,
       item.id AS id
