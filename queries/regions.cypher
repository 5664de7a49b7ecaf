// title: Regions
// purpose: Every place in the graph (city, district, town, street, zone, corridor) with its kind, the places it lies in, and how many tasks mention it directly.
MATCH (r:Region)
RETURN r.id AS id, r.name AS name, r.kind AS kind,
       COLLECT {
         MATCH (r)-[:PART_OF]->(x:Region) RETURN x.name AS x_name ORDER BY x_name, x.id
       } AS part_of,
       COUNT { (:Task)-[:MENTIONS]->(r) } AS tasks
ORDER BY id
