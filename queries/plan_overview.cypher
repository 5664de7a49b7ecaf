// title: Plan overview
// purpose: A plan at a glance: its goals, each action group followed by its tasks, and its safeguard measures, with counts of tasks, targets and (directly listed) owners.
// columns: kind, section, number, title, tasks, indicators, owners
// param: plan (plan) — the plan id, its document number (spaces allowed) or its region, example: 松江区
// order: plan, rank, section, number nulls first, id
// `CASE WHEN false THEN 0 END` is a null of a column's type, which a UNION needs on LadybugDB.
MATCH (p:Plan {id: $plan})-[:HAS_GOAL]->(g:Goal)
RETURN p.id AS plan, 1 AS rank, 'goal' AS kind, g.`order` AS section,
       CASE WHEN false THEN 0 END AS number, g.title AS title,
       CASE WHEN false THEN 0 END AS tasks,
       COUNT { MATCH (g)-[:HAS_INDICATOR]->(:Indicator) } AS indicators,
       CASE WHEN false THEN 0 END AS owners, g.id AS id
UNION ALL
MATCH (p:Plan {id: $plan})-[:HAS_ACTION]->(a:Action)
RETURN p.id AS plan, 2 AS rank, 'action' AS kind, a.`order` AS section,
       CASE WHEN false THEN 0 END AS number, a.title AS title,
       COUNT { MATCH (a)-[:HAS_TASK]->(:Task) } AS tasks,
       CASE WHEN false THEN 0 END AS indicators, CASE WHEN false THEN 0 END AS owners,
       a.id AS id
UNION ALL
MATCH (p:Plan {id: $plan})-[:HAS_ACTION]->(a:Action)-[:HAS_TASK]->(t:Task)
RETURN p.id AS plan, 2 AS rank, 'task' AS kind, a.`order` AS section, t.number AS number,
       t.title AS title, CASE WHEN false THEN 0 END AS tasks,
       COUNT { MATCH (t)-[:HAS_INDICATOR]->(:Indicator) } AS indicators,
       COUNT { MATCH (t)<-[r:RESPONSIBLE_FOR]-(:Agency) WHERE r.via IS NULL } AS owners,
       t.id AS id
UNION ALL
MATCH (p:Plan {id: $plan})-[:HAS_MEASURE]->(m:Measure)
RETURN p.id AS plan, 3 AS rank, 'measure' AS kind, m.`order` AS section,
       CASE WHEN false THEN 0 END AS number, m.title AS title,
       CASE WHEN false THEN 0 END AS tasks,
       COUNT { MATCH (m)-[:HAS_INDICATOR]->(:Indicator) } AS indicators,
       COUNT { MATCH (m)<-[r:RESPONSIBLE_FOR]-(:Agency) WHERE r.via IS NULL } AS owners,
       m.id AS id
