"""Load the networkx graph into Neo4j: all of it, or none of it.

    report = load(graph, driver, database=None, batch_size=1000, progress=None)

How a load stays atomic without one giant transaction
-----------------------------------------------------
A load replaces the plangraph graph (every node with one of schema.graph_model.LABELS). It
runs in three phases:

1. **Stage.** Nodes are written, in batches of `batch_size` rows per transaction
   (``UNWIND $rows … MERGE``), as ``:_Stage`` nodes that carry the real id in ``_sid`` and the
   label in ``_label``; relationships are written between staging nodes. Staging nodes have
   none of the real labels and no ``id``, so no view and no constraint sees them: readers keep
   reading the previous graph while the load runs. MERGE (not CREATE) keeps a batch the driver
   retries after a transient error from writing twice.
2. **Swap**, in one transaction: check that the staged node and relationship counts are the
   graph's; retire the previous graph (swap its labels for ``:_Retired``, move ``id`` away);
   promote the staging nodes (real label, ``id``). Either all of it commits or none of it.
3. **Clean up** the retired nodes in batches (``CALL { … } IN TRANSACTIONS``).

A failure in phase 1 or 2 (bad data, a constraint, the server going away) leaves the previous
graph exactly as it was; the staging leftovers are removed at the start of the next load (and,
best effort, straight away). A failure in phase 3 leaves retired nodes that nothing reads and
the next load removes.

Why not one transaction for everything: the bundled pair would fit, but 1000 district plans
are ~100k nodes and ~1M relationships, whose transaction state would need most of a small
server's heap. The swap transaction only relabels nodes, which is far smaller.

Loads are meant to be run by one writer at a time (the CLI, a CI job).

`load_naive` writes one row per transaction (and the same swap): the baseline for
benchmarks/load_neo4j.py, not for use.
"""

from __future__ import annotations

import contextlib
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
from neo4j import Driver, ManagedTransaction
from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired

from schema import graph_model as gm

Progress = Callable[[str, int, int], None]

CONSTRAINTS_FILE = Path(gm.__file__).resolve().parent / "constraints.cypher"
STAGE = "_Stage"
RETIRED = "_Retired"
CLEANUP_BATCH = 1000


class LoadError(RuntimeError):
    """The load failed; the graph that was there before is still there."""


@dataclass
class LoadReport:
    nodes: int
    relationships: int
    seconds: float
    transactions: int

    @property
    def nodes_per_second(self) -> float:
        return self.nodes / self.seconds if self.seconds else 0.0

    @property
    def relationships_per_second(self) -> float:
        return self.relationships / self.seconds if self.seconds else 0.0


def schema_statements(path: Path = CONSTRAINTS_FILE) -> list[str]:
    """The statements of constraints.cypher, comments dropped, split on ';'."""
    lines = [
        line for line in path.read_text(encoding="utf-8").splitlines()
        if not line.strip().startswith("//")
    ]  # fmt: skip
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def apply_schema(driver: Driver, database: str | None = None) -> int:
    """Create the constraints and indexes (idempotent); returns the number of statements."""
    statements = schema_statements()
    with driver.session(database=database, notifications_min_severity="OFF") as session:
        for statement in statements:
            session.run(statement).consume()
        # Index population is asynchronous; the views (full-text search) need them online.
        session.run("CALL db.awaitIndexes(300)").consume()
    return len(statements)


# -- rows ---------------------------------------------------------------------------------------


def _check_label(label: str) -> str:
    if label not in gm.LABELS:
        raise LoadError(f"unknown label {label!r}; the graph model has {', '.join(gm.LABELS)}")
    return label


def _check_type(rel: object) -> str:
    # An edge's type comes from its data or its key, both untyped in networkx.
    if not isinstance(rel, str) or rel not in gm.REL_TYPES:
        raise LoadError(f"unknown relationship type {rel!r}")
    return rel


