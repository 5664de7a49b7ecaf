// title: Tasks by agency
// purpose: Every task and safeguard measure an agency (责任单位) is on, as lead or co-owner: directly listed, through a collective line it belongs to (各区政府 includes 松江区政府), and optionally what its counterpart at the other level owns (区经委 ↔ 市经济信息化委).
// param: agency (string) — the agency's name as written, its full name or its id, example: 区经委
// param: include_collective (bool, true) — also items owned through a collective line, example: true
// param: include_counterparts (bool, false) — also items directly owned by the agency's counterpart, example: false
MATCH (a:Agency)
WHERE a.id = $agency OR a.name = $agency OR a.full_name = $agency
   OR $agency IN coalesce(a.aliases, [])
CALL (a) {
  MATCH (a)-[r:RESPONSIBLE_FOR]->(item)
  WHERE r.via IS NULL OR $include_collective
  RETURN item, r.role AS role, CASE WHEN r.via IS NULL THEN 'direct' ELSE 'collective' END AS via,
         r.via AS through
  UNION
  MATCH (a)-[:COUNTERPART_OF]-(c:Agency)-[r:RESPONSIBLE_FOR]->(item)
  WHERE $include_counterparts AND r.via IS NULL
  RETURN item, r.role AS role, 'counterpart' AS via, c.name AS through
}
RETURN a.name AS agency, item.plan_id AS plan,
       CASE WHEN item:Task THEN 'task' ELSE 'measure' END AS kind,
       coalesce(item.number, item.order) AS number, item.title AS title, role, via, through,
       item.id AS id
ORDER BY plan, kind, number, id, agency, via, through
