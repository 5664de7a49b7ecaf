"""The Neo4j loader: idempotent, and all-or-nothing when a load fails half-way."""

from __future__ import annotations

import contextlib
import copy
import socket
import threading

import pytest
from neo4j import GraphDatabase

from ingest.build import build_graph
from ingest.neo4j_load import (
    STAGE,
    LoadError,
    expected_counts,
    graph_counts,
    load,
    load_naive,
    schema_statements,
)
from schema import graph_model as gm
from tests.conftest import PLANS_DIR

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def bundled():
    return build_graph([PLANS_DIR]).graph


def _changed(graph):
    """A different graph to load over the bundled one: renamed tasks and one extra node."""
    other = copy.deepcopy(graph)
    for _node_id, attrs in other.nodes(data=True):
        if attrs["label"] == gm.TASK:
            attrs["name"] = "changed " + attrs["name"]
    other.add_node("region/测试镇", id="region/测试镇", name="测试镇", label=gm.REGION)
    return other


def _leftovers(driver) -> int:
    records, _, _ = driver.execute_query(
        "MATCH (n) WHERE n:_Stage OR n:_Retired RETURN count(n) AS c"
    )
    return records[0]["c"]


def _task_name(driver, task_id):
    records, _, _ = driver.execute_query(
        "MATCH (t:Task {id: $id}) RETURN t.name AS name", id=task_id
    )
    return [r["name"] for r in records]


def test_the_schema_file_is_idempotent_and_has_a_cjk_full_text_index(neo4j_driver):
    statements = schema_statements()
    assert all("IF NOT EXISTS" in s for s in statements)
    assert any("FULLTEXT" in s and "'cjk'" in s for s in statements)
    records, _, _ = neo4j_driver.execute_query(
        "CALL db.index.fulltext.listAvailableAnalyzers() YIELD analyzer "
        "RETURN collect(analyzer) AS a"
    )
    assert "cjk" in records[0]["a"]


def test_loading_twice_gives_the_same_counts(neo4j_driver, bundled):
    first = load(bundled, neo4j_driver, batch_size=100)
    counts = graph_counts(neo4j_driver)
    assert counts == expected_counts(bundled)
    assert (first.nodes, first.relationships) == (
        bundled.number_of_nodes(),
        bundled.number_of_edges(),
    )
    load(bundled, neo4j_driver)
    assert graph_counts(neo4j_driver) == counts
    assert _leftovers(neo4j_driver) == 0
    records, _, _ = neo4j_driver.execute_query(
        "SHOW CONSTRAINTS YIELD labelsOrTypes, properties RETURN labelsOrTypes[0] AS label"
    )
    assert set(gm.LABELS) <= {r["label"] for r in records}


def test_a_new_graph_replaces_the_old_one(neo4j_driver, bundled):
    other = _changed(bundled)
    load(other, neo4j_driver)
    assert graph_counts(neo4j_driver) == expected_counts(other)
    load(bundled, neo4j_driver)
    assert graph_counts(neo4j_driver) == expected_counts(bundled)


def test_bad_data_half_way_leaves_the_previous_graph_intact(neo4j_driver, bundled):
    load(bundled, neo4j_driver)
    before = graph_counts(neo4j_driver)
    task = "沪府办发-2023-8/task/7"
    name_before = _task_name(neo4j_driver, task)

    broken = _changed(bundled)
    ids = sorted(broken.nodes)
    victim = ids[len(ids) * 2 // 3]  # well after the first batches have committed
    broken.nodes[victim]["nested"] = {"a map": "Neo4j cannot store"}
    committed: list[tuple[str, int]] = []
    with pytest.raises(LoadError, match="previous graph"):
        load(
            broken,
            neo4j_driver,
            batch_size=25,
            progress=lambda stage, done, total: committed.append((stage, done)),
        )
    assert ("Loading nodes", 2) in committed  # batches had been written before the failure
    assert graph_counts(neo4j_driver) == before
    assert _task_name(neo4j_driver, task) == name_before
    assert _leftovers(neo4j_driver) == 0


class _Proxy:
    """A TCP relay to the Neo4j server that a test can cut, like a network failure."""

    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        self.cut_off = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.cut_off:
                client.close()
                continue
            server = socket.create_connection(self.target)
            self.sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def cut(self):
        self.cut_off = True
        for s in self.sockets:
            try:
                s.shutdown(socket.SHUT_RDWR)
                s.close()
            except OSError:
                pass

    def close(self):
        self.cut()
        self.listener.close()


def test_a_connection_cut_mid_load_leaves_the_previous_graph_intact(
    neo4j_driver, neo4j_settings, bundled
):
    from urllib.parse import urlparse

    load(bundled, neo4j_driver)
    before = graph_counts(neo4j_driver)
    url = urlparse(neo4j_settings["NEO4J_URI"])
    proxy = _Proxy(url.hostname or "127.0.0.1", url.port or 7687)
    driver = GraphDatabase.driver(
        f"bolt://127.0.0.1:{proxy.port}",
        auth=(neo4j_settings["NEO4J_USER"], neo4j_settings["NEO4J_PASSWORD"]),
        max_transaction_retry_time=1.0,
        connection_timeout=2.0,
    )

    def cut_half_way(stage, done, total):
        if stage == "Loading relationships" and done == 3:
            proxy.cut()

    try:
        with pytest.raises(LoadError, match="lost the connection"):
            load(_changed(bundled), driver, batch_size=50, progress=cut_half_way)
    finally:
        driver.close()
        proxy.close()
    assert proxy.cut_off
    assert graph_counts(neo4j_driver) == before
    # The next load clears what the cut load had staged and succeeds.
    load(bundled, neo4j_driver)
    assert graph_counts(neo4j_driver) == before
    assert _leftovers(neo4j_driver) == 0


def test_the_naive_loader_gives_the_same_graph(neo4j_driver, bundled):
    small = bundled.subgraph(
        [n for n, a in bundled.nodes(data=True) if a.get("plan_id") != "沪府办发-2023-8"]
    ).copy()
    report = load_naive(small, neo4j_driver)
    assert report.transactions == small.number_of_nodes() + small.number_of_edges() + 1
    assert graph_counts(neo4j_driver) == expected_counts(small)
    load(bundled, neo4j_driver)
    assert graph_counts(neo4j_driver) == expected_counts(bundled)


def test_unknown_labels_are_refused_before_anything_is_written(neo4j_driver, bundled):
    load(bundled, neo4j_driver)
    odd = copy.deepcopy(bundled)
    odd.add_node("x", id="x", name="x", label="Robot")
    with pytest.raises(LoadError, match="unknown label"):
        load(odd, neo4j_driver)
    assert graph_counts(neo4j_driver) == expected_counts(bundled)
    records, _, _ = neo4j_driver.execute_query(f"MATCH (n:{STAGE}) RETURN count(n) AS c")
    assert records[0]["c"] == 0
