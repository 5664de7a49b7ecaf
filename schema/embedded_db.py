"""The embedded database: the graph in one LadybugDB file, queried with the views' own Cypher.

LadybugDB (the maintained continuation of Kùzu) is an in-process property-graph database with
a typed schema: one node table per label and one relationship table per type, declared here
from `schema.graph_model` so the file holds exactly the model Neo4j holds. A table
`PlangraphMeta` carries a format marker and version, so a file from another program, or from
an older plangraph, is refused with one line instead of answering with wrong rows.

Written to a temporary file beside the target and renamed into place when complete: a reader
(a running `serve`) keeps the old file open and never sees a half-written one.

    write_database(graph, "build/plangraph.lbdb")
    graph = read_graph("build/plangraph.lbdb")      # back to networkx, for exports and Neo4j
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ladybug

from schema import graph_model as gm
from schema.graph_stamp import GraphStamp

if TYPE_CHECKING:  # networkx costs a server ~11 MB and 0.1 s; only builders need it
    import networkx as nx

FORMAT = "plangraph-embedded"
# Bump when the tables change; an older file is then refused with "rebuild it".
VERSION = "4"
META = "PlangraphMeta"
# The graph stamp's rows in META (schema.graph_stamp): which build this is, and its counts.
STAMP_KEYS = ("stamp_version", "stamp_created_at", "stamp_counts")
# The conventional suffix; any name works.
SUFFIX = ".lbdb"

_TYPES = {
    "string": "STRING",
    "int": "INT64",
    "double": "DOUBLE",
    "boolean": "BOOLEAN",
    "string[]": "STRING[]",
}
# Rows per UNWIND batch when writing: big enough to amortise a statement, small enough that
# one batch of long task texts stays a few megabytes.
BATCH = 2000

Progress = Callable[[str, int, int], None]


class EmbeddedDatabaseError(ValueError):
    """The file is not an embedded plangraph database this version can read."""


_IDENTIFIERS = frozenset(
    {META, "key", "value", "id", "name", *gm.LABELS, *gm.REL_TYPES}
    | {p for props in gm.NODE_PROPERTIES.values() for p in props}
    | {p for props in gm.REL_PROPERTIES.values() for p in props}
)


def _identifier(name: str) -> str:
    """A schema name, checked, in backticks (`order`, `text` are reserved in LadybugDB): the
    only way a name enters a statement here, so nothing else can be spliced into Cypher."""
    if name not in _IDENTIFIERS:
        raise EmbeddedDatabaseError(f"{name!r} is not a label, type or property of the model")
    return f"`{name}`"


def _column_type(name: str) -> str:
    if name not in _TYPES.values():
        raise EmbeddedDatabaseError(f"{name!r} is not a column type")
    return name


def node_columns(label: str) -> dict[str, str]:
    """Every property a node of `label` may carry, with its LadybugDB type; id first."""
    columns = {"id": "STRING", "name": "STRING"}
    columns.update({k: _TYPES[v] for k, v in gm.NODE_PROPERTIES[label].items()})
    return columns


def rel_columns(rel_type: str) -> dict[str, str]:
    return {k: _TYPES[v] for k, v in gm.REL_PROPERTIES.get(rel_type, {}).items()}


def ddl() -> list[str]:
    """The statements that create the tables of an empty database."""
    statements = [f"CREATE NODE TABLE {META}(key STRING PRIMARY KEY, value STRING)"]
    for label in gm.LABELS:
        columns = ", ".join(
            f"{_identifier(k)} {_column_type(t)}" for k, t in node_columns(label).items()
        )
        statements.append(f"CREATE NODE TABLE {label}({columns}, PRIMARY KEY (id))")
    for rel_type in gm.REL_TYPES:
        pairs = ", ".join(
            f"FROM {_identifier(a)} TO {_identifier(b)}"
            for a, t, b in gm.RELATIONSHIPS
            if t == rel_type
        )
        props = "".join(
            f", {_identifier(k)} {_column_type(t)}" for k, t in rel_columns(rel_type).items()
        )
        statements.append(f"CREATE REL TABLE {rel_type}({pairs}{props})")
    return statements


def _batches(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]


def fill(
    conn: ladybug.Connection,
    graph: nx.MultiDiGraph,
    progress: Progress | None = None,
    stamp: GraphStamp | None = None,
) -> GraphStamp:
    """Create the tables and write every node and relationship of `graph` through `conn`,
    with its stamp (a new one unless given); returns the stamp written."""
    stamp = stamp or GraphStamp.of(graph)
    for statement in ddl():
        conn.execute(statement)
    conn.execute(
        f"UNWIND $rows AS r CREATE (:{META} {{key: r.key, value: r.value}})",
        {
            "rows": [
                {"key": "format", "value": FORMAT},
                {"key": "version", "value": VERSION},
                {"key": "graph", "value": json.dumps(graph.graph, ensure_ascii=False)},
                *(
                    {"key": key, "value": value}
                    for key, value in zip(
                        STAMP_KEYS,
                        (stamp.version, stamp.created_at, stamp.counts_json()),
                        strict=True,
                    )
                ),
            ]
        },
    )
    by_label: dict[str, list[dict[str, Any]]] = {label: [] for label in gm.LABELS}
    for _, attrs in graph.nodes(data=True):
        by_label[attrs["label"]].append(attrs)
    total = graph.number_of_nodes() + graph.number_of_edges()
    done = 0
    for label, nodes in by_label.items():
        for batch in _batches(nodes):
            columns = _present(node_columns(label), batch)
            assignments = ", ".join(f"{_identifier(c)}: r.{_identifier(c)}" for c in columns)
            conn.execute(
                f"UNWIND $rows AS r CREATE (:{_identifier(label)} {{{assignments}}})",
                {"rows": [{c: n.get(c) for c in columns} for n in batch]},
            )
            done += len(batch)
            if progress:
                progress("Writing database", done, total)
    labels = {node: attrs["label"] for node, attrs in graph.nodes(data=True)}
    by_triple: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for source, target, key, attrs in graph.edges(keys=True, data=True):
        rel = {"s": source, "t": target, **attrs}
        by_triple.setdefault((labels[source], key, labels[target]), []).append(rel)
    for (start, rel_type, end), rels in sorted(by_triple.items()):
        for batch in _batches(rels):
            columns = _present(rel_columns(rel_type), batch)
            assignments = ", ".join(f"{_identifier(c)}: r.{_identifier(c)}" for c in columns)
            conn.execute(
                f"UNWIND $rows AS r MATCH (a:{_identifier(start)} {{id: r.s}}), "
                f"(b:{_identifier(end)} {{id: r.t}}) "
                f"CREATE (a)-[:{_identifier(rel_type)} {{{assignments}}}]->(b)",
                {
                    "rows": [
                        {"s": e["s"], "t": e["t"], **{c: e.get(c) for c in columns}} for e in batch
                    ]
                },
            )
            done += len(batch)
            if progress:
                progress("Writing database", done, total)
    return stamp


def read_stamp(db: ladybug.Database) -> GraphStamp:
    """The stamp `fill` wrote into an open database (`open_database` has checked the format)."""
    conn = ladybug.Connection(db)
    try:
        meta = dict(_rows(conn, f"MATCH (m:{META}) RETURN m.key, m.value"))
    finally:
        conn.close()
    try:
        return GraphStamp.from_parts(*(meta.get(key) for key in STAMP_KEYS))
    except ValueError as error:
        raise EmbeddedDatabaseError(f"damaged database: {error}") from None


def _present(columns: dict[str, str], rows: list[dict[str, Any]]) -> list[str]:
    """The columns some row of the batch sets. A column no row sets is left out: it stays
    null, and LadybugDB could not type a parameter column that is null throughout."""
    return [c for c in columns if any(row.get(c) is not None for row in rows)]


def write_database(
    graph: nx.MultiDiGraph, path: str | Path, progress: Progress | None = None
) -> Path:
    """Write `graph` as a new embedded database at `path`, replacing any file there."""
    path = Path(path)
    if path.is_dir():
        raise EmbeddedDatabaseError(f"{path}: is a directory; give a file name such as graph.lbdb")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    _remove(tmp)
    try:
        db = ladybug.Database(str(tmp))
        conn = ladybug.Connection(db)
        try:
            # One transaction: the tables and every batch commit once (~0.05 s less for the
            # bundled pair than a commit per statement); a failure leaves only the temporary file.
            conn.execute("BEGIN TRANSACTION")
            fill(conn, graph, progress)
            conn.execute("COMMIT")
        finally:
            conn.close()
            db.close()
        tmp.replace(path)
    finally:
        _remove(tmp)
    return path


def _remove(path: Path) -> None:
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)


_MIB = 1 << 20


def _read_pool_size(path: Path) -> int:
    """The buffer pool for reading `path`: room for the whole file several times over (query
    results live there too), at least 256 MiB, at most 4 GiB. LadybugDB's default sizes the
    pool from the machine's RAM, and its bookkeeping alone then costs a server ~37 MB."""
    return min(max(4 * path.stat().st_size, 256 * _MIB), 4096 * _MIB)


