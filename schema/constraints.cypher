// plangraph schema: applied by ingest/neo4j_load.py before every load (all IF NOT EXISTS, so
// running it again changes nothing). One statement per ';'.

// Every node is found by its stable id; uniqueness per label.
CREATE CONSTRAINT plan_id IF NOT EXISTS FOR (n:Plan) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT goal_id IF NOT EXISTS FOR (n:Goal) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT indicator_id IF NOT EXISTS FOR (n:Indicator) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT action_id IF NOT EXISTS FOR (n:Action) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT task_id IF NOT EXISTS FOR (n:Task) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT measure_id IF NOT EXISTS FOR (n:Measure) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT agency_id IF NOT EXISTS FOR (n:Agency) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT region_id IF NOT EXISTS FOR (n:Region) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT industry_id IF NOT EXISTS FOR (n:Industry) REQUIRE n.id IS UNIQUE;

// The lookups the views start from.
CREATE INDEX plan_doc_key IF NOT EXISTS FOR (n:Plan) ON (n.doc_key);
CREATE INDEX plan_region IF NOT EXISTS FOR (n:Plan) ON (n.region);
CREATE INDEX task_plan_number IF NOT EXISTS FOR (n:Task) ON (n.plan_id, n.number);
CREATE INDEX indicator_plan IF NOT EXISTS FOR (n:Indicator) ON (n.plan_id);
CREATE INDEX agency_name IF NOT EXISTS FOR (n:Agency) ON (n.name);
CREATE INDEX region_name IF NOT EXISTS FOR (n:Region) ON (n.name);
CREATE INDEX industry_name IF NOT EXISTS FOR (n:Industry) ON (n.name);

// The loader writes a new graph as _Stage nodes keyed by _sid, then swaps it in.
CREATE INDEX stage_sid IF NOT EXISTS FOR (n:_Stage) ON (n._sid);
// One load at a time (the lock), and one stamp saying which graph is live.
CREATE CONSTRAINT load_lock_key IF NOT EXISTS FOR (n:_LoadLock) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT graph_stamp_key IF NOT EXISTS FOR (n:_GraphStamp) REQUIRE n.key IS UNIQUE;

// Chinese full-text search: the 'cjk' analyzer indexes CJK bigrams (the standard analyzer
// would make each Han character a token). search_tasks queries each word as a phrase.
CREATE FULLTEXT INDEX task_search IF NOT EXISTS FOR (n:Task) ON EACH [n.title, n.text]
  OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}};
CREATE FULLTEXT INDEX name_search IF NOT EXISTS
  FOR (n:Plan|Agency|Region|Industry|Task|Action|Goal|Measure) ON EACH [n.name]
  OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}};
