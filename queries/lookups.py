"""The store's own queries (not views): lookups for resolution, counts, one node, name search.

Written once in the Cypher both engines accept (see docs/design.md, "Two engines, one Cypher"),
so `BaseStore` runs them unchanged on Neo4j and on the embedded database; STAMP is Neo4j's
alone (the embedded file keeps its stamp in its meta table, read on opening).
"""

from schema import graph_model as gm

PLAN_REFS = """
MATCH (p:Plan)
RETURN p.id AS id, p.name AS name, p.title AS title, p.doc_key AS doc_key,
       p.region AS region, coalesce(p.stub, false) AS stub
"""

AGENCY_REFS = """
MATCH (a:Agency)
RETURN a.id AS id, a.name AS name, a.full_name AS full_name, a.aliases AS aliases
"""

COUNTERPARTS = """
MATCH (a:Agency)-[:COUNTERPART_OF]-(c:Agency)
RETURN DISTINCT a.name AS name, c.name AS counterpart
"""

COUNTS = """
RETURN COUNT { MATCH (p:Plan) WHERE NOT coalesce(p.stub, false) } AS plans,
       COUNT { MATCH (t:Task) } AS tasks,
       COUNT { MATCH (a:Agency) } AS agencies,
       COUNT { MATCH ()-[l:ALIGNS_WITH]->() } AS links
"""

NODE = """
MATCH (n)
WHERE n.id = $id
RETURN n AS node
LIMIT 1
"""

NAMES = """
MATCH (n)
WHERE n.name CONTAINS $q
RETURN n.id AS id, n.name AS name, n AS node
"""

# The graph's stamp as `load-neo4j` writes it in its swap transaction. Backticks: the label
# starts with "_" so that it is none of the model's. The newest first, should a failed
# clean-up ever leave two.
STAMP = f"""
MATCH (s:`{gm.STAMP_LABEL}`)
WHERE s.key = 'plangraph'
RETURN s.version AS version, s.created_at AS created_at, s.counts AS counts
ORDER BY s.created_at DESC
LIMIT 1
"""
