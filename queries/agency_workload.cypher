// title: Agency workload
// purpose: The agencies on one plan, by the tasks they lead and co-own (directly listed), tasks they hold through a collective line, and safeguard measures they are on.
// columns: agency, level, led, co_owned, via_collective, measures
// param: plan (plan) — the plan: id, document number or region, example: 沪府办发〔2023〕8号
// order: plan, led desc, co_owned desc, via_collective desc, measures desc, id
MATCH (p:Plan {id: $plan})
MATCH (a:Agency)
WHERE EXISTS { MATCH (p)-[:HAS_ACTION]->(:Action)-[:HAS_TASK]->(:Task)<-[:RESPONSIBLE_FOR]-(a) }
   OR EXISTS { MATCH (p)-[:HAS_MEASURE]->(:Measure)<-[:RESPONSIBLE_FOR]-(a) }
RETURN p.id AS plan, a.name AS agency, a.kind AS kind, a.level AS level,
       COUNT {
         MATCH (p)-[:HAS_ACTION]->(:Action)-[:HAS_TASK]->(:Task)<-[r:RESPONSIBLE_FOR]-(a)
         WHERE r.via IS NULL AND r.role = 'lead'
       } AS led,
       COUNT {
         MATCH (p)-[:HAS_ACTION]->(:Action)-[:HAS_TASK]->(:Task)<-[r:RESPONSIBLE_FOR]-(a)
         WHERE r.via IS NULL AND r.role <> 'lead'
       } AS co_owned,
       COUNT {
         MATCH (p)-[:HAS_ACTION]->(:Action)-[:HAS_TASK]->(:Task)<-[r:RESPONSIBLE_FOR]-(a)
         WHERE r.via IS NOT NULL
       } AS via_collective,
       COUNT { MATCH (p)-[:HAS_MEASURE]->(:Measure)<-[:RESPONSIBLE_FOR]-(a) } AS measures,
       a.id AS id
