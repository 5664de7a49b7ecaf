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

import logging
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
from neo4j.graph import Node, Relationship

from queries import lookups
from queries.errors import StoreError, StoreUnavailable
from queries.store import BaseStore
from schema import graph_model as gm
from schema.graph_stamp import GraphStamp

log = logging.getLogger("plangraph.queries")

DEFAULT_TIMEOUT_SECONDS = 30.0
# How long a transient server error is retried, and the first pause between tries.
DEFAULT_RETRY_SECONDS = 5.0
FIRST_RETRY_DELAY = 0.1


def plain(value: Any) -> Any:
    """A driver value as plain Python: a node as its properties plus `label`, a relationship
    as its properties plus `type` (the same shapes the embedded store gives)."""
    if isinstance(value, Node):
        label = next((name for name in gm.LABELS if name in value.labels), None)
        return {**dict(value.items()), "label": label}
    if isinstance(value, Relationship):
        return {**dict(value.items()), "type": value.type}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value


class Neo4jStore(BaseStore):
    kind = "neo4j"
    engine = "neo4j"
    # `load-neo4j` may swap in a new graph while the store is open.
    stamp_changes = True

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
            return [
                {key: plain(value) for key, value in record.items()}
                for record in tx.run(query, params)
            ]

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

    def _run(self, query: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        return self._read(query, params)

    def _read_stamp(self) -> GraphStamp | None:
        rows = self._read(lookups.STAMP, {})
        if not rows:
            return None  # a graph loaded before stamps existed
        row = rows[0]
        try:
            return GraphStamp.from_parts(row["version"], row["created_at"], row["counts"])
        except ValueError as error:
            # A damaged stamp must not stop the reads: serve the graph as unstamped.
            log.warning("ignoring the graph stamp in Neo4j: %s", error)
            return None
