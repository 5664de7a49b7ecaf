"""Both stores give the same JSON for the same request (the views are twins; so is the API)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app

URLS = [
    "/plans",
    "/plans/松江区",
    "/plans/松江区/alignment",
    "/tasks?limit=200",
    "/tasks?q=集成电路",
    "/tasks?agency=区经委&industry=集成电路",
    "/tasks/沪松府-2023-138/task/7",
    "/tasks/沪府办发-2023-8/task/1",
    "/agencies",
    "/agencies/区经委/tasks?include_counterparts=true",
    "/industries",
    "/regions",
    "/indicators",
    "/views/ownership_mismatches?plan=松江区",
    "/views/indicator_cascade?plan=松江区&format=csv",
    "/graph/neighbourhood?id=沪松府-2023-138/task/7&depth=2",
    "/agencies/经委/tasks",
    "/tasks/沪松府-2023-138/task/99",
]


@pytest.fixture(scope="module")
def both(embedded_factory, neo4j_factory) -> Iterator[tuple[TestClient, TestClient]]:
    with (
        TestClient(create_app(embedded_factory)) as embedded,
        TestClient(create_app(neo4j_factory)) as neo4j,
    ):
        yield embedded, neo4j


@pytest.mark.neo4j
@pytest.mark.parametrize("url", URLS)
def test_same_answer_from_both_stores(both, url):
    embedded, neo4j = both
    a, b = embedded.get(url), neo4j.get(url)
    assert a.status_code == b.status_code
    assert a.headers["content-type"] == b.headers["content-type"]
    if a.headers["content-type"].startswith("application/json"):
        assert a.json() == b.json()
    else:
        assert a.text == b.text
