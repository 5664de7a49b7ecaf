// title: Regions
// purpose: Every place in the graph (city, district, town, street, zone, corridor) with its kind, the places it lies in, and how many tasks mention it directly.
// columns: name, kind, part_of, tasks
// order: id
// list: part_of
MATCH (r:Region)
OPTIONAL MATCH (r)-[:PART_OF]->(x:Region)
WITH r, collect(x.name) AS part_of
RETURN r.id AS id, r.name AS name, r.kind AS kind, part_of,
       COUNT { MATCH (:Task)-[:MENTIONS]->(r) } AS tasks
