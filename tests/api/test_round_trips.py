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
        def _execute(self, spec, params):
            calls[f"view:{spec.name}"] += 1
            return super()._execute(spec, params)

        def _plan_refs(self):
            calls["plan_refs"] += 1
            return super()._plan_refs()

        def node(self, node_id):
            calls["node"] += 1
            return super().node(node_id)

        def search_names(self, q, limit=10):
            calls["search_names"] += 1
            return super().search_names(q, limit)

    with TestClient(create_app(lambda: CountingStore(bundled_graph))) as client:
        yield client, calls


@pytest.mark.parametrize(
    ("url", "reads"),
    [
        (f"/tasks/{DISTRICT}/task/7", {"view:task_detail": 1}),
        (f"/tasks/{CITY}/task/7", {"view:task_detail": 1}),  # 21 owners, still one read
        ("/agencies", {"view:agencies": 1}),
        ("/industries", {"view:industries": 1}),
        ("/regions", {"view:regions": 1}),
        ("/plans", {"view:plans": 1}),
        (f"/graph/neighbourhood?id={DISTRICT}&depth=3", {"view:neighbourhood": 1}),
    ],
)
def test_one_view_per_answer(counted, url, reads):
    client, calls = counted
    calls.clear()
    response = client.get(url)
    assert response.status_code == 200
    assert dict(calls) == reads
