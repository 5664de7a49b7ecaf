// title: Industries
// purpose: Every industry and cluster in the graph (集成电路, 三大先导产业's members, …) with its tier, groupings, the industries it belongs to, and how many tasks target it directly.
// columns: name, tier, part_of, tasks
// order: id
// list: part_of
MATCH (i:Industry)
OPTIONAL MATCH (i)-[:PART_OF]->(x:Industry)
WITH i, collect(x.name) AS part_of
RETURN i.id AS id, i.name AS name, i.tier AS tier, coalesce(i.groupings, []) AS groupings,
       part_of, COUNT { MATCH (:Task)-[:TARGETS]->(i) } AS tasks