def open_database(path: str | Path) -> ladybug.Database:
    """Open an embedded database read-only; EmbeddedDatabaseError says what is wrong with it."""
    path = Path(path)
    if not path.exists():
        raise EmbeddedDatabaseError(f"{path}: no such database (run `plangraph build`)")
    if path.is_dir():
        raise EmbeddedDatabaseError(f"{path}: is a directory, not an embedded database")
    if path.stat().st_size == 0:
        raise EmbeddedDatabaseError(f"{path}: an empty file, not an embedded plangraph database")
    try:
        db = ladybug.Database(str(path), read_only=True, buffer_pool_size=_read_pool_size(path))
    except RuntimeError as error:
        reason = str(error).splitlines()[0].removeprefix("Runtime exception: ")
        message = f"{path}: not an embedded plangraph database ({reason})"
        raise EmbeddedDatabaseError(message) from None
    conn = ladybug.Connection(db)
    try:
        meta = {key: value for key, value in _rows(conn, f"MATCH (m:{META}) RETURN m.key, m.value")}
    except RuntimeError:
        db.close()
        raise EmbeddedDatabaseError(
            f"{path}: a LadybugDB database, but not one plangraph wrote (no {META} table)"
        ) from None
    finally:
        conn.close()
    if meta.get("format") != FORMAT:
        db.close()
        raise EmbeddedDatabaseError(f"{path}: not an embedded plangraph database")
    if meta.get("version") != VERSION:
        db.close()
        raise EmbeddedDatabaseError(
            f"{path}: database format {meta.get('version')} is not {VERSION}; rebuild it"
        )
    return db


