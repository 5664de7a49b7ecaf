// title: Ownership mismatches
// purpose: Aligned task pairs where the child task's lead bureau is neither an owner of the parent task nor the counterpart of any of its owners: a sign the district gave the task to a bureau the city did not expect, or a missing counterpart in the lexicon.
// columns: child_number, child_title, child_lead, parent_number, parent_title, parent_owners
// param: plan (plan) — the child plan: id, document number or region, example: 松江区
// order: plan, child_number, child_id, parent_plan, parent_number, parent_id, child_lead
// list: lead_counterparts
// list: parent_owners by order, name keep name
MATCH (c:Plan {id: $plan})-[:HAS_ACTION]->(:Action)-[:HAS_TASK]->(ct:Task)
MATCH (ct)-[l:ALIGNS_WITH]->(pt:Task)
WHERE coalesce(l.status, '') <> 'rejected'
MATCH (lead:Agency)-[r:RESPONSIBLE_FOR]->(ct)
WHERE r.role = 'lead' AND r.via IS NULL
  AND NOT EXISTS { MATCH (lead)-[:RESPONSIBLE_FOR]->(pt) }
  AND NOT EXISTS { MATCH (lead)-[:COUNTERPART_OF]-(:Agency)-[:RESPONSIBLE_FOR]->(pt) }
OPTIONAL MATCH (lead)-[:COUNTERPART_OF]-(x:Agency)
WITH c, ct, pt, lead, collect(DISTINCT x.name) AS lead_counterparts
OPTIONAL MATCH (o:Agency)-[q:RESPONSIBLE_FOR]->(pt)
WHERE q.via IS NULL
WITH c, ct, pt, lead, lead_counterparts,
     collect(CASE WHEN o IS NOT NULL THEN {name: o.name, `order`: q.`order`} END) AS parent_owners
RETURN c.id AS plan, ct.number AS child_number, ct.title AS child_title,
       lead.name AS child_lead, lead_counterparts, pt.plan_id AS parent_plan,
       pt.number AS parent_number, pt.title AS parent_title, parent_owners,
       ct.id AS child_id, pt.id AS parent_id
