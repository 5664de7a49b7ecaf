// title: Industries
// purpose: Every industry and cluster in the graph (集成电路, 三大先导产业's members, …) with its tier, groupings, the industries it belongs to, and how many tasks target it directly.
MATCH (i:Industry)
RETURN i.id AS id, i.name AS name, i.tier AS tier, coalesce(i.groupings, []) AS groupings,
       COLLECT {
         MATCH (i)-[:PART_OF]->(x:Industry) RETURN x.name AS x_name ORDER BY x_name, x.id
       } AS part_of,
       COUNT { (:Task)-[:TARGETS]->(i) } AS tasks
ORDER BY id
