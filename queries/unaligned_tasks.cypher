// title: Unaligned tasks
// purpose: The gaps between a child plan and its parent: parent tasks no child task implements (side 'parent') and child tasks with no parent, i.e. local initiatives (side 'child'). Rejected links do not count.
// param: plan (plan) — the child plan: id, document number or region, example: 沪松府〔2023〕138 号
MATCH (c:Plan)
WHERE c.id = $plan OR c.doc_key = replace($plan, ' ', '') OR (c.region = $plan AND NOT c.stub)
CALL (c) {
  MATCH (c)-[:IMPLEMENTS]->(:Plan)-[:HAS_ACTION]->(:Action)-[:HAS_TASK]->(t:Task)
  WHERE NOT EXISTS {
    (t)<-[l:ALIGNS_WITH]-(ct:Task)
    WHERE ct.plan_id = c.id AND coalesce(l.status, '') <> 'rejected'
  }
  RETURN 'parent' AS side, t
  UNION ALL
  MATCH (c)-[:HAS_ACTION]->(:Action)-[:HAS_TASK]->(t:Task)
  WHERE NOT EXISTS {
    (t)-[l:ALIGNS_WITH]->(:Task) WHERE coalesce(l.status, '') <> 'rejected'
  }
  RETURN 'child' AS side, t
}
RETURN c.id AS child_plan, side, t.plan_id AS plan, t.number AS number, t.title AS title,
       t.id AS id
ORDER BY child_plan, side, plan, number, id
