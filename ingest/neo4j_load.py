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

Knowing the outcome
-------------------
The swap transaction also writes the graph's stamp (schema.graph_stamp: a fresh version, which
is this load's id, and the counts) into one ``:_GraphStamp`` node. When the connection is lost
while the swap runs or commits, the loader cannot know from the error whether the commit
happened; it reconnects (waiting up to `outcome_wait` seconds) and reads the live stamp: its
own version means the new graph is live, another means the previous graph is. Only if Neo4j
does not answer in time does it say that the outcome is unknown. The swap runs in an explicit
transaction: the driver's automatic retry would re-run it after a commit whose answer was lost.

One load at a time
------------------
A load holds a lock, one ``:_LoadLock`` node (unique key) with its id, host, pid and a
heartbeat the load refreshes as it writes. A second load is refused with one line naming the
first. A lock left by a load that died is taken over: on the same host when its process is
gone (or is this process and that load has ended), elsewhere when its heartbeat is older than
`LOCK_STALE_SECONDS`.

Why not one transaction for everything: the bundled pair would fit, but 1000 district plans
are ~100k nodes and ~1M relationships, whose transaction state would need most of a small
server's heap. The swap transaction only relabels nodes, which is far smaller.

`load_naive` writes one row per transaction (and the same swap): the baseline for
benchmarks/load_neo4j.py, not for use.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
from neo4j import Driver, ManagedTransaction, Transaction
from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired

from schema import graph_model as gm
from schema.graph_stamp import GraphStamp

Progress = Callable[[str, int, int], None]

CONSTRAINTS_FILE = Path(gm.__file__).resolve().parent / "constraints.cypher"
STAGE = "_Stage"
RETIRED = "_Retired"
CLEANUP_BATCH = 1000
LOCK_LABEL = "_LoadLock"
LOCK_KEY = "plangraph"
HEARTBEAT_SECONDS = 5.0
LOCK_STALE_SECONDS = 120.0
OUTCOME_WAIT_SECONDS = 60.0

# The loads running in this process: a lock naming this pid but none of these is abandoned.
_ACTIVE_LOADS: set[str] = set()
_ACTIVE_GUARD = threading.Lock()


class LoadError(RuntimeError):
    """The load failed; the graph that was there before is still there."""


class LoadBusy(LoadError):
    """Another load holds the lock; nothing was written."""


class LoadOutcomeUnknown(LoadError):
    """The connection was lost during the swap and Neo4j did not answer again in time."""


@dataclass
class LoadReport:
    nodes: int
    relationships: int
    seconds: float
    transactions: int
    load_id: str = ""
    # Something the user should know although the load succeeded (a lock taken over, a
    # connection lost after the commit).
    notes: tuple[str, ...] = ()

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


def _check_label(label: str, allowed: tuple[str, ...] = gm.LABELS) -> str:
    if label not in allowed:
        raise LoadError(f"unknown label {label!r}; the graph model has {', '.join(allowed)}")
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


