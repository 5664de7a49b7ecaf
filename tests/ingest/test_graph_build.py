"""The graph builder: stable ids, every label and relationship, stubs, storable properties."""

from __future__ import annotations

import json

import pytest

from ingest import ids
from ingest.build import build_from_plans, build_graph
from ingest.graph import EmptyCatalog, short_title
from ingest.model import Action, Citation, Owner, Plan, SourceSpan, Task
from schema import graph_model as gm
from tests.conftest import CITY_PLAN, DISTRICT_PLAN, PLANS_DIR


@pytest.fixture(scope="module")
def bundled():
    return build_graph([PLANS_DIR])


def _nodes(graph, label):
    return {n: a for n, a in graph.nodes(data=True) if a["label"] == label}


def test_same_input_gives_the_same_ids_and_the_same_snapshot(bundled):
    again = build_graph([PLANS_DIR])
    assert sorted(again.graph.nodes) == sorted(bundled.graph.nodes)
    assert sorted(again.graph.edges(keys=True)) == sorted(bundled.graph.edges(keys=True))
    assert gm.snapshot_data(again.graph) == gm.snapshot_data(bundled.graph)


def test_ids_are_readable_and_follow_the_documents(bundled):
    plans = _nodes(bundled.graph, gm.PLAN)
    by_doc = {a["doc_key"]: n for n, a in plans.items()}
    # The district's number is written with a space (138 号); the id normalises it.
    district = by_doc["沪松府〔2023〕138号"]
    assert district == "沪松府-2023-138"
    tasks = _nodes(bundled.graph, gm.TASK)
    district_tasks = sorted(a["number"] for a in tasks.values() if a["plan_id"] == district)
    assert district_tasks == list(range(1, 22))  # the plan numbers its tasks 1..21
    assert all(n == f"{a['plan_id']}/task/{a['number']}" for n, a in tasks.items())


def test_every_label_and_relationship_type_is_present(bundled):
    graph = bundled.graph
    labels = {a["label"] for _, a in graph.nodes(data=True)}
    assert labels == set(gm.LABELS)
    types = {a["type"] for *_, a in graph.edges(data=True)}
    assert types == set(gm.REL_TYPES)
    allowed = set(gm.RELATIONSHIPS)
    for source, target, attrs in graph.edges(data=True):
        triple = (graph.nodes[source]["label"], attrs["type"], graph.nodes[target]["label"])
        assert triple in allowed, triple


def test_every_node_has_id_name_label_and_storable_properties(bundled):
    def storable(value):
        if isinstance(value, str | int | float | bool):
            return True
        return (
            isinstance(value, list)
            and len({type(v) for v in value}) <= 1
            and all(isinstance(v, str | int | float | bool) for v in value)
        )

    for node_id, attrs in bundled.graph.nodes(data=True):
        assert attrs["id"] == node_id and attrs["name"] and attrs["label"] in gm.LABELS
        bad = {k: v for k, v in attrs.items() if not storable(v)}
        assert not bad, (node_id, bad)
    for source, target, attrs in bundled.graph.edges(data=True):
        bad = {k: v for k, v in attrs.items() if not storable(v)}
        assert not bad, (source, target, bad)


def test_alignment_links_carry_score_status_and_evidence_as_strings(bundled):
    links = [a for *_, a in bundled.graph.edges(data=True) if a["type"] == gm.ALIGNS_WITH]
    assert links
    for link in links:
        assert isinstance(link["score"], float) and link["status"] and link["method"]
        assert all(isinstance(item, str) for item in link.get("evidence", []))


def test_district_bureaus_are_qualified_by_their_district(bundled):
    agencies = _nodes(bundled.graph, gm.AGENCY)
    bureau = agencies["agency/310117/松江区经委"]
    assert "区经委" in bureau["aliases"] and bureau["region"] == "松江区"
    counterparts = {
        target
        for _, target, key in bundled.graph.out_edges("agency/310117/松江区经委", keys=True)
        if key == gm.COUNTERPART_OF
    }
    assert counterparts == {"agency/310000/市经济信息化委"}


def test_a_collective_line_gives_its_members_ownership_via_the_collective(bundled):
    city = next(n for n, a in _nodes(bundled.graph, gm.PLAN).items() if a["level"] == "city")
    task7 = f"{city}/task/7"
    edge = bundled.graph.get_edge_data("agency/310117/松江区政府", task7, key=gm.RESPONSIBLE_FOR)
    assert edge is not None and edge["via"] == "各区政府"
    assert bundled.graph.has_edge(
        "agency/310117/松江区政府", "agency/310000/各区政府", key=gm.MEMBER_OF
    )
    direct = bundled.graph.get_edge_data("agency/310000/各区政府", task7, key=gm.RESPONSIBLE_FOR)
    assert direct is not None and "via" not in direct


