// title: Plan overview
// purpose: A plan at a glance: its goals, each action group followed by its tasks, and its safeguard measures, with counts of tasks, targets and (directly listed) owners.
// param: plan (plan) — the plan id, its document number (spaces allowed) or its region, example: 松江区
MATCH (p:Plan)
WHERE p.id = $plan OR p.doc_key = replace($plan, ' ', '') OR (p.region = $plan AND NOT p.stub)
CALL (p) {
  MATCH (p)-[:HAS_GOAL]->(g:Goal)
  RETURN 1 AS rank, 'goal' AS kind, g.order AS section, null AS number, g.id AS id,
         g.title AS title, null AS tasks, COUNT { (g)-[:HAS_INDICATOR]->() } AS indicators,
         null AS owners
  UNION ALL
  MATCH (p)-[:HAS_ACTION]->(a:Action)
  RETURN 2 AS rank, 'action' AS kind, a.order AS section, null AS number, a.id AS id,
         a.title AS title, COUNT { (a)-[:HAS_TASK]->() } AS tasks, null AS indicators,
         null AS owners
  UNION ALL
  MATCH (p)-[:HAS_ACTION]->(a:Action)-[:HAS_TASK]->(t:Task)
  RETURN 2 AS rank, 'task' AS kind, a.order AS section, t.number AS number, t.id AS id,
         t.title AS title, null AS tasks, COUNT { (t)-[:HAS_INDICATOR]->() } AS indicators,
         COUNT { (t)<-[r:RESPONSIBLE_FOR]-() WHERE r.via IS NULL } AS owners
  UNION ALL
  MATCH (p)-[:HAS_MEASURE]->(m:Measure)
  RETURN 3 AS rank, 'measure' AS kind, m.order AS section, null AS number, m.id AS id,
         m.title AS title, null AS tasks, COUNT { (m)-[:HAS_INDICATOR]->() } AS indicators,
         COUNT { (m)<-[r:RESPONSIBLE_FOR]-() WHERE r.via IS NULL } AS owners
}
RETURN p.id AS plan, kind, section, number, title, tasks, indicators, owners, id
ORDER BY plan, rank, section, coalesce(number, 0), id
