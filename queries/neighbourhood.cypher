// title: Neighbourhood
// purpose: The nodes around one node, for browsing: every node within depth hops (either direction), each with its label and properties; `neighbourhood_links` gives the relationships among them.
// param: id (string) — a node id, example: 沪松府-2023-138/task/7
// param: depth (int 1..3, 1) — hops from the node, example: 2
// order: id
MATCH (center)
WHERE center.id = $id
MATCH path = (center)-[*0..3]-(n)
WHERE length(path) <= $depth
WITH DISTINCT n
RETURN n.id AS id, n AS node