def test_the_district_plan_implements_the_city_plan(bundled):
    graph = bundled.graph
    assert graph.has_edge("沪松府-2023-138", "沪府办发-2023-8", key=gm.IMPLEMENTS)
    assert not any(a.get("stub") for a in _nodes(graph, gm.PLAN).values())


def _plan(title, doc_number, cites=(), region="嘉定区"):
    task = Task(
        number=1,
        title="推进智能工厂建设",
        text="推进智能工厂建设。（责任单位：区经委）",
        agencies=["区经委"],
        source=SourceSpan(10, 11),
        owners=[Owner("区经委", "区经委", "lead", "district", "bureau")],
    )
    return Plan(
        title=title,
        doc_number=doc_number,
        level="district",
        region=region,
        cites=list(cites),
        actions=[Action(order=1, title="数字化行动", tasks=[task])],
        source_file=f"{title}.txt",
    )


def test_a_cited_plan_that_is_not_loaded_becomes_a_stub():
    citation = Citation(
        title="某市智能制造行动计划（2023-2025年）", doc_number="某府发〔2023〕5 号"
    )
    child = _plan("嘉定区智能制造行动计划", "嘉府发〔2023〕9号", cites=[citation])
    child.region_code = "310114"
    result = build_from_plans(
        [child],
        catalog=EmptyCatalog(),
        parent_finder=lambda plan, loaded: plan.cites[0],
        aligner=lambda child, parent: pytest.fail("no alignment without a loaded parent"),
    )
    graph = result.graph
    stub_id = ids.plan_id(citation.doc_number, citation.title)
    assert stub_id == "某府发-2023-5"
    assert graph.nodes[stub_id]["stub"] is True
    assert graph.nodes[stub_id]["title"] == citation.title
    assert graph.has_edge("嘉府发-2023-9", stub_id, key=gm.IMPLEMENTS)
    assert any("stub" in warning for warning in result.warnings)
    # Without a lexicon the bureau is kept as written, under the plan's own government: two
    # districts' 区经委 stay two nodes even then.
    assert "agency/310114/区经委" in graph
    assert graph.nodes["agency/310114/区经委"]["government"] == "310114"


def test_the_bundled_city_plan_loaded_later_replaces_its_stub():
    from ingest.pipeline import load_plan

    district = load_plan(DISTRICT_PLAN)
    alone = build_graph([DISTRICT_PLAN])
    stubs = [n for n, a in alone.graph.nodes(data=True) if a.get("stub")]
    assert stubs == ["沪府办发-2023-8"]
    both = build_graph([DISTRICT_PLAN, CITY_PLAN])
    assert both.graph.nodes["沪府办发-2023-8"]["stub"] is False
    assert district.cites  # the stub came from the district's own citation


def test_duplicate_plan_ids_are_kept_apart_with_a_warning():
    first = _plan("甲计划", "嘉府发〔2023〕9号")
    second = _plan("乙计划", "嘉府发〔2023〕9 号")
    result = build_from_plans([first, second], catalog=EmptyCatalog())
    plans = sorted(n for n, a in result.graph.nodes(data=True) if a["label"] == gm.PLAN)
    assert plans == ["嘉府发-2023-9", "嘉府发-2023-9-2"]
    assert any("already used" in w for w in result.warnings)


def test_snapshot_round_trip_is_exact(bundled, tmp_path):
    # How fast it loads is benchmarks/'s business, not a test's.
    path = gm.save_snapshot(bundled.graph, tmp_path / "graph.snapshot.json")
    loaded = gm.load_snapshot(path)
    assert gm.snapshot_data(loaded) == gm.snapshot_data(bundled.graph)
    assert json.loads(path.read_text(encoding="utf-8"))["format"] == gm.SNAPSHOT_FORMAT


def test_a_file_that_is_not_a_snapshot_is_refused(tmp_path):
    path = tmp_path / "other.json"
    path.write_text('{"nodes": [], "links": []}', encoding="utf-8")
    with pytest.raises(gm.SnapshotError, match="not a plangraph snapshot"):
        gm.load_snapshot(path)


def test_progress_is_reported_per_stage():
    seen: list[tuple[str, int, int]] = []
    build_graph([PLANS_DIR], progress=lambda stage, done, total: seen.append((stage, done, total)))
    stages = {stage for stage, _, _ in seen}
    assert {"Parsing plans", "Building graph", "Aligning plans"} <= stages
    assert ("Parsing plans", 2, 2) in seen


def test_short_title_drops_the_period_and_stays_short():
    assert short_title("松江区推动制造业高质量发展三年行动计划（2023-2025 年）") == (
        "松江区推动制造业高质量发展三年行动计划"
    )
    assert len(short_title("很" * 40)) == 20
