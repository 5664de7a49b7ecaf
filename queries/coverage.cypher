// title: Coverage of a parent plan
// purpose: The parent (city) plan's tasks against every loaded plan that implements it: one row per parent task and child plan, with the child tasks implementing that task (rejected links left out). A parent task appears once with a null child plan when no loaded plan implements the parent.
// columns: number, title, child_region, implemented_by, child_tasks
// param: plan (plan) — the parent plan: id, document number or region, example: 上海市
// order: action_order, number, id, child_title, child_plan
// list: child_tasks by number, id
MATCH (p:Plan {id: $plan})-[:HAS_ACTION]->(a:Action)-[:HAS_TASK]->(pt:Task)
OPTIONAL MATCH (c:Plan)-[:IMPLEMENTS]->(p)
WHERE NOT coalesce(c.stub, false)
OPTIONAL MATCH (ct:Task)-[l:ALIGNS_WITH]->(pt)
WHERE ct.plan_id = c.id AND coalesce(l.status, '') <> 'rejected'
WITH p, a, pt, c,
     collect(CASE WHEN ct IS NOT NULL THEN
       {id: ct.id, number: ct.number, title: ct.title, score: l.score, status: l.status} END)
       AS child_tasks
RETURN p.id AS plan, a.`order` AS action_order, a.title AS action, pt.number AS number,
       pt.title AS title, c.id AS child_plan, c.title AS child_title, c.region AS child_region,
       size(child_tasks) AS implemented_by, child_tasks, pt.id AS id
