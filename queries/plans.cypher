// title: Plans
// purpose: Every plan in the graph, loaded or only cited (a stub), with its document number, issuer, level, region, date and period, the plans it implements and is implemented by, and how many goals, action groups, tasks and safeguard measures it holds.
// columns: id, title, level, region, period, tasks, stub
// order: id
// list: implements
// list: implemented_by
MATCH (p:Plan)
OPTIONAL MATCH (p)-[:IMPLEMENTS]->(q:Plan)
WITH p, collect(q.id) AS implements
OPTIONAL MATCH (q:Plan)-[:IMPLEMENTS]->(p)
WITH p, implements, collect(q.id) AS implemented_by
RETURN p.id AS id, p.name AS name, p.title AS title, p.doc_number AS doc_number,
       p.issuer AS issuer, p.level AS level, p.region AS region, p.issued_on AS issued_on,
       p.period AS period, coalesce(p.stub, false) AS stub, implements, implemented_by,
       COUNT { MATCH (p)-[:HAS_GOAL]->(:Goal) } AS goals,
       COUNT { MATCH (p)-[:HAS_ACTION]->(:Action) } AS actions,
       COUNT { MATCH (p)-[:HAS_ACTION]->(:Action)-[:HAS_TASK]->(:Task) } AS tasks,
       COUNT { MATCH (p)-[:HAS_MEASURE]->(:Measure) } AS measures
