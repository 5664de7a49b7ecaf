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
