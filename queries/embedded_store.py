"""The default store: the embedded LadybugDB file `plangraph build` writes, opened read-only.

It runs the same view files as Neo4j (see docs/design.md, "Two engines, one Cypher"). Open it
on a database file (`EmbeddedStore.open(path)`), or on a graph in memory for tests and
`serve --plans` (`EmbeddedStore.from_graph(graph)`, which writes an in-memory database).

One connection per thread: the API runs store calls on a small thread pool, and a LadybugDB
connection runs one query at a time. The file never changes under an open store (`build` writes
a new file and renames it into place), so its stamp is read once, on opening.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ladybug

from queries.errors import StoreError
from queries.store import BaseStore
from schema import embedded_db
from schema import graph_model as gm
from schema.graph_stamp import GraphStamp

if TYPE_CHECKING:  # networkx costs a server ~11 MB and 0.1 s; only builders need it
    import networkx as nx


def plain(value: Any) -> Any:
    """A LadybugDB value as plain Python: a node as its set properties plus `label`, a
    relationship as its set properties plus `type` (the same shapes the Neo4j store gives)."""
    if isinstance(value, dict):
        if "_LABEL" in value and "_ID" in value:
            kind = "type" if "_SRC" in value else "label"
            declared = (gm.REL_PROPERTIES if kind == "type" else gm.NODE_PROPERTIES).get(
                value["_LABEL"], {}
            )
            props = {
                k: _typed(plain(v), declared.get(k))
                for k, v in value.items()
                if not k.startswith("_") and v is not None
            }
            return {**props, kind: value["_LABEL"]}
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def _typed(value: Any, declared: str | None) -> Any:
    """A node of unknown label (`MATCH (n)`) comes back from LadybugDB as the union of all
    node tables, where a DOUBLE column of one table arrives as text ("20.000000"): give it
    back its declared type."""
    if isinstance(value, str) and declared == "double":
        return float(value)
    if isinstance(value, str) and declared == "int":
        return int(value)
    return value


class EmbeddedStore(BaseStore):
    kind = "embedded"
    engine = "ladybug"

    def __init__(self, database: ladybug.Database, source: str, stamp: GraphStamp):
        self.database = database
        self.source = source
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[ladybug.Connection] = []
        self._stamp = stamp
        self._see(stamp)

    @classmethod
    def open(cls, path: str | Path) -> EmbeddedStore:
        """Open a database file read-only; EmbeddedDatabaseError if it is not one of ours."""
        database = embedded_db.open_database(path)
        try:
            stamp = embedded_db.read_stamp(database)
        except embedded_db.EmbeddedDatabaseError as error:
            database.close()
            raise embedded_db.EmbeddedDatabaseError(f"{path}: {error}") from None
        return cls(database, str(path), stamp)

    @classmethod
    def from_graph(cls, graph: nx.MultiDiGraph) -> EmbeddedStore:
        """A store over a graph held in memory (nothing written to disk)."""
        database = ladybug.Database(":memory:")
        connection = ladybug.Connection(database)
        try:
            stamp = embedded_db.fill(connection, graph)
        finally:
            connection.close()
        return cls(database, ":memory:", stamp)

    def _read_stamp(self) -> GraphStamp | None:
        return self._stamp

    def _connection(self) -> ladybug.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            # One thread per query: the API already runs several queries at once, and
            # LadybugDB's own workers only added hand-offs (measured: less CPU per view).
            connection = ladybug.Connection(self.database, num_threads=1)
            self._local.connection = connection
            with self._lock:
                self._connections.append(connection)
        return connection

    def _run(self, query: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        try:
            result = self._connection().execute(query, params)
        except RuntimeError as error:
            raise StoreError(f"embedded database: {str(error).splitlines()[0]}") from error
        if isinstance(result, list):  # several statements: the last one's rows
            result = result[-1]
        columns = result.get_column_names()
        return [
            {column: plain(value) for column, value in zip(columns, values, strict=True)}
            for values in result.get_all()
        ]

    def close(self) -> None:
        with self._lock:
            for connection in self._connections:
                connection.close()
            self._connections.clear()
        self.database.close()