def node_rows(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """One row per node, in id order: {id, props} with the label inside props as _label."""
    rows = []
    for node_id in sorted(graph.nodes):
        attrs = graph.nodes[node_id]
        props = {k: v for k, v in attrs.items() if k not in ("id", "label")}
        props["_label"] = _check_label(attrs["label"])
        rows.append({"id": node_id, "props": props})
    return rows


def relationship_rows(graph: nx.MultiDiGraph) -> dict[str, list[dict[str, Any]]]:
    """Rows per relationship type (the type cannot be a query parameter): {s, t, props}."""
    by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for source, target, key, attrs in sorted(
        graph.edges(keys=True, data=True), key=lambda e: (e[2], e[0], e[1])
    ):
        props = {k: v for k, v in attrs.items() if k != "type"}
        by_type[_check_type(attrs.get("type", key))].append(
            {"s": source, "t": target, "props": props}
        )
    return dict(sorted(by_type.items()))


def _batches(rows: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


# -- statements ---------------------------------------------------------------------------------

_MERGE_NODES = f"""
UNWIND $rows AS row
MERGE (n:{STAGE} {{_sid: row.id}})
SET n += row.props
RETURN count(*) AS written
"""

_MERGE_ONE_NODE = f"MERGE (n:{STAGE} {{_sid: $id}}) SET n += $props RETURN count(*) AS written"


def _merge_rels(rel: str) -> str:
    return f"""
UNWIND $rows AS row
MATCH (a:{STAGE} {{_sid: row.s}})
MATCH (b:{STAGE} {{_sid: row.t}})
MERGE (a)-[r:{_check_type(rel)}]->(b)
SET r += row.props
RETURN count(*) AS written
"""


def _merge_one_rel(rel: str) -> str:
    return (
        f"MATCH (a:{STAGE} {{_sid: $s}}) MATCH (b:{STAGE} {{_sid: $t}}) "
        f"MERGE (a)-[r:{_check_type(rel)}]->(b) SET r += $props RETURN count(*) AS written"
    )


def _write(tx: ManagedTransaction, query: str, params: dict[str, Any], expected: int) -> int:
    written = tx.run(query, params).single(strict=True)["written"]
    if written != expected:
        # A relationship whose end node is not staged: the graph is inconsistent.
        raise LoadError(f"wrote {written} of {expected} rows; an end node is missing")
    return written


def _swap(tx: ManagedTransaction, nodes: int, relationships: int) -> None:
    staged = tx.run(f"MATCH (n:{STAGE}) RETURN count(n) AS c").single(strict=True)["c"]
    staged_rels = tx.run(f"MATCH (:{STAGE})-[r]->(:{STAGE}) RETURN count(r) AS c").single(
        strict=True
    )["c"]
    if (staged, staged_rels) != (nodes, relationships):
        raise LoadError(
            f"staged {staged} nodes and {staged_rels} relationships, expected {nodes} and "
            f"{relationships}; another load may be running"
        )
    for label in gm.LABELS:
        tx.run(f"MATCH (n:{label}) SET n:{RETIRED}, n._rid = n.id REMOVE n:{label}, n.id").consume()
    for label in gm.LABELS:
        tx.run(
            f"MATCH (n:{STAGE}) WHERE n._label = $label "
            f"SET n:{label}, n.id = n._sid REMOVE n:{STAGE}, n._sid, n._label",
            label=label,
        ).consume()


def _delete_all(driver: Driver, database: str | None, label: str) -> None:
    with driver.session(database=database, notifications_min_severity="OFF") as session:
        session.run(
            f"MATCH (n:{label}) CALL (n) {{ DETACH DELETE n }} "
            f"IN TRANSACTIONS OF {CLEANUP_BATCH} ROWS"
        ).consume()


def clear_leftovers(driver: Driver, database: str | None = None) -> None:
    """Remove staging nodes of a failed load and retired nodes of an unfinished clean-up."""
    _delete_all(driver, database, STAGE)
    _delete_all(driver, database, RETIRED)


# -- loaders ------------------------------------------------------------------------------------


def load(
    graph: nx.MultiDiGraph,
    driver: Driver,
    database: str | None = None,
    batch_size: int = 1000,
    progress: Progress | None = None,
) -> LoadReport:
    """Replace the graph in Neo4j with `graph`, atomically (see the module docstring)."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    nodes = node_rows(graph)
    rels = relationship_rows(graph)
    n_rels = sum(len(rows) for rows in rels.values())
    node_batches = [(_MERGE_NODES, batch) for batch in _batches(nodes, batch_size)]
    rel_batches = [
        (_merge_rels(rel), batch)
        for rel, rows in rels.items()
        for batch in _batches(rows, batch_size)
    ]
    return _run_load(
        driver,
        database,
        len(nodes),
        n_rels,
        [("Loading nodes", node_batches), ("Loading relationships", rel_batches)],
        progress,
        lambda query, batch: ({"rows": batch}, len(batch)),
    )


def load_naive(
    graph: nx.MultiDiGraph,
    driver: Driver,
    database: str | None = None,
    progress: Progress | None = None,
) -> LoadReport:
    """The same load, one row per transaction: the benchmark's baseline."""
    nodes = node_rows(graph)
    rels = relationship_rows(graph)
    n_rels = sum(len(rows) for rows in rels.values())
    node_steps = [(_MERGE_ONE_NODE, row) for row in nodes]
    rel_steps = [(_merge_one_rel(rel), row) for rel, rows in rels.items() for row in rows]
    return _run_load(
        driver,
        database,
        len(nodes),
        n_rels,
        [("Loading nodes", node_steps), ("Loading relationships", rel_steps)],
        progress,
        lambda query, row: (row, 1),
    )


def _run_load(
    driver: Driver,
    database: str | None,
    n_nodes: int,
    n_rels: int,
    phases: list[tuple[str, list[tuple[str, Any]]]],
    progress: Progress | None,
    params_of: Callable[[str, Any], tuple[dict[str, Any], int]],
) -> LoadReport:
    report = progress or (lambda stage, done, total: None)
    started = time.perf_counter()
    transactions = 0
    try:
        apply_schema(driver, database)
        clear_leftovers(driver, database)
        with driver.session(database=database, notifications_min_severity="OFF") as session:
            for stage, steps in phases:
                report(stage, 0, len(steps))
                for done, (query, item) in enumerate(steps, start=1):
                    params, expected = params_of(query, item)
                    session.execute_write(_write, query, params, expected)
                    transactions += 1
                    report(stage, done, len(steps))
            report("Swapping in", 0, 1)
            session.execute_write(_swap, n_nodes, n_rels)
            transactions += 1
            report("Swapping in", 1, 1)
    except (ServiceUnavailable, SessionExpired, OSError) as error:
        raise LoadError(
            f"lost the connection to Neo4j during the load ({error}); the previous graph "
            "is unchanged"
        ) from error
    except Neo4jError as error:
        _forget_stage(driver, database)
        raise LoadError(
            f"Neo4j rejected the load ({error.code}: {error.message}); the previous graph "
            "is unchanged"
        ) from error
    except LoadError:
        _forget_stage(driver, database)
        raise
    seconds = time.perf_counter() - started
    # Nothing reads retired nodes, and the next load removes any left over.
    with contextlib.suppress(Neo4jError, ServiceUnavailable, SessionExpired, OSError):
        _delete_all(driver, database, RETIRED)
    return LoadReport(n_nodes, n_rels, seconds, transactions)


def _forget_stage(driver: Driver, database: str | None) -> None:
    with contextlib.suppress(Neo4jError, ServiceUnavailable, SessionExpired, OSError):
        _delete_all(driver, database, STAGE)  # else the next load removes them


def graph_counts(driver: Driver, database: str | None = None) -> dict[str, int]:
    """Nodes per label and relationships per type of the live plangraph graph."""
    counts: dict[str, int] = {}
    with driver.session(database=database, notifications_min_severity="OFF") as session:
        for label in gm.LABELS:
            query = f"MATCH (n:{label}) RETURN count(n) AS c"
            counts[label] = session.run(query).single(strict=True)["c"]
        for rel in gm.REL_TYPES:
            counts[rel] = session.run(
                f"MATCH (a)-[r:{rel}]->(b) WHERE NOT a:{STAGE} AND NOT a:{RETIRED} "
                "RETURN count(r) AS c"
            ).single(strict=True)["c"]
    return counts


def expected_counts(graph: nx.MultiDiGraph) -> dict[str, int]:
    counts = dict.fromkeys((*gm.LABELS, *gm.REL_TYPES), 0)
    for _, attrs in graph.nodes(data=True):
        counts[attrs["label"]] += 1
    for *_, attrs in graph.edges(data=True):
        counts[attrs["type"]] += 1
    return counts
