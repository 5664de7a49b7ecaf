// title: Task detail
// purpose: One task with everything around it in one row: its plan and action group, owners (role, position in the 责任单位 line, collective line), parent tasks it implements and child tasks implementing it (score, status, method, evidence), places, industries, targets with the parent targets they cascade to, and its source lines.
// param: id (string) — the task id, example: 沪松府-2023-138/task/7
MATCH (t:Task {id: $id})
OPTIONAL MATCH (p:Plan {id: t.plan_id})
OPTIONAL MATCH (a:Action)-[:HAS_TASK]->(t)
RETURN t.id AS id, t.name AS name, t.number AS number, t.title AS title, t.text AS text,
       p {.id, .name, .title, .doc_number, .level, .region, .source_file,
          stub: coalesce(p.stub, false)} AS plan,
       a {.id, .order, .title} AS action,
       COLLECT {
         MATCH (o:Agency)-[r:RESPONSIBLE_FOR]->(t)
         RETURN o {.id, .name, role: r.role, order: r.order, via: r.via} AS owner
         ORDER BY r.via IS NOT NULL, r.order, o.name, o.id
       } AS owners,
       COLLECT {
         MATCH (t)-[l:ALIGNS_WITH]->(pt:Task)
         RETURN pt {.id, .plan_id, .number, .title, score: l.score, status: l.status,
                    method: l.method, evidence: l.evidence} AS parent
         ORDER BY pt.plan_id, pt.number, pt.id
       } AS parents,
       COLLECT {
         MATCH (ct:Task)-[l:ALIGNS_WITH]->(t)
         WHERE EXISTS { (:Plan {id: ct.plan_id}) }
         RETURN ct {.id, .plan_id, .number, .title, score: l.score, status: l.status,
                    method: l.method, evidence: l.evidence} AS child
         ORDER BY ct.plan_id, ct.number, ct.id
       } AS children,
       COLLECT {
         MATCH (t)-[:MENTIONS]->(x:Region) RETURN x {.id, .name, .kind} AS place ORDER BY x.id
       } AS places,
       COLLECT {
         MATCH (t)-[:TARGETS]->(x:Industry)
         RETURN x {.id, .name, .tier} AS industry ORDER BY x.id
       } AS industries,
       COLLECT {
         MATCH (t)-[:HAS_INDICATOR]->(i:Indicator)
         RETURN i {.id, .plan_id, .scope, .scope_ref, .metric, .comparator, .value, .unit,
                   .period, .raw,
                   cascades_to: COLLECT {
                     MATCH (i)-[:CASCADES_TO]->(x:Indicator)
                     RETURN x.id AS x_id ORDER BY x.plan_id, x_id
                   }} AS indicator
         ORDER BY i.position, i.id
       } AS indicators,
       t.line_start AS line_start, t.line_end AS line_end
