"""Each resource answer costs a fixed number of store reads, however many items it holds.

On Neo4j every view run or node lookup is a network round trip, so these count the store
calls an answer makes (on the embedded store, which the API drives through the same
interface) and fail when a per-item loop creeps back in.
"""

from __future__ import annotations

from collections import Counter

import pytest
from fastapi.testclient import TestClient

from api.app import create_app

CITY = "沪府办发-2023-8"
DISTRICT = "沪松府-2023-138"


@pytest.fixture(scope="module")
def counted(bundled_graph):
    from queries.embedded_store import EmbeddedStore

    calls: Counter[str] = Counter()

    class CountingStore(EmbeddedStore):
        def run_view(self, name, params=None):
            calls[f"view:{name}"] += 1
            return super().run_view(name, params)

        def _run(self, query, params):
            calls["queries"] += 1
            return super()._run(query, params)

    with TestClient(create_app(lambda: CountingStore.from_graph(bundled_graph))) as client:
        yield client, calls


@pytest.mark.parametrize(
    ("url", "reads"),
    [
        (f"/tasks/{DISTRICT}/task/7", {"view:task_detail": 1, "queries": 1}),
        # 21 owners, still one read
        (f"/tasks/{CITY}/task/7", {"view:task_detail": 1, "queries": 1}),
        ("/agencies", {"view:agencies": 1, "queries": 1}),
        ("/industries", {"view:industries": 1, "queries": 1}),
        ("/regions", {"view:regions": 1, "queries": 1}),
        ("/plans", {"view:plans": 1, "queries": 1}),
        (
            f"/graph/neighbourhood?id={DISTRICT}&depth=3",
            {"view:neighbourhood": 1, "view:neighbourhood_links": 1, "queries": 2},
        ),
    ],
)
def test_one_view_per_answer(counted, url, reads):
    client, calls = counted
    calls.clear()
    response = client.get(url)
    assert response.status_code == 200
    assert dict(calls) == reads
