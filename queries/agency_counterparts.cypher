// title: Agency counterparts
// purpose: Every district bureau and the city bureau it mirrors (区经委 ↔ 市经济信息化委), as found among the agencies of the loaded plans.
// columns: agency, region, counterpart, counterpart_level
// order: agency_id, counterpart_id
MATCH (d:Agency)-[:COUNTERPART_OF]->(c:Agency)
RETURN d.name AS agency, d.region AS region, d.level AS level, c.name AS counterpart,
       c.level AS counterpart_level, d.id AS agency_id, c.id AS counterpart_id
