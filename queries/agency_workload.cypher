// title: Agency workload
// purpose: The agencies on one plan, by the tasks they lead and co-own (directly listed), tasks they hold through a collective line, and safeguard measures they are on.
// param: plan (plan) — the plan: id, document number or region, example: 沪府办发〔2023〕8号
MATCH (p:Plan)
WHERE p.id = $plan OR p.doc_key = replace($plan, ' ', '') OR (p.region = $plan AND NOT p.stub)
CALL (p) {
  MATCH (p)-[:HAS_ACTION]->(:Action)-[:HAS_TASK]->(item:Task)
  RETURN item
  UNION
  MATCH (p)-[:HAS_MEASURE]->(item:Measure)
  RETURN item
}
MATCH (a:Agency)-[r:RESPONSIBLE_FOR]->(item)
WITH p, a,
     count(CASE WHEN item:Task AND r.via IS NULL AND r.role = 'lead' THEN 1 END) AS led,
     count(CASE WHEN item:Task AND r.via IS NULL AND r.role <> 'lead' THEN 1 END) AS co_owned,
     count(CASE WHEN item:Task AND r.via IS NOT NULL THEN 1 END) AS via_collective,
     count(CASE WHEN item:Measure THEN 1 END) AS measures
RETURN p.id AS plan, a.name AS agency, a.kind AS kind, a.level AS level, led, co_owned,
       via_collective, measures, a.id AS id
ORDER BY plan, led DESC, co_owned DESC, via_collective DESC, measures DESC, id
