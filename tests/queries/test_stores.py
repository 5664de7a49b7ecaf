"""Store behaviour that needs no server: unreachable Neo4j, parameter errors, the protocol."""

from __future__ import annotations

import socket

import networkx as nx
import pytest

from queries.embedded_store import EmbeddedStore
from queries.errors import NameNotFound, StoreUnavailable, UnknownView, ViewParameterError
from queries.neo4j_store import Neo4jStore
from queries.store import GraphStore


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once the socket is closed


def test_an_unreachable_server_raises_store_unavailable():
    store = Neo4jStore.connect(f"bolt://127.0.0.1:{_closed_port()}", "neo4j", "not-a-secret")
    try:
        with pytest.raises(StoreUnavailable):
            store.run_view("agency_counterparts", {})
        with pytest.raises(StoreUnavailable):
            store.counts()
        health = store.health()
        assert health["reachable"] is False and health["store"] == "neo4j"
    finally:
        store.close()


def test_parameter_errors_come_before_any_query():
    store = Neo4jStore.connect(f"bolt://127.0.0.1:{_closed_port()}", "neo4j", "not-a-secret")
    try:
        with pytest.raises(UnknownView):
            store.run_view("no_such_view", {})
        with pytest.raises(ViewParameterError):
            store.run_view("tasks_by_agency", {})
    finally:
        store.close()


def test_both_stores_satisfy_the_protocol():
    embedded = EmbeddedStore.from_graph(nx.MultiDiGraph())
    assert isinstance(embedded, GraphStore)
    assert embedded.counts() == {"plans": 0, "tasks": 0, "agencies": 0, "links": 0}
    with pytest.raises(NameNotFound) as error:
        embedded.run_view("plan_overview", {"plan": "松江区"})
    assert error.value.parameter == "plan" and error.value.view == "plan_overview"
    assert {v["name"] for v in embedded.views()} >= {"plan_overview", "search_tasks"}


def test_the_embedded_file_keeps_its_stamp(bundled_graph, tmp_path):
    from queries import lookups
    from schema import embedded_db
    from schema.graph_stamp import graph_counts_of

    path = embedded_db.write_database(bundled_graph, tmp_path / "g.lbdb")
    store = EmbeddedStore.open(path)
    try:
        stamp = store.stamp()
        assert stamp is not None and len(stamp.version) == 32
        assert stamp.counts == graph_counts_of(bundled_graph)
        # /health's counts come from the stamp; they must be what a scan finds.
        assert store.counts() == store._run(lookups.COUNTS, {})[0]
    finally:
        store.close()
    # Another build is another graph, whatever it holds.
    again = EmbeddedStore.open(embedded_db.write_database(bundled_graph, tmp_path / "h.lbdb"))
    try:
        assert again.stamp().version != stamp.version
    finally:
        again.close()


def test_an_older_embedded_file_is_refused_in_one_line(bundled_graph, tmp_path, monkeypatch):
    from schema import embedded_db

    monkeypatch.setattr(embedded_db, "VERSION", "3")
    path = embedded_db.write_database(bundled_graph, tmp_path / "old.lbdb")
    monkeypatch.undo()
    with pytest.raises(embedded_db.EmbeddedDatabaseError) as error:
        EmbeddedStore.open(path)
    assert str(error.value) == f"{path}: database format 3 is not 4; rebuild it"


def test_names_and_parameterless_views_are_read_once_per_graph(bundled_graph):
    store = EmbeddedStore.from_graph(bundled_graph)
    reads: list[str] = []
    original = store._run

    def counting(query, params):
        reads.append(query)
        return original(query, params)

    store._run = counting  # type: ignore[method-assign]
    plan = store.resolve("plan", "松江区")
    plans = store.run_view("plans", {})
    first = len(reads)
    assert store.resolve("plan", "沪松府〔2023〕138号") == plan
    plans[0]["id"] = "changed by a caller"  # copies are handed out
    assert store.run_view("plans", {})[0]["id"] != "changed by a caller"
    assert len(reads) == first


@pytest.mark.neo4j
def test_neo4j_reads_the_stamp_its_load_wrote(bundled_graph, neo4j_driver, neo4j_settings):
    from ingest.neo4j_load import load
    from queries import lookups
    from schema.graph_stamp import graph_counts_of

    load(bundled_graph, neo4j_driver)
    store = Neo4jStore.connect(
        neo4j_settings["NEO4J_URI"], neo4j_settings["NEO4J_USER"], neo4j_settings["NEO4J_PASSWORD"]
    )
    try:
        stamp = store.stamp()
        assert stamp is not None
        assert stamp.counts == graph_counts_of(bundled_graph)
        assert store.counts() == store._run(lookups.COUNTS, {})[0]
        load(bundled_graph, neo4j_driver)
        assert store.stamp().version != stamp.version
    finally:
        store.close()
