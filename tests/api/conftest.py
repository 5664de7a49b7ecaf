"""One API suite, two stores.

`api_client` is parametrised: 'embedded' serves the graph built from the bundled plans in
data/plans/ from memory; 'neo4j' loads that same graph into the real local Neo4j with
ingest/neo4j_load.py and serves it through Neo4jStore. Every test that takes `api_client`
therefore runs once per store, and the Neo4j run carries the `neo4j` marker (fails under CI,
skips locally, when the server cannot be had).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from queries.store import GraphStore

STORES = ["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)]


@pytest.fixture(scope="session")
def embedded_factory(bundled_graph) -> Callable[[], GraphStore]:
    from queries.embedded_store import EmbeddedStore

    return lambda: EmbeddedStore.from_graph(bundled_graph)


@pytest.fixture(scope="session")
def neo4j_factory(bundled_graph, neo4j_driver, neo4j_settings) -> Callable[[], GraphStore]:
    from ingest.neo4j_load import load
    from queries.neo4j_store import Neo4jStore

    load(bundled_graph, neo4j_driver)
    return lambda: Neo4jStore.connect(
        neo4j_settings["NEO4J_URI"],
        neo4j_settings["NEO4J_USER"],
        neo4j_settings["NEO4J_PASSWORD"],
    )


@pytest.fixture(scope="session", params=STORES)
def store_kind(request) -> str:
    return request.param


@pytest.fixture(scope="session")
def api_client(store_kind, request) -> Iterator[TestClient]:
    factory = request.getfixturevalue(f"{store_kind}_factory")
    # TestClient as a context manager runs the lifespan: the store opens once, as in serve.
    with TestClient(create_app(factory, store_kind=store_kind)) as client:
        yield client


@pytest.fixture(scope="session")
def embedded_client(embedded_factory) -> Iterator[TestClient]:
    with TestClient(create_app(embedded_factory, store_kind="embedded")) as client:
        yield client
