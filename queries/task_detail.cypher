// title: Task detail
// purpose: One task with everything around it in one row: its plan and action group, owners (role, position in the 责任单位 line, collective line), parent tasks it implements and child tasks implementing it (score, status, method, evidence), places, industries, targets with the parent targets they cascade to, and its source lines.
// columns: number, title, plan, action, owners, parents
// param: id (string) — the task id, example: 沪松府-2023-138/task/7
// list: owners by via nulls first, order, name, id
// list: parents by plan_id, number, id
// list: children by plan_id, number, id
// list: places by id
// list: industries by id
// list: indicators by position, id
// list: indicators.cascades_to
MATCH (t:Task {id: $id})
OPTIONAL MATCH (p:Plan {id: t.plan_id})
OPTIONAL MATCH (a:Action)-[:HAS_TASK]->(t)
OPTIONAL MATCH (o:Agency)-[r:RESPONSIBLE_FOR]->(t)
WITH t, p, a,
     collect(CASE WHEN o IS NOT NULL THEN
       {id: o.id, name: o.name, role: r.role, `order`: r.`order`, via: r.via} END) AS owners
OPTIONAL MATCH (t)-[l:ALIGNS_WITH]->(pt:Task)
WITH t, p, a, owners,
     collect(CASE WHEN pt IS NOT NULL THEN
       {id: pt.id, plan_id: pt.plan_id, number: pt.number, title: pt.title, score: l.score,
        status: l.status, method: l.method, evidence: l.evidence} END) AS parents
OPTIONAL MATCH (ct:Task)-[k:ALIGNS_WITH]->(t)
WHERE EXISTS { MATCH (cp:Plan) WHERE cp.id = ct.plan_id }
WITH t, p, a, owners, parents,
     collect(CASE WHEN ct IS NOT NULL THEN
       {id: ct.id, plan_id: ct.plan_id, number: ct.number, title: ct.title, score: k.score,
        status: k.status, method: k.method, evidence: k.evidence} END) AS children
OPTIONAL MATCH (t)-[:MENTIONS]->(x:Region)
WITH t, p, a, owners, parents, children,
     collect(CASE WHEN x IS NOT NULL THEN {id: x.id, name: x.name, kind: x.kind} END) AS places
OPTIONAL MATCH (t)-[:TARGETS]->(y:Industry)
WITH t, p, a, owners, parents, children, places,
     collect(CASE WHEN y IS NOT NULL THEN {id: y.id, name: y.name, tier: y.tier} END)
       AS industries
OPTIONAL MATCH (t)-[:HAS_INDICATOR]->(i:Indicator)
OPTIONAL MATCH (i)-[:CASCADES_TO]->(z:Indicator)
WITH t, p, a, owners, parents, children, places, industries, i, collect(z.id) AS cascades_to
WITH t, p, a, owners, parents, children, places, industries,
     collect(CASE WHEN i IS NOT NULL THEN
       {id: i.id, plan_id: i.plan_id, scope: i.scope, scope_ref: i.scope_ref,
        metric: i.metric, comparator: i.comparator, value: i.value, unit: i.unit,
        period: i.period, raw: i.raw, position: i.position, cascades_to: cascades_to} END)
       AS indicators
RETURN t.id AS id, t.name AS name, t.number AS number, t.title AS title, t.text AS text,
       CASE WHEN p IS NOT NULL THEN
         {id: p.id, name: p.name, title: p.title, doc_number: p.doc_number, level: p.level,
          region: p.region, source_file: p.source_file, stub: coalesce(p.stub, false)} END
         AS plan,
       CASE WHEN a IS NOT NULL THEN {id: a.id, `order`: a.`order`, title: a.title} END AS action,
       owners, parents, children, places, industries, indicators,
       t.line_start AS line_start, t.line_end AS line_end
