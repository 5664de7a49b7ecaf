// title: Ownership mismatches
// purpose: Aligned task pairs where the child task's lead bureau is neither an owner of the parent task nor the counterpart of any of its owners: a sign the district gave the task to a bureau the city did not expect, or a missing counterpart in the lexicon.
// param: plan (plan) — the child plan: id, document number or region, example: 松江区
MATCH (c:Plan)
WHERE c.id = $plan OR c.doc_key = replace($plan, ' ', '') OR (c.region = $plan AND NOT c.stub)
MATCH (c)-[:HAS_ACTION]->(:Action)-[:HAS_TASK]->(ct:Task)-[l:ALIGNS_WITH]->(pt:Task)
WHERE coalesce(l.status, '') <> 'rejected'
MATCH (lead:Agency)-[r:RESPONSIBLE_FOR]->(ct)
WHERE r.role = 'lead' AND r.via IS NULL
  AND NOT EXISTS { (lead)-[:RESPONSIBLE_FOR]->(pt) }
  AND NOT EXISTS { (lead)-[:COUNTERPART_OF]-(:Agency)-[:RESPONSIBLE_FOR]->(pt) }
RETURN c.id AS plan, ct.number AS child_number, ct.title AS child_title,
       lead.name AS child_lead,
       COLLECT {
         MATCH (lead)-[:COUNTERPART_OF]-(x:Agency) RETURN DISTINCT x.name AS n ORDER BY n
       } AS lead_counterparts,
       pt.plan_id AS parent_plan, pt.number AS parent_number, pt.title AS parent_title,
       COLLECT {
         MATCH (o:Agency)-[q:RESPONSIBLE_FOR]->(pt) WHERE q.via IS NULL
         RETURN o.name AS n ORDER BY q.order, n
       } AS parent_owners,
       ct.id AS child_id, pt.id AS parent_id
ORDER BY plan, child_number, child_id, parent_plan, parent_number, parent_id, child_lead