def _swap(tx: Transaction, load_id: str, stamp: GraphStamp) -> None:
    """Retire the live graph, promote the staged one, label tasks by level, write the stamp.

    Runs in one explicit transaction: everything commits or nothing does."""
    _check_lock(tx, load_id)
    staged = tx.run(f"MATCH (n:{STAGE}) RETURN count(n) AS c").single(strict=True)["c"]
    staged_rels = tx.run(f"MATCH (:{STAGE})-[r]->(:{STAGE}) RETURN count(r) AS c").single(
        strict=True
    )["c"]
    if (staged, staged_rels) != (stamp.nodes, stamp.relationships):
        raise LoadError(
            f"staged {staged} nodes and {staged_rels} relationships, expected {stamp.nodes} "
            f"and {stamp.relationships}"
        )
    level_labels = tuple(gm.TASK_LEVEL_LABELS.values())
    for label in gm.LABELS:
        tx.run(f"MATCH (n:{label}) SET n:{RETIRED}, n._rid = n.id REMOVE n:{label}, n.id").consume()
    for level_label in level_labels:
        # Retired tasks lose their level label too, or Neo4j Browser would still draw them.
        # Only retired tasks carry one now (staged nodes get theirs below): match the label
        # itself rather than every retired node.
        level = _check_label(level_label, level_labels)
        tx.run(f"MATCH (n:{level}) REMOVE n:{level}").consume()
    for label in gm.LABELS:
        tx.run(
            f"MATCH (n:{STAGE}) WHERE n._label = $label "
            f"SET n:{label}, n.id = n._sid REMOVE n:{STAGE}, n._sid, n._label",
            label=label,
        ).consume()
    for level, level_label in gm.TASK_LEVEL_LABELS.items():
        tx.run(
            f"MATCH (p:{gm.PLAN} {{level: $level}}) MATCH (t:{gm.TASK} {{plan_id: p.id}}) "
            f"SET t:{_check_label(level_label, level_labels)}",
            level=level,
        ).consume()
    tx.run(
        f"MERGE (s:{gm.STAMP_LABEL} {{key: $key}}) "
        "SET s.version = $version, s.created_at = $created_at, s.counts = $counts",
        key=LOCK_KEY,
        version=stamp.version,
        created_at=stamp.created_at,
        counts=stamp.counts_json(),
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


# -- the lock -----------------------------------------------------------------------------------

_CLAIM_LOCK = (
    "SET l.load = $load, l.host = $host, l.pid = $pid, l.heartbeat = timestamp(), "
    "l.started_at = toString(datetime.realtime()) RETURN count(l) AS c"
)
_CREATE_LOCK = f"CREATE (l:{LOCK_LABEL} {{key: $key}}) {_CLAIM_LOCK}"
_TAKE_OVER_LOCK = f"MATCH (l:{LOCK_LABEL} {{key: $key, load: $old}}) {_CLAIM_LOCK}"
_READ_LOCK = (
    f"OPTIONAL MATCH (l:{LOCK_LABEL} {{key: $key}}) "
    "RETURN l.load AS load, l.host AS host, l.pid AS pid, l.started_at AS started_at, "
    "timestamp() - l.heartbeat AS idle_ms"
)


@dataclass(frozen=True)
class LockHolder:
    load: str
    host: str
    pid: int
    started_at: str
    idle_seconds: float

    def describe(self) -> str:
        return (
            f"load {self.load[:8]} (pid {self.pid} on {self.host}, started {self.started_at}, "
            f"last heard from {self.idle_seconds:.0f} s ago)"
        )

    def abandoned(self) -> bool:
        """Did the load that holds this lock die without releasing it?"""
        if self.host == socket.gethostname():
            if self.pid == os.getpid():
                with _ACTIVE_GUARD:
                    return self.load not in _ACTIVE_LOADS
            if not _process_alive(self.pid):
                return True
        return self.idle_seconds > LOCK_STALE_SECONDS


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, someone else's
        return True
    return True


def lock_holder(driver: Driver, database: str | None = None) -> LockHolder | None:
    """The load holding the lock, if any."""
    with driver.session(database=database, notifications_min_severity="OFF") as session:
        return session.execute_read(_holder, LOCK_KEY)


def _holder(tx: ManagedTransaction, key: str) -> LockHolder | None:
    row = tx.run(_READ_LOCK, key=key).single(strict=True)
    if row["load"] is None:
        return None
    return LockHolder(
        load=str(row["load"]),
        host=str(row["host"]),
        pid=int(row["pid"] or 0),
        started_at=str(row["started_at"]),
        idle_seconds=(row["idle_ms"] or 0) / 1000,
    )


def _take_lock(tx: ManagedTransaction, load_id: str) -> str | None:
    """Take the lock for `load_id`; returns a note if an abandoned lock was taken over."""
    holder = _holder(tx, LOCK_KEY)
    if holder is not None and not holder.abandoned():
        raise LoadBusy(
            f"another load is running: {holder.describe()}; nothing was written. A lock whose "
            f"load died is taken over once its process is gone or after {LOCK_STALE_SECONDS:.0f} s"
            " without a heartbeat"
        )
    # CREATE, not MERGE: of two loads that both saw no lock, the unique key makes the second
    # fail instead of quietly overwriting the first's lock. A take-over names the load it
    # replaces, so two loads taking over the same dead lock cannot both succeed.
    params = {"key": LOCK_KEY, "load": load_id, "host": socket.gethostname(), "pid": os.getpid()}
    if holder is None:
        tx.run(_CREATE_LOCK, params).consume()
    elif not tx.run(_TAKE_OVER_LOCK, params, old=holder.load).single(strict=True)["c"]:
        raise LoadBusy("another load took the lock at the same moment; nothing was written")
    return None if holder is None else f"took over the lock of an abandoned {holder.describe()}"


def _check_lock(tx: Transaction | ManagedTransaction, load_id: str) -> None:
    """Refresh the heartbeat; fail if the lock is no longer this load's."""
    mine = tx.run(
        f"MATCH (l:{LOCK_LABEL} {{key: $key, load: $load}}) SET l.heartbeat = timestamp() "
        "RETURN count(l) AS c",
        key=LOCK_KEY,
        load=load_id,
    ).single(strict=True)["c"]
    if not mine:
        raise LoadError(
            "this load's lock was taken over by another load (it was silent for longer than "
            f"{LOCK_STALE_SECONDS:.0f} s); stopped before swapping in"
        )


def _write_with_heartbeat(
    tx: ManagedTransaction, load_id: str, query: str, params: dict[str, Any], expected: int
) -> int:
    _check_lock(tx, load_id)
    return _write(tx, query, params, expected)


def _release_lock(driver: Driver, database: str | None, load_id: str) -> None:
    with (
        contextlib.suppress(Neo4jError, ServiceUnavailable, SessionExpired, OSError),
        driver.session(database=database, notifications_min_severity="OFF") as session,
    ):
        session.run(
            f"MATCH (l:{LOCK_LABEL} {{key: $key, load: $load}}) DELETE l",
            key=LOCK_KEY,
            load=load_id,
        ).consume()


# -- loaders ------------------------------------------------------------------------------------


def load(
    graph: nx.MultiDiGraph,
    driver: Driver,
    database: str | None = None,
    batch_size: int = 1000,
    progress: Progress | None = None,
    outcome_wait: float = OUTCOME_WAIT_SECONDS,
) -> LoadReport:
    """Replace the graph in Neo4j with `graph`, atomically (see the module docstring)."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    nodes = node_rows(graph)
    rels = relationship_rows(graph)
    node_batches = [(_MERGE_NODES, batch) for batch in _batches(nodes, batch_size)]
    rel_batches = [
        (_merge_rels(rel), batch)
        for rel, rows in rels.items()
        for batch in _batches(rows, batch_size)
    ]
    return _Load(driver, database, GraphStamp.of(graph), progress, outcome_wait).run(
        [("Loading nodes", node_batches), ("Loading relationships", rel_batches)],
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
    node_steps = [(_MERGE_ONE_NODE, row) for row in nodes]
    rel_steps = [(_merge_one_rel(rel), row) for rel, rows in rels.items() for row in rows]
    return _Load(driver, database, GraphStamp.of(graph), progress, OUTCOME_WAIT_SECONDS).run(
        [("Loading nodes", node_steps), ("Loading relationships", rel_steps)],
        lambda query, row: (row, 1),
    )


_CONNECTION_LOST = (ServiceUnavailable, SessionExpired, OSError)


class _Load:
    """One load: lock, stage, swap, clean up; knows its outcome even when the line drops."""

    def __init__(
        self,
        driver: Driver,
        database: str | None,
        stamp: GraphStamp,
        progress: Progress | None,
        outcome_wait: float,
    ) -> None:
        self.driver = driver
        self.database = database
        self.stamp = stamp
        self.load_id = stamp.version
        self.report = progress or (lambda stage, done, total: None)
        self.outcome_wait = outcome_wait
        self.transactions = 0
        self.notes: list[str] = []

    def _session(self) -> Any:
        return self.driver.session(database=self.database, notifications_min_severity="OFF")

    def run(
        self,
        phases: list[tuple[str, list[tuple[str, Any]]]],
        params_of: Callable[[str, Any], tuple[dict[str, Any], int]],
    ) -> LoadReport:
        started = time.perf_counter()
        with _ACTIVE_GUARD:
            _ACTIVE_LOADS.add(self.load_id)
        try:
            self._lock()
            try:
                self._stage(phases, params_of)
                self._swap()
            finally:
                _release_lock(self.driver, self.database, self.load_id)
        finally:
            with _ACTIVE_GUARD:
                _ACTIVE_LOADS.discard(self.load_id)
        seconds = time.perf_counter() - started
        # Nothing reads retired nodes, and the next load removes any left over.
        with contextlib.suppress(Neo4jError, *_CONNECTION_LOST):
            _delete_all(self.driver, self.database, RETIRED)
        return LoadReport(
            self.stamp.nodes,
            self.stamp.relationships,
            seconds,
            self.transactions,
            self.load_id,
            tuple(self.notes),
        )

    def _lock(self) -> None:
        try:
            apply_schema(self.driver, self.database)
            with self._session() as session:
                note = session.execute_write(_take_lock, self.load_id)
        except _CONNECTION_LOST as error:
            raise LoadError(
                f"could not reach Neo4j ({error}); nothing was written, the previous graph is "
                "unchanged"
            ) from error
        except Neo4jError as error:
            if error.code and "ConstraintValidationFailed" in error.code:
                # Another load created the lock between our read and our write.
                raise LoadBusy(
                    "another load took the lock at the same moment; nothing was written"
                ) from error
            raise LoadError(
                f"Neo4j refused the load lock ({error.code}: {error.message})"
            ) from error
        if note:
            self.notes.append(note)

    def _stage(
        self,
        phases: list[tuple[str, list[tuple[str, Any]]]],
        params_of: Callable[[str, Any], tuple[dict[str, Any], int]],
    ) -> None:
        try:
            clear_leftovers(self.driver, self.database)
            last_beat = time.monotonic()
            with self._session() as session:
                for stage, steps in phases:
                    self.report(stage, 0, len(steps))
                    for done, (query, item) in enumerate(steps, start=1):
                        params, expected = params_of(query, item)
                        if time.monotonic() - last_beat > HEARTBEAT_SECONDS:
                            session.execute_write(
                                _write_with_heartbeat, self.load_id, query, params, expected
                            )
                            last_beat = time.monotonic()
                        else:
                            session.execute_write(_write, query, params, expected)
                        self.transactions += 1
                        self.report(stage, done, len(steps))
        except _CONNECTION_LOST as error:
            raise LoadError(
                f"lost the connection to Neo4j while staging ({error}); the previous graph is "
                "unchanged and the next load removes what was staged"
            ) from error
        except Neo4jError as error:
            self._forget_stage()
            raise LoadError(
                f"Neo4j rejected the load ({error.code}: {error.message}); the previous graph "
                "is unchanged"
            ) from error
        except LoadError:
            self._forget_stage()
            raise

    def _swap(self) -> None:
        # Progress (stage, 0, 2) before the swap, 1 when its statements ran, 2 once committed.
        self.report("Swapping in", 0, 2)
        try:
            with self._session() as session, session.begin_transaction() as tx:
                _swap(tx, self.load_id, self.stamp)
                self.report("Swapping in", 1, 2)
                tx.commit()
        except _CONNECTION_LOST as error:
            self._outcome_after(error)
        except Neo4jError as error:
            self._forget_stage()
            raise LoadError(
                f"Neo4j rejected the swap ({error.code}: {error.message}); the previous graph "
                "is unchanged"
            ) from error
        except LoadError:
            self._forget_stage()
            raise
        self.transactions += 1
        self.report("Swapping in", 2, 2)

    def _outcome_after(self, error: Exception) -> None:
        """The line dropped during the swap: find out from the live stamp whether it committed."""
        live = live_stamp_version(self.driver, self.database, wait=self.outcome_wait)
        if live is _UNREACHABLE:
            raise LoadOutcomeUnknown(
                f"lost the connection to Neo4j while swapping in the new graph ({error}) and "
                f"Neo4j has not answered for {self.outcome_wait:.0f} s, so whether load "
                f"{self.load_id[:8]} is live cannot be told yet; once Neo4j is back, "
                "`plangraph neo4j-status` shows the live graph's load id (the next load cleans "
                "up either way)"
            ) from error
        if live == self.load_id:
            self.notes.append(
                "the connection dropped as the swap committed; checked after reconnecting: the "
                "new graph is live"
            )
            return
        self._forget_stage()
        raise LoadError(
            f"lost the connection to Neo4j while swapping in the new graph ({error}); checked "
            "after reconnecting: the swap did not commit, the previous graph is live"
        ) from error

    def _forget_stage(self) -> None:
        with contextlib.suppress(Neo4jError, *_CONNECTION_LOST):
            _delete_all(self.driver, self.database, STAGE)  # else the next load removes them


_UNREACHABLE = object()


_READ_STAMP = (
    f"OPTIONAL MATCH (s:{gm.STAMP_LABEL} {{key: $key}}) "
    "RETURN s.version AS version, s.created_at AS created_at, s.counts AS counts"
)


def _stamp_row(driver: Driver, database: str | None) -> Any:
    with driver.session(database=database, notifications_min_severity="OFF") as session:
        return session.run(_READ_STAMP, key=LOCK_KEY).single(strict=True)


def live_stamp_version(driver: Driver, database: str | None = None, wait: float = 0.0) -> Any:
    """The live graph's stamp version (None: no stamp), or _UNREACHABLE after `wait` seconds
    of Neo4j not answering."""
    deadline = time.monotonic() + wait
    while True:
        try:
            return _stamp_row(driver, database)["version"]
        except _CONNECTION_LOST:
            if time.monotonic() >= deadline:
                return _UNREACHABLE
            time.sleep(1.0)


def live_stamp(driver: Driver, database: str | None = None) -> GraphStamp | None:
    """The stamp of the live graph (None for a graph loaded before stamps existed)."""
    row = _stamp_row(driver, database)
    if row["version"] is None:
        return None
    return GraphStamp.from_parts(row["version"], row["created_at"], row["counts"])


def leftover_counts(driver: Driver, database: str | None = None) -> dict[str, int]:
    """Staging and retired nodes left by a failed load or clean-up (the next load removes them)."""
    with driver.session(database=database, notifications_min_severity="OFF") as session:
        return {STAGE: _count_label(session, STAGE), RETIRED: _count_label(session, RETIRED)}


def _count_label(session: Any, label: str) -> int:
    return session.run(f"MATCH (n:{label}) RETURN count(n) AS c").single(strict=True)["c"]


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
