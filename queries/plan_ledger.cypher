// title: Plan ledger
// purpose: The task ledger (任务分解表) of a plan: every task and safeguard measure with its action group, the units named in its 责任单位 line (role and position; members of a collective line left out), its targets with their year, places, industries and the parent item(s) it implements with the score (rejected links left out).
// param: plan (plan) — the plan: id, document number, title or region, example: 松江区
// columns: kind, number, title, owners, parents
// order: kind desc, action_order, number, id
// list: owners by order, name, id
// list: targets by position, raw
// list: places
// list: industries
// list: parents by plan_id, number, id
// `CASE WHEN false THEN … END` is a null of a column's type, which a UNION needs on LadybugDB.
MATCH (p:Plan {id: $plan})-[:HAS_ACTION]->(a:Action)-[:HAS_TASK]->(t:Task)
OPTIONAL MATCH (o:Agency)-[r:RESPONSIBLE_FOR]->(t)
WHERE r.via IS NULL
WITH p, a, t,
     collect(CASE WHEN o IS NOT NULL THEN
       {id: o.id, name: o.name, role: r.role, `order`: r.`order`} END) AS owners
OPTIONAL MATCH (t)-[:HAS_INDICATOR]->(i:Indicator)
WITH p, a, t, owners,
     collect(CASE WHEN i IS NOT NULL THEN
       {raw: i.raw, metric: i.metric, comparator: i.comparator, value: i.value, unit: i.unit,
        year: i.year, period: i.period, position: i.position} END) AS targets
OPTIONAL MATCH (t)-[:MENTIONS]->(x:Region)
WITH p, a, t, owners, targets, collect(x.name) AS places
OPTIONAL MATCH (t)-[:TARGETS]->(y:Industry)
WITH p, a, t, owners, targets, places, collect(y.name) AS industries
OPTIONAL MATCH (t)-[l:ALIGNS_WITH]->(pt:Task)
WHERE coalesce(l.status, '') <> 'rejected'
WITH p, a, t, owners, targets, places, industries,
     collect(CASE WHEN pt IS NOT NULL THEN
       {id: pt.id, plan_id: pt.plan_id, number: pt.number, title: pt.title, score: l.score,
        status: l.status} END) AS parents
RETURN p.id AS plan, 'task' AS kind, a.`order` AS action_order, a.title AS action,
       t.number AS number, t.title AS title, owners, targets, places, industries, parents,
       t.id AS id
UNION ALL
MATCH (p:Plan {id: $plan})-[:HAS_MEASURE]->(m:Measure)
OPTIONAL MATCH (o:Agency)-[r:RESPONSIBLE_FOR]->(m)
WHERE r.via IS NULL
WITH p, m,
     collect(CASE WHEN o IS NOT NULL THEN
       {id: o.id, name: o.name, role: r.role, `order`: r.`order`} END) AS owners
OPTIONAL MATCH (m)-[:HAS_INDICATOR]->(i:Indicator)
WITH p, m, owners,
     collect(CASE WHEN i IS NOT NULL THEN
       {raw: i.raw, metric: i.metric, comparator: i.comparator, value: i.value, unit: i.unit,
        year: i.year, period: i.period, position: i.position} END) AS targets
OPTIONAL MATCH (m)-[:MENTIONS]->(x:Region)
WITH p, m, owners, targets, collect(x.name) AS places
OPTIONAL MATCH (m)-[:TARGETS]->(y:Industry)
WITH p, m, owners, targets, places, collect(y.name) AS industries
OPTIONAL MATCH (m)-[l:ALIGNS_WITH]->(pm:Measure)
WHERE coalesce(l.status, '') <> 'rejected'
WITH p, m, owners, targets, places, industries,
     collect(CASE WHEN pm IS NOT NULL THEN
       {id: pm.id, plan_id: pm.plan_id, number: pm.`order`, title: pm.title, score: l.score,
        status: l.status} END) AS parents
RETURN p.id AS plan, 'measure' AS kind, CASE WHEN false THEN 0 END AS action_order,
       CASE WHEN false THEN '' END AS action, m.`order` AS number, m.title AS title, owners,
       targets, places, industries, parents, m.id AS id
