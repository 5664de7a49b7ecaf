// title: District to city
// purpose: Every task of a child (district) plan with the parent (city) task or tasks it implements, the score, status, method and evidence; then child tasks with no parent (status 'no parent') and parent tasks no child task picks up (status 'no child'). Rejected links are listed with their status and do not count as alignment.
// columns: child_number, child_title, parent_number, parent_title, score, status
// param: plan (plan) — the child plan: id, document number or region, example: 松江区
// order: plan, child_number, child_id, parent_plan, parent_number, parent_id
// `CASE WHEN false THEN … END` is a null of a column's type, which a UNION needs on LadybugDB.
MATCH (c:Plan {id: $plan})-[:HAS_ACTION]->(:Action)-[:HAS_TASK]->(ct:Task)
MATCH (ct)-[l:ALIGNS_WITH]->(pt:Task)
RETURN c.id AS plan, ct.number AS child_number, ct.title AS child_title,
       pt.plan_id AS parent_plan, pt.number AS parent_number, pt.title AS parent_title,
       l.score AS score, l.status AS status, l.method AS method, l.evidence AS evidence,
       ct.id AS child_id, pt.id AS parent_id
UNION ALL
MATCH (c:Plan {id: $plan})-[:HAS_ACTION]->(:Action)-[:HAS_TASK]->(ct:Task)
WHERE NOT EXISTS {
  MATCH (ct)-[l:ALIGNS_WITH]->(:Task) WHERE coalesce(l.status, '') <> 'rejected'
}
RETURN c.id AS plan, ct.number AS child_number, ct.title AS child_title,
       CASE WHEN false THEN '' END AS parent_plan, CASE WHEN false THEN 0 END AS parent_number,
       CASE WHEN false THEN '' END AS parent_title, CASE WHEN false THEN 0.0 END AS score,
       'no parent' AS status, CASE WHEN false THEN '' END AS method,
       CASE WHEN false THEN [''] END AS evidence, ct.id AS child_id,
       CASE WHEN false THEN '' END AS parent_id
UNION ALL
MATCH (c:Plan {id: $plan})-[:IMPLEMENTS]->(:Plan)-[:HAS_ACTION]->(:Action)-[:HAS_TASK]->(pt:Task)
WHERE NOT EXISTS {
  MATCH (pt)<-[l:ALIGNS_WITH]-(ct:Task)
  WHERE ct.plan_id = c.id AND coalesce(l.status, '') <> 'rejected'
}
RETURN c.id AS plan, CASE WHEN false THEN 0 END AS child_number,
       CASE WHEN false THEN '' END AS child_title, pt.plan_id AS parent_plan,
       pt.number AS parent_number, pt.title AS parent_title,
       CASE WHEN false THEN 0.0 END AS score, 'no child' AS status,
       CASE WHEN false THEN '' END AS method, CASE WHEN false THEN [''] END AS evidence,
       CASE WHEN false THEN '' END AS child_id, pt.id AS parent_id