def _rows(conn: ladybug.Connection, query: str) -> list[list[Any]]:
    """The rows of one statement (execute gives a list of results for several)."""
    result = conn.execute(query)
    if isinstance(result, list):
        result = result[-1]
    return [list(row) for row in result.get_all()]


def is_embedded_database(path: str | Path) -> bool:
    """Whether the file starts like a LadybugDB file (a cheap sniff, no open)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    return not head.lstrip().startswith(b"{") and b"\x00" in head


def read_graph(path: str | Path) -> nx.MultiDiGraph:
    """The graph of an embedded database, as the networkx graph the builder made."""
    db = open_database(path)
    conn = ladybug.Connection(db)
    import networkx as nx

    graph: nx.MultiDiGraph = nx.MultiDiGraph()
    try:
        for (value,) in _rows(conn, f"MATCH (m:{META}) WHERE m.key = 'graph' RETURN m.value"):
            graph.graph.update(json.loads(value))
        for label in gm.LABELS:
            columns = list(node_columns(label))
            projection = ", ".join(f"n.{_identifier(c)}" for c in columns)
            for values in _rows(conn, f"MATCH (n:{label}) RETURN {projection}"):
                attrs = {c: v for c, v in zip(columns, values, strict=True) if v is not None}
                attrs["label"] = label
                graph.add_node(attrs["id"], **attrs)
        for start, rel_type, end in gm.RELATIONSHIPS:
            columns = list(rel_columns(rel_type))
            projection = "".join(f", r.{_identifier(c)}" for c in columns)
            query = (
                f"MATCH (a:{_identifier(start)})-[r:{_identifier(rel_type)}]->"
                f"(b:{_identifier(end)}) RETURN a.id, b.id{projection}"
            )
            for source, target, *values in _rows(conn, query):
                attrs = {c: v for c, v in zip(columns, values, strict=True) if v is not None}
                graph.add_edge(source, target, key=rel_type, type=rel_type, **attrs)
    finally:
        conn.close()
        db.close()
    return graph
