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

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import ladybug
import networkx as nx

from schema import graph_model as gm

FORMAT = "plangraph-embedded"
# Bump when the tables change; an older file is then refused with "rebuild it".
VERSION = "1"
META = "PlangraphMeta"
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


def quoted(name: str) -> str:
    """A property name in backticks: `order`, `text` and others are reserved in one engine."""
    return f"`{name}`"


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
        columns = ", ".join(f"{quoted(k)} {t}" for k, t in node_columns(label).items())
        statements.append(f"CREATE NODE TABLE {label}({columns}, PRIMARY KEY (id))")
    for rel_type in gm.REL_TYPES:
        pairs = [f"FROM {a} TO {b}" for a, t, b in gm.RELATIONSHIPS if t == rel_type]
        props = [f"{quoted(k)} {t}" for k, t in rel_columns(rel_type).items()]
        statements.append(f"CREATE REL TABLE {rel_type}({', '.join(pairs + props)})")
    return statements


def _batches(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]


def fill(conn: ladybug.Connection, graph: nx.MultiDiGraph, progress: Progress | None = None) -> None:
    """Create the tables and write every node and relationship of `graph` through `conn`."""
    for statement in ddl():
        conn.execute(statement)
    conn.execute(
        f"UNWIND $rows AS r CREATE (:{META} {{key: r.key, value: r.value}})",
        {"rows": [{"key": "format", "value": FORMAT}, {"key": "version", "value": VERSION}]},
    )
    by_label: dict[str, list[dict[str, Any]]] = {label: [] for label in gm.LABELS}
    for _, attrs in graph.nodes(data=True):
        by_label[attrs["label"]].append(attrs)
    total = graph.number_of_nodes() + graph.number_of_edges()
    done = 0
    for label, nodes in by_label.items():
        columns = list(node_columns(label))
        assignments = ", ".join(f"{quoted(c)}: r.{quoted(c)}" for c in columns)
        statement = f"UNWIND $rows AS r CREATE (:{label} {{{assignments}}})"
        for batch in _batches(nodes):
            conn.execute(statement, {"rows": [{c: n.get(c) for c in columns} for n in batch]})
            done += len(batch)
            if progress:
                progress("Writing database", done, total)
    labels = {node: attrs["label"] for node, attrs in graph.nodes(data=True)}
    by_triple: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for source, target, key, attrs in graph.edges(keys=True, data=True):
        rel = {"s": source, "t": target, **attrs}
        by_triple.setdefault((labels[source], key, labels[target]), []).append(rel)
    for (start, rel_type, end), rels in sorted(by_triple.items()):
        columns = list(rel_columns(rel_type))
        assignments = ", ".join(f"{quoted(c)}: r.{quoted(c)}" for c in columns)
        statement = (
            f"UNWIND $rows AS r MATCH (a:{start} {{id: r.s}}), (b:{end} {{id: r.t}}) "
            f"CREATE (a)-[:{rel_type} {{{assignments}}}]->(b)"
        )
        for batch in _batches(rels):
            rows = [{"s": e["s"], "t": e["t"], **{c: e.get(c) for c in columns}} for e in batch]
            conn.execute(statement, {"rows": rows})
            done += len(batch)
            if progress:
                progress("Writing database", done, total)


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
            fill(conn, graph, progress)
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


def open_database(path: str | Path) -> ladybug.Database:
    """Open an embedded database read-only; EmbeddedDatabaseError says what is wrong with it."""
    path = Path(path)
    if not path.exists():
        raise EmbeddedDatabaseError(f"{path}: no such database (run `plangraph build`)")
    if path.is_dir():
        raise EmbeddedDatabaseError(f"{path}: is a directory, not an embedded database")
    try:
        db = ladybug.Database(str(path), read_only=True)
    except RuntimeError as error:
        reason = str(error).splitlines()[0].removeprefix("Runtime exception: ")
        raise EmbeddedDatabaseError(f"{path}: not an embedded plangraph database ({reason})")
    conn = ladybug.Connection(db)
    try:
        result = conn.execute(f"MATCH (m:{META}) RETURN m.key, m.value")
        meta = dict(result.get_all())  # type: ignore[union-attr]
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
    graph = nx.MultiDiGraph()
    try:
        for label in gm.LABELS:
            columns = list(node_columns(label))
            projection = ", ".join(f"n.{quoted(c)}" for c in columns)
            result = conn.execute(f"MATCH (n:{label}) RETURN {projection}")
            for values in result.get_all():  # type: ignore[union-attr]
                attrs = {c: v for c, v in zip(columns, values, strict=True) if v is not None}
                attrs["label"] = label
                graph.add_node(attrs["id"], **attrs)
        for start, rel_type, end in gm.RELATIONSHIPS:
            columns = list(rel_columns(rel_type))
            projection = "".join(f", r.{quoted(c)}" for c in columns)
            result = conn.execute(
                f"MATCH (a:{start})-[r:{rel_type}]->(b:{end}) RETURN a.id, b.id{projection}"
            )
            for source, target, *values in result.get_all():  # type: ignore[union-attr]
                attrs = {c: v for c, v in zip(columns, values, strict=True) if v is not None}
                graph.add_edge(source, target, key=rel_type, type=rel_type, **attrs)
    finally:
        conn.close()
        db.close()
    return graph
