// title: Plans
// purpose: Every plan in the graph, loaded or only cited (a stub), with its document number, issuer, level, region, date and period, the plans it implements and is implemented by, and how many goals, action groups, tasks and safeguard measures it holds.
MATCH (p:Plan)
RETURN p.id AS id, p.name AS name, p.title AS title, p.doc_number AS doc_number,
       p.issuer AS issuer, p.level AS level, p.region AS region, p.issued_on AS issued_on,
       p.period AS period, coalesce(p.stub, false) AS stub,
       COLLECT { MATCH (p)-[:IMPLEMENTS]->(q:Plan) RETURN q.id AS q_id ORDER BY q_id } AS implements,
       COLLECT {
         MATCH (q:Plan)-[:IMPLEMENTS]->(p) RETURN q.id AS q_id ORDER BY q_id
       } AS implemented_by,
       COUNT { (p)-[:HAS_GOAL]->(:Goal) } AS goals,
       COUNT { (p)-[:HAS_ACTION]->(:Action) } AS actions,
       COUNT { (p)-[:HAS_ACTION]->(:Action)-[:HAS_TASK]->(:Task) } AS tasks,
       COUNT { (p)-[:HAS_MEASURE]->(:Measure) } AS measures
ORDER BY id
