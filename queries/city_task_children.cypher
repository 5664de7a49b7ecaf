// title: Children of a city task
// purpose: Every task, across all loaded child (district) plans, that implements one task of a parent (city) plan, with its score, status, method and evidence.
// columns: child_region, child_number, child_title, score, status
// param: plan (plan) — the parent plan: id, document number or region, example: 沪府办发〔2023〕8号
// param: task (int) — the parent task's number, example: 7
// order: parent_plan, parent_number, child_plan, child_number, child_id
MATCH (p:Plan {id: $plan})-[:HAS_ACTION]->(:Action)-[:HAS_TASK]->(pt:Task {number: $task})
MATCH (ct:Task)-[l:ALIGNS_WITH]->(pt)
MATCH (cp:Plan {id: ct.plan_id})
RETURN pt.plan_id AS parent_plan, pt.number AS parent_number, pt.title AS parent_title,
       cp.id AS child_plan, cp.region AS child_region, ct.number AS child_number,
       ct.title AS child_title, l.score AS score, l.status AS status, l.method AS method,
       l.evidence AS evidence, ct.id AS child_id
