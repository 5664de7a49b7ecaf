"""Entities beyond Shanghai: plans of other cities and of the national level, in one graph.

Hand-written plans in the genre's style (not copied from any document) for two cities that
share bureau and district names, and the ten real corpus documents for the known-rate and the
governments their owners belong to.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.build import build_from_plans
from ingest.enrich import enrich
from ingest.model import Action, Measure, Plan, SourceSpan, Task
from ingest.parsing import parse_file
from schema import graph_model as gm
from schema.divisions import load_divisions
from tests.conftest import PROJECT_ROOT

CORPUS = sorted(p for p in (PROJECT_ROOT / "tests" / "corpus").iterdir() if p.suffix != ".md")


def _city_plan(city: str, doc_number: str, district: str) -> Plan:
    task = Task(
        1,
        "推动产业集群发展",
        f"推动产业集群发展。支持{district}建设智能制造示范区，提升集成电路产业能级。",
        ["市发展改革委", "市财政局", "各区政府"],
        SourceSpan(5, 6),
        roles=["lead", "co", "co"],
    )
    measure = Measure(1, "加强组织领导", "加强组织领导。", ["市发展改革委"])
    return Plan(
        title=f"{city}推动制造业高质量发展行动方案",
        doc_number=doc_number,
        issuer=f"{city}人民政府办公厅",
        issuers=[f"{city}人民政府办公厅"],
        level="city",
        region=city,
        actions=[Action(1, "强链行动", [task])],
        measures=[measure],
        source_file=f"{city}.txt",
    )


@pytest.fixture(scope="module")
def two_cities():
    nanjing = _city_plan("南京市", "宁政办发〔2024〕3号", "鼓楼区")
    fuzhou = _city_plan("福州市", "榕政办〔2024〕7号", "鼓楼区")
    for plan in (nanjing, fuzhou):
        enrich(plan)
    return nanjing, fuzhou, build_from_plans([nanjing, fuzhou]).graph


def test_plans_of_two_cities_are_placed_by_the_gazetteer(two_cities):
    nanjing, fuzhou, _ = two_cities
    divisions = load_divisions()
    assert divisions.get(nanjing.region_code).name == "南京市"
    assert divisions.get(fuzhou.region_code).name == "福州市"


def test_same_named_bureaus_of_two_cities_stay_two_nodes(two_cities):
    nanjing, fuzhou, graph = two_cities
    bureaus = [
        node
        for node, attrs in graph.nodes(data=True)
        if attrs["label"] == gm.AGENCY and "市发展改革委" in attrs.get("aliases", [])
    ]
    # Each named with its city (南京市发展改革委), qualified by its government's code.
    assert sorted(bureaus) == sorted(
        [
            f"agency/{nanjing.region_code}/南京市发展改革委",
            f"agency/{fuzhou.region_code}/福州市发展改革委",
        ]
    )
    for node in bureaus:
        assert graph.nodes[node]["function"] == "development"
        assert graph.nodes[node]["level"] == "city"


def test_same_named_districts_of_two_cities_stay_two_places(two_cities):
    nanjing, fuzhou, graph = two_cities
    divisions = load_divisions()
    found = {plan.region_code: plan.tasks[0].places for plan in (nanjing, fuzhou)}
    gulou = {code: places[0] for code, places in found.items()}
    assert len(set(gulou.values())) == 2, found
    for city, district in gulou.items():
        assert divisions.get(district).name == "鼓楼区"
        assert divisions.within(district, city)
        assert graph.has_edge(f"region/{district}", f"region/{city}", key=gm.PART_OF)


def test_each_citys_collective_expands_to_its_own_districts(two_cities):
    nanjing, fuzhou, _ = two_cities
    divisions = load_divisions()
    for plan in (nanjing, fuzhou):
        members = [o for o in plan.tasks[0].owners if o.via]
        # 各区政府: the city's districts (区), not its counties or county-level cities.
        districts = [d for d in divisions.children(plan.region_code) if d.name.endswith("区")]
        assert sorted(o.government for o in members) == sorted(d.code for d in districts)
        for member in members:
            assert member.kind == "government"
            assert divisions.get(member.government).parent == plan.region_code


def test_a_city_bureau_is_the_counterpart_of_its_province_and_ministry_not_the_other_city():
    province = _city_plan("江苏省", "苏政办发〔2024〕1号", "南京市")
    province.level = "province"
    nanjing = _city_plan("南京市", "宁政办发〔2024〕3号", "鼓楼区")
    fuzhou = _city_plan("福州市", "榕政办〔2024〕7号", "鼓楼区")
    national = _city_plan("国务院", "国办发〔2024〕1号", "各省")
    national.level, national.region = "national", None
    national.tasks[0].agencies = ["国家发展改革委"]
    national.measures[0].agencies = ["国家发展改革委"]
    province.tasks[0].agencies = ["省发展改革委"]
    province.measures[0].agencies = ["省发展改革委"]
    plans = [province, nanjing, fuzhou, national]
    for plan in plans:
        enrich(plan)
    graph = build_from_plans(plans).graph
    pairs = {
        (a.split("/")[1], b.split("/")[1])
        for a, b, key in graph.edges(keys=True)
        if key == gm.COUNTERPART_OF and graph.nodes[a].get("function") == "development"
    }
    assert (nanjing.region_code, province.region_code) in pairs
    assert (province.region_code, "CN") in pairs
    assert (fuzhou.region_code, province.region_code) not in pairs  # 福州 is in 福建省
    assert (nanjing.region_code, "CN") not in pairs  # one level at a time


# -- the ten real documents ------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus() -> dict[str, Plan]:
    plans = {}
    for path in CORPUS:
        plan = parse_file(path)
        enrich(plan)
        plans[path.name] = plan
    return plans


def _direct_owners(plan: Plan):
    return [o for item in [*plan.tasks, *plan.measures] for o in item.owners if o.via is None]


def test_owners_on_the_corpus_are_known(corpus):
    owners = [o for plan in corpus.values() for o in _direct_owners(plan)]
    known = [o for o in owners if o.kind != "unknown"]
    assert len(owners) > 400
    assert len(known) / len(owners) >= 0.95


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: Path(p).name[:2])
def test_corpus_owners_belong_to_the_documents_governments(corpus, path):
    """A national document's units are national bodies or the provinces it addresses; a
    city's, that city or a division inside it (or a national body's local office)."""
    plan = corpus[path.name]
    divisions = load_divisions()
    for owner in _direct_owners(plan):
        if owner.kind == "unknown" or owner.government is None:
            continue
        if plan.level == "national":
            inside = owner.government == "CN" or divisions.get(owner.government).level == "province"
        else:
            inside = owner.government == "CN" or divisions.within(
                owner.government, plan.region_code
            )
        assert inside, (path.name, owner)


@pytest.mark.parametrize(
    ("prefix", "level", "region_code"),
    [("12", "national", None), ("15", "city", "440100"), ("01", "city", "310000")],
)
def test_corpus_plans_get_their_level_and_region(corpus, prefix, level, region_code):
    plan = next(p for name, p in corpus.items() if name.startswith(prefix))
    assert (plan.level, plan.region_code) == (level, region_code)


def test_national_bodies_of_the_corpus_carry_level_and_function(corpus):
    owners = {o.name: o for plan in corpus.values() for o in _direct_owners(plan)}
    for name, function in (("人力资源社会保障部", "human_resources"), ("交通运输部", "transport")):
        owner = owners[name]
        assert (owner.level, owner.government, owner.function) == ("national", "CN", function)
    guangzhou = owners["市人力资源和社会保障局"]
    assert (guangzhou.level, guangzhou.government, guangzhou.function) == (
        "city",
        "440100",
        "human_resources",
    )
