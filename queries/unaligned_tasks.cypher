// title: Unaligned tasks
// purpose: The gaps between a child plan and its parent: parent tasks no child task implements (side 'parent') and child tasks with no parent, i.e. local initiatives (side 'child'). Rejected links do not count.
// param: plan (plan) — the child plan: id, document number or region, example: 沪松府〔2023〕138 号
// order: child_plan, side, plan, number, id
MATCH (c:Plan {id: $plan})-[:IMPLEMENTS]->(:Plan)-[:HAS_ACTION]->(:Action)-[:HAS_TASK]->(t:Task)
WHERE NOT EXISTS {
  MATCH (t)<-[l:ALIGNS_WITH]-(ct:Task)
  WHERE ct.plan_id = c.id AND coalesce(l.status, '') <> 'rejected'
}
RETURN c.id AS child_plan, 'parent' AS side, t.plan_id AS plan, t.number AS number,
       t.title AS title, t.id AS id
UNION ALL
MATCH (c:Plan {id: $plan})-[:HAS_ACTION]->(:Action)-[:HAS_TASK]->(t:Task)
WHERE NOT EXISTS {
  MATCH (t)-[l:ALIGNS_WITH]->(:Task) WHERE coalesce(l.status, '') <> 'rejected'
}
RETURN c.id AS child_plan, 'child' AS side, t.plan_id AS plan, t.number AS number,
       t.title AS title, t.id AS id
