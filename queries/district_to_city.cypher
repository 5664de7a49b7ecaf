// title: District to city
// purpose: Every task of a child (district) plan with the parent (city) task or tasks it implements, the score, status, method and evidence; then child tasks with no parent (status 'no parent') and parent tasks no child task picks up (status 'no child'). Rejected links are listed with their status and do not count as alignment.
// param: plan (plan) — the child plan: id, document number or region, example: 松江区
MATCH (c:Plan)
WHERE c.id = $plan OR c.doc_key = replace($plan, ' ', '') OR (c.region = $plan AND NOT c.stub)
CALL (c) {
  MATCH (c)-[:HAS_ACTION]->(:Action)-[:HAS_TASK]->(ct:Task)-[l:ALIGNS_WITH]->(pt:Task)
  RETURN ct AS child, pt AS parent, l.score AS score, l.status AS status, l.method AS method,
         l.evidence AS evidence
  UNION ALL
  MATCH (c)-[:HAS_ACTION]->(:Action)-[:HAS_TASK]->(ct:Task)
  WHERE NOT EXISTS {
    (ct)-[l:ALIGNS_WITH]->(:Task) WHERE coalesce(l.status, '') <> 'rejected'
  }
  RETURN ct AS child, null AS parent, null AS score, 'no parent' AS status, null AS method,
         null AS evidence
  UNION ALL
  MATCH (c)-[:IMPLEMENTS]->(:Plan)-[:HAS_ACTION]->(:Action)-[:HAS_TASK]->(pt:Task)
  WHERE NOT EXISTS {
    (pt)<-[l:ALIGNS_WITH]-(ct:Task)
    WHERE ct.plan_id = c.id AND coalesce(l.status, '') <> 'rejected'
  }
  RETURN null AS child, pt AS parent, null AS score, 'no child' AS status, null AS method,
         null AS evidence
}
RETURN c.id AS plan, child.number AS child_number, child.title AS child_title,
       parent.plan_id AS parent_plan, parent.number AS parent_number,
       parent.title AS parent_title, score, status, method, evidence,
       child.id AS child_id, parent.id AS parent_id
ORDER BY plan, child_number, child_id, parent_plan, parent_number, parent_id
