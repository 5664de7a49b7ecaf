// title: Neighbourhood links
// purpose: The relationships among the nodes within depth hops of one node (the nodes `neighbourhood` lists), each with its type and properties (role, score, …).
// param: id (string) — a node id, example: 沪松府-2023-138/task/7
// param: depth (int 1..3, 1) — hops from the node, example: 2
// order: source, target, relationship
MATCH (center)
WHERE center.id = $id
MATCH path = (center)-[*0..3]-(n)
WHERE length(path) <= $depth
WITH collect(DISTINCT n.id) AS ids
MATCH (a)-[r]->(b)
WHERE a.id IN ids AND b.id IN ids
RETURN a.id AS source, r AS relationship, b.id AS target
