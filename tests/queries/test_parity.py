"""Every view gives the same rows on the embedded store and on a real Neo4j."""

from __future__ import annotations

import pytest

from ingest.build import build_graph
from ingest.neo4j_load import load
from queries.embedded_store import EmbeddedStore
from queries.errors import NameNotFound
from queries.neo4j_store import Neo4jStore
from queries.registry import all_views
from tests.conftest import PLANS_DIR

pytestmark = pytest.mark.neo4j

CITY = "沪府办发-2023-8"
DISTRICT = "沪松府-2023-138"

CASES: dict[str, list[dict]] = {
    "plan_overview": [{"plan": "松江区"}, {"plan": "沪府办发〔2023〕8号"}],
    "district_to_city": [{"plan": "松江区"}, {"plan": "上海市"}],
    "city_task_children": [
        {"plan": "上海市", "task": 7},
        {"plan": CITY, "task": 1},
        {"plan": CITY, "task": 16},
        {"plan": CITY, "task": 99},
    ],
    "unaligned_tasks": [{"plan": "松江区"}, {"plan": CITY}],
    "coverage": [{"plan": "上海市"}, {"plan": "松江区"}],
    "plan_ledger": [{"plan": "松江区"}, {"plan": "沪府办发〔2023〕8号"}],
    "tasks_by_agency": [
        {"agency": "区经委"},
        {"agency": "区经委", "include_counterparts": True},
        {"agency": "松江区政府"},
        {"agency": "松江区政府", "include_collective": False},
        {"agency": "市经济信息化委", "include_counterparts": True},
        {"agency": "各街镇"},
        {"agency": "无此单位"},
    ],
    "agency_workload": [{"plan": "松江区"}, {"plan": "上海市"}],
    "agency_counterparts": [{}],
    "ownership_mismatches": [{"plan": "松江区"}, {"plan": "上海市"}],
    "tasks_by_industry": [
        {"industry": "集成电路"},
        {"industry": "三大先导产业"},
        {"industry": "生物医药"},
        {"industry": "industry/汽车"},
    ],
    "tasks_by_region": [{"region": "上海市"}, {"region": "松江区"}, {"region": "临港新片区"}],
    "indicator_cascade": [{"plan": "松江区"}, {"plan": "上海市"}],
    "target_contributions": [{"plan": "上海市"}, {"plan": "松江区"}],
    "search_tasks": [
        {"q": "集成电路 人工智能"},
        {"q": "智能工厂建设"},
        {"q": "G60 科创走廊 5G"},
        {"q": "绿色低碳", "limit": 3},
    ],
    "neighbourhood_links": [{"id": f"{CITY}/task/7"}, {"id": DISTRICT, "depth": 3}],
    "neighbourhood": [
        {"id": f"{CITY}/task/7"},
        {"id": "agency/310117/松江区经委", "depth": 2},
        {"id": DISTRICT, "depth": 3},
        {"id": f"{CITY}/indicator/1", "depth": 2},
        {"id": "no/such/node"},
    ],
    "plans": [{}],
    "agencies": [{}],
    "industries": [{}],
    "regions": [{}],
    "task_detail": [
        {"id": f"{DISTRICT}/task/7"},  # a parent, owners in order, one target
        {"id": f"{DISTRICT}/task/10"},  # targets that cascade, members of a collective, places
        {"id": f"{DISTRICT}/task/1"},  # two parents
        {"id": f"{CITY}/task/1"},  # children, industries
        {"id": f"{CITY}/task/7"},  # owners through 各区政府
        {"id": DISTRICT},  # a plan id is not a task: no row
        {"id": "no/such/task"},
    ],
}


@pytest.fixture(scope="module")
def stores(neo4j_driver):
    graph = build_graph([PLANS_DIR]).graph
    load(graph, neo4j_driver)
    yield EmbeddedStore.from_graph(graph), Neo4jStore(neo4j_driver)


def test_every_view_has_parity_cases():
    assert set(CASES) == set(all_views())


@pytest.mark.parametrize(
    ("view", "params"),
    [(view, params) for view, cases in CASES.items() for params in cases],
    ids=lambda value: value if isinstance(value, str) else "-".join(map(str, value.values())),
)
def test_same_rows_on_both_stores(stores, view, params):
    embedded, neo4j = stores
    assert _answer(neo4j, view, params) == _answer(embedded, view, params)


def _answer(store, view, params):
    """The rows, or the refusal of a name (the same message and suggestions on both)."""
    try:
        return store.run_view(view, params)
    except NameNotFound as error:
        return ("not found", str(error), error.suggestions)


def test_views_return_rows_for_the_bundled_plans(stores):
    embedded, _ = stores
    empty = [
        (view, params)
        for view, cases in CASES.items()
        for params in cases[:1]
        if not embedded.run_view(view, params)
    ]
    assert not empty, f"the first case of each view should return rows: {empty}"


def test_store_helpers_agree(stores):
    embedded, neo4j = stores
    assert neo4j.counts() == embedded.counts()
    assert neo4j.resolve_plan("沪松府〔2023〕138 号") == embedded.resolve_plan("松江区")
    for node_id in ("agency/310117/松江区经委", f"{CITY}/task/7", DISTRICT):
        assert neo4j.node(node_id) == embedded.node(node_id)
    for q in ("经委", "集成", "松江"):
        assert neo4j.search_names(q) == embedded.search_names(q)
    assert neo4j.health()["reachable"] is True
