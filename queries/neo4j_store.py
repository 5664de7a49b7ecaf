"""The Neo4j store: runs the queries/*.cypher views through the official driver.

Reads only: every query runs in a read transaction (`execute_read`) in a READ session, with a
server-side timeout. Parameters always travel as query parameters; nothing a user typed is
ever formatted into Cypher. When the server cannot be reached, or a query times out,
`StoreUnavailable` is raised so the API can answer 503.

Retries are the store's, not the driver's: the driver's managed-transaction retry treats a
refused connection like a transient error and keeps trying for its whole window, so every 503
took seconds. Here a transient server error (a lock, a leader switch) is retried with backoff
for `retry_time` seconds, while a connection failure gets one immediate fresh attempt (a pooled
connection may have died with a restarted server) and then fails fast.

    store = Neo4jStore.connect(uri, user, password, database=None)
"""

from __future__ import annotations

import time
from typing import Any

from neo4j import READ_ACCESS, Driver, GraphDatabase, ManagedTransaction, unit_of_work
from neo4j.exceptions import (
    AuthError,
    ClientError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)

from queries.errors import StoreError, StoreUnavailable
from queries.registry import ViewSpec
from queries.store import BaseStore, rank_names
from schema import graph_model as gm

DEFAULT_TIMEOUT_SECONDS = 30.0
# How long a transient server error is retried, and the first pause between tries.
DEFAULT_RETRY_SECONDS = 5.0
FIRST_RETRY_DELAY = 0.1

_PLAN_REFS = """
MATCH (p:Plan)
RETURN p.id AS id, p.doc_key AS doc_key, p.region AS region, p.title AS title,
       coalesce(p.stub, false) AS stub
"""

_COUNTS = """
CALL { MATCH (p:Plan) WHERE NOT coalesce(p.stub, false) RETURN count(p) AS plans }
CALL { MATCH (t:Task) RETURN count(t) AS tasks }
CALL { MATCH (a:Agency) RETURN count(a) AS agencies }
CALL { MATCH (:Task|Goal|Action|Measure)-[l:ALIGNS_WITH]->() RETURN count(l) AS links }
RETURN plans, tasks, agencies, links
"""

_NODE = f"""
MATCH (n)
WHERE n.id = $id AND ({" OR ".join(f"n:{label}" for label in gm.LABELS)})
RETURN properties(n) AS props, [l IN labels(n) WHERE l IN $labels][0] AS label
LIMIT 1
"""

_NAMES = f"""
MATCH (n)
WHERE ({" OR ".join(f"n:{label}" for label in gm.LABELS if label != gm.INDICATOR)})
  AND n.name CONTAINS $q
RETURN n.id AS id, [l IN labels(n) WHERE l IN $labels][0] AS label, n.name AS name
"""


class Neo4jStore(BaseStore):
    kind = "neo4j"

    def __init__(
        self,
        driver: Driver,
        database: str | None = None,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        owns_driver: bool = False,
        retry_time: float = DEFAULT_RETRY_SECONDS,
    ):
        self.driver = driver
        self.database = database
        self.timeout = timeout
        self.retry_time = retry_time
        self._owns_driver = owns_driver

    @classmethod
    def connect(
        cls,
        uri: str,
        user: str,
        password: str,
        database: str | None = None,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
    ) -> Neo4jStore:
        """A store with its own driver. Connecting is lazy: an unreachable server shows up
        as StoreUnavailable on the first query, so an API can start before Neo4j does."""
        driver = GraphDatabase.driver(
            uri,
            auth=(user, password),
            # A server that does not answer is an outage to report, not to wait out: bounded
            # connect, and a bounded wait for a pooled connection under load.
            connection_timeout=3.0,
            connection_acquisition_timeout=5.0,
        )
        return cls(driver, database=database, timeout=timeout, owns_driver=True)

    def close(self) -> None:
        if self._owns_driver:
            self.driver.close()

    # -- reading -----------------------------------------------------------------------------

    def _read_once(self, query: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        @unit_of_work(timeout=self.timeout)
        def work(tx: ManagedTransaction) -> list[dict[str, Any]]:
            return [record.data() for record in tx.run(query, params)]

        # Notifications (unknown property keys on an empty graph, …) are noise to a reader.
        # The driver's own retry is switched off (see the module note); `_read` retries.
        with self.driver.session(
            database=self.database,
            default_access_mode=READ_ACCESS,
            notifications_min_severity="OFF",
            max_transaction_retry_time=0.0,
            initial_retry_delay=0.0,
        ) as session:
            return session.execute_read(work)

    def _read(self, query: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        deadline = time.monotonic() + self.retry_time
        delay = FIRST_RETRY_DELAY
        reconnected = False
        while True:
            try:
                return self._read_once(query, params)
            except AuthError as error:
                raise StoreUnavailable(f"Neo4j refused the credentials: {error}") from error
            except (ServiceUnavailable, SessionExpired) as error:
                if reconnected:
                    raise StoreUnavailable(f"Neo4j is unreachable: {error}") from error
                reconnected = True
            except (TransientError, ClientError) as error:
                if "Timeout" in (error.code or "") or "TimedOut" in (error.code or ""):
                    raise StoreUnavailable(
                        f"the query took longer than {self.timeout:g}s"
                    ) from error
                retryable = isinstance(error, TransientError) and error.is_retryable()
                if not retryable or time.monotonic() + delay > deadline:
                    raise StoreError(f"Neo4j error {error.code}: {error.message}") from error
                time.sleep(delay)
                delay *= 2
            except (Neo4jError, DriverError, OSError) as error:
                raise StoreUnavailable(f"Neo4j failed: {error}") from error

    def _execute(self, spec: ViewSpec, params: dict[str, Any]) -> list[dict[str, Any]]:
        return self._read(spec.cypher, params)

    def _plan_refs(self) -> list[dict[str, Any]]:
        return self._read(_PLAN_REFS, {})

    def counts(self) -> dict[str, int]:
        rows = self._read(_COUNTS, {})
        return rows[0] if rows else {"plans": 0, "tasks": 0, "agencies": 0, "links": 0}

    def node(self, node_id: str) -> dict[str, Any] | None:
        rows = self._read(_NODE, {"id": node_id, "labels": list(gm.LABELS)})
        if not rows:
            return None
        return {**rows[0]["props"], "label": rows[0]["label"]}

    def search_names(self, q: str, limit: int = 10) -> list[dict[str, Any]]:
        q = q.strip()
        if not q:
            return []
        return rank_names(self._read(_NAMES, {"q": q, "labels": list(gm.LABELS)}), limit)
