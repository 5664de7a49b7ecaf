// title: Neighbourhood
// purpose: The subgraph around one node, for browsing: every node within depth hops (either direction) with the few properties a drawing shows (caption, number, title, kind, level, …; long texts left out), and every relationship among them with its properties (role, score, …); node rows first, then relationship rows.
// param: id (string) — a node id, example: 沪松府-2023-138/task/7
// param: depth (int 1..3, 1) — hops from the node, example: 2
MATCH (center)
WHERE center.id = $id
CALL (center) {
  RETURN center AS n
  UNION
  MATCH (center)--(n)
  RETURN n
  UNION
  MATCH (center)--()--(n)
  WHERE $depth >= 2
  RETURN n
  UNION
  MATCH (center)--()--()--(n)
  WHERE $depth >= 3
  RETURN n
}
WITH collect(DISTINCT n) AS ns
CALL (ns) {
  UNWIND ns AS a
  RETURN 'node' AS kind, a.id AS id, head(labels(a)) AS label, a.name AS name,
         null AS source, null AS type, null AS target,
         a {.caption, .title, .number, .order, .plan_id, .doc_number, .level, .kind, .tier,
            .region, .stub, .metric, .value, .unit} AS properties
  UNION ALL
  UNWIND ns AS a
  MATCH (a)-[r]->(b)
  WHERE b IN ns
  RETURN 'edge' AS kind, null AS id, null AS label, null AS name, a.id AS source,
         type(r) AS type, b.id AS target, properties(r) AS properties
}
RETURN kind, id, label, name, source, type, target, properties
ORDER BY kind DESC, id, source, type, target
