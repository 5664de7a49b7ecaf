"""The views on the embedded store, checked against what the two bundled documents say.

Expected answers are read from the plan texts here (responsibility lines, task counts,
words in task texts) or from the alignment result, never typed in by hand.
"""

from __future__ import annotations

import re

import pytest

from ingest.build import build_graph
from queries.embedded_store import EmbeddedStore
from queries.errors import NameNotFound
from schema.lexicon import load_lexicon
from tests.conftest import CITY_PLAN, DISTRICT_PLAN, PLANS_DIR

CITY = "沪府办发-2023-8"
DISTRICT = "沪松府-2023-138"


@pytest.fixture(scope="module")
def built():
    return build_graph([PLANS_DIR])


@pytest.fixture(scope="module")
def store(built):
    return EmbeddedStore.from_graph(built.graph)


def _section(path, start: str, end: str) -> str:
    text = "".join(path.read_text(encoding="utf-8").split())  # PDF line breaks gone
    text = text.replace("(", "（").replace(")", "）").replace(":", "：")
    return text[text.index(start) : text.index(end)]


def responsibility_lines(path) -> dict[int, list[str]]:
    """Task number → the units of its （责任单位：…） line, read straight from the document."""
    body = _section(path, "二、重点任务", "三、保障措施")
    lines = re.findall(r"（责任单位：([^）]*)）", body)
    return {number: line.split("、") for number, line in enumerate(lines, start=1)}


@pytest.fixture(scope="module")
def district_lines():
    return responsibility_lines(DISTRICT_PLAN)


@pytest.fixture(scope="module")
def city_lines():
    return responsibility_lines(CITY_PLAN)


def _tasks(rows, plan, **match):
    return {
        r["number"]
        for r in rows
        if r["plan"] == plan and r["kind"] == "task" and all(r[k] == v for k, v in match.items())
    }


def test_documents_read_as_expected(district_lines, city_lines):
    assert len(district_lines) == 21 and len(city_lines) == 22


def test_tasks_by_agency_lists_what_the_district_bureau_leads_and_co_owns(store, district_lines):
    rows = store.run_view("tasks_by_agency", {"agency": "区经委", "include_collective": False})
    led = {n for n, units in district_lines.items() if units[0] == "区经委"}
    co = {n for n, units in district_lines.items() if "区经委" in units[1:]}
    assert led and co
    assert _tasks(rows, DISTRICT, role="lead", via="direct") == led
    assert _tasks(rows, DISTRICT, role="co", via="direct") == co
    assert {r["agency"] for r in rows} == {"松江区经委"}


def test_workload_counts_match_the_responsibility_lines(store, district_lines):
    rows = store.run_view("agency_workload", {"plan": "松江区"})
    bureau = next(r for r in rows if r["id"] == "agency/310117/松江区经委")
    assert bureau["led"] == sum(1 for u in district_lines.values() if u[0] == "区经委")
    assert bureau["co_owned"] == sum(1 for u in district_lines.values() if "区经委" in u[1:])
    led = [r["led"] for r in rows]
    assert led == sorted(led, reverse=True)


def test_a_district_government_owns_city_tasks_through_the_collective_line(store, city_lines):
    rows = store.run_view("tasks_by_agency", {"agency": "松江区政府"})
    collective = {n for n, units in city_lines.items() if "各区政府" in units}
    direct = {n for n, units in city_lines.items() if "松江区政府" in units}
    assert 7 in collective
    assert _tasks(rows, CITY, via="collective", through="各区政府") == collective
    assert _tasks(rows, CITY, via="direct") == direct
    # The collective's role follows its place in the line (各区政府 leads task 22).
    roles = {
        r["number"]: r["role"] for r in rows if r["via"] == "collective" and r["kind"] == "task"
    }
    for number in collective:
        assert roles[number] == ("lead" if city_lines[number][0] == "各区政府" else "co")
    without = store.run_view(
        "tasks_by_agency", {"agency": "松江区政府", "include_collective": False}
    )
    assert {r["via"] for r in without} <= {"direct"}


def test_counterparts_bring_in_what_the_city_bureau_owns(store, city_lines):
    rows = store.run_view("tasks_by_agency", {"agency": "区经委", "include_counterparts": True})
    city_bureau = {n for n, units in city_lines.items() if "市经济信息化委" in units}
    got = _tasks(rows, CITY, via="counterpart", through="市经济信息化委")
    assert got == city_bureau


def test_agency_counterparts_pairs_the_district_bureaus(store):
    rows = store.run_view("agency_counterparts", {})
    pairs = {(r["agency"], r["counterpart"]) for r in rows}
    assert ("松江区经委", "市经济信息化委") in pairs
    assert ("松江区科委", "市科委") in pairs
    assert all(r["level"] != "city" for r in rows)


def test_plan_references_resolve_to_the_same_plan(store):
    refs = ["沪松府〔2023〕138 号", "沪松府〔2023〕138号", "沪松府[2023]138号", DISTRICT, "松江区"]
    assert {store.resolve_plan(ref) for ref in refs} == {DISTRICT}
    with pytest.raises(NameNotFound) as error:
        store.resolve_plan("沪松府〔2023〕139号")
    assert error.value.suggestions  # close matches to choose from
    assert store.run_view("plan_overview", {"plan": "松江区"}) == store.run_view(
        "plan_overview", {"plan": "沪松府〔2023〕138 号"}
    )


def test_plan_overview_counts_goals_actions_tasks_and_measures(store):
    rows = store.run_view("plan_overview", {"plan": "松江区"})
    kinds = [r["kind"] for r in rows]
    district_text = _section(DISTRICT_PLAN, "一、主要目标", "二、重点任务")
    assert kinds.count("goal") == district_text.count("——")
    assert kinds.count("task") == 21
    actions = [r for r in rows if r["kind"] == "action"]
    assert sum(r["tasks"] for r in actions) == 21
    measures_text = _section(DISTRICT_PLAN, "三、保障措施", "抄送")
    assert kinds.count("measure") == measures_text.count("责任单位")
    # Tasks follow their action group, in number order.
    tasks = [r["number"] for r in rows if r["kind"] == "task"]
    assert tasks == sorted(tasks)


def _links(built, child, parent):
    return built.alignments[(child, parent)]["tasks"]


def test_district_to_city_shows_every_link_and_both_kinds_of_gap(store, built):
    rows = store.run_view("district_to_city", {"plan": "松江区"})
    tasks = _links(built, DISTRICT, CITY)
    linked = {(r["child_number"], r["parent_number"]) for r in rows if r["score"] is not None}
    assert linked == {(link["child"], link["parent"]) for link in tasks["links"]}
    no_parent = {r["child_number"] for r in rows if r["status"] == "no parent"}
    no_child = {r["parent_number"] for r in rows if r["status"] == "no child"}
    assert no_parent == set(tasks["child_without_parent"])
    assert no_child == set(tasks["parent_without_child"])
    assert {r["child_number"] for r in rows if r["child_number"]} == set(range(1, 22))


def test_unaligned_tasks_agrees_with_district_to_city(store):
    gaps = store.run_view("unaligned_tasks", {"plan": "松江区"})
    rows = store.run_view("district_to_city", {"plan": "松江区"})
    assert {r["number"] for r in gaps if r["side"] == "child"} == {
        r["child_number"] for r in rows if r["status"] == "no parent"
    }
    assert {r["number"] for r in gaps if r["side"] == "parent"} == {
        r["parent_number"] for r in rows if r["status"] == "no child"
    }


def test_city_task_children_reverses_the_links(store, built):
    links = _links(built, DISTRICT, CITY)["links"]
    for parent in sorted({link["parent"] for link in links})[:6]:
        rows = store.run_view("city_task_children", {"plan": "上海市", "task": parent})
        assert {r["child_number"] for r in rows} == {
            link["child"] for link in links if link["parent"] == parent
        }
        assert {r["child_region"] for r in rows} == {"松江区"}


def test_ownership_mismatches_agree_with_the_responsibility_lines(
    store, built, district_lines, city_lines
):
    lexicon = load_lexicon()
    expected = set()
    for link in _links(built, DISTRICT, CITY)["links"]:
        lead = district_lines[link["child"]][0]
        owners = set(city_lines[link["parent"]])
        for collective in list(owners):
            owners |= {m.name for m in lexicon.collective_members(collective, "上海市")}
        counterpart = lexicon.counterpart(lead)
        if lead not in owners and counterpart not in owners and f"松江{lead}" not in owners:
            expected.add((link["child"], link["parent"]))
    rows = store.run_view("ownership_mismatches", {"plan": "松江区"})
    assert {(r["child_number"], r["parent_number"]) for r in rows} == expected


def test_tasks_by_industry_finds_the_word_and_its_groupings(store, built):
    rows = store.run_view("tasks_by_industry", {"industry": "集成电路"})
    tasks = {(a["plan_id"], a["number"]) for _, a in built.graph.nodes(data=True)
             if a["label"] == "Task" and "集成电路" in a["text"]}  # fmt: skip
    assert tasks and tasks <= {(r["plan"], r["number"]) for r in rows}
    leading = {(r["plan"], r["number"]) for r in
               store.run_view("tasks_by_industry", {"industry": "三大先导产业"})}  # fmt: skip
    for industry in ("集成电路", "生物医药", "人工智能"):
        part = store.run_view("tasks_by_industry", {"industry": industry})
        assert {(r["plan"], r["number"]) for r in part} <= leading


def test_tasks_by_region_includes_places_inside(store):
    city = {
        (r["plan"], r["number"]) for r in store.run_view("tasks_by_region", {"region": "上海市"})
    }
    district = store.run_view("tasks_by_region", {"region": "松江区"})
    assert district
    assert {(r["plan"], r["number"]) for r in district} <= city
    for row in district:
        assert row["places"] == sorted(row["places"])


def test_search_ranks_by_matched_words(store):
    rows = store.run_view("search_tasks", {"q": "集成电路 人工智能 机器人"})
    assert rows
    for row in rows:
        assert row["score"] == len(row["matched"]) > 0
    keys = [(-r["score"], r["plan"], r["number"]) for r in rows]
    assert keys == sorted(keys)
    single = store.run_view("search_tasks", {"q": "集成电路", "limit": 500})
    node = store.node
    assert all("集成电路" in (node(r["id"])["text"] + node(r["id"])["title"]) for r in single)
    assert len(store.run_view("search_tasks", {"q": "集成电路", "limit": 2})) == 2


def test_neighbourhood_grows_with_depth_and_only_links_listed_nodes(store, built):
    one = store.run_view("neighbourhood", {"id": f"{CITY}/task/7"})
    two = store.run_view("neighbourhood", {"id": f"{CITY}/task/7", "depth": 2})
    nodes_one = {r["id"] for r in one}
    nodes_two = {r["id"] for r in two}
    assert f"{CITY}/task/7" in nodes_one and "agency/310000/各区政府" in nodes_one
    assert nodes_one < nodes_two
    links = store.run_view("neighbourhood_links", {"id": f"{CITY}/task/7", "depth": 2})
    assert links
    for row in links:
        assert row["source"] in nodes_two and row["target"] in nodes_two
    # Every relationship of the graph among those nodes, not only those on the way out.
    inside = {
        (a, key, b)
        for a, b, key in built.graph.edges(keys=True)
        if a in nodes_two and b in nodes_two
    }
    assert {(r["source"], r["relationship"]["type"], r["target"]) for r in links} == inside
    assert store.run_view("neighbourhood", {"id": "no/such/node"}) == []
    assert store.run_view("neighbourhood_links", {"id": "no/such/node"}) == []


def test_indicator_cascade_lists_the_district_targets(store, built):
    rows = store.run_view("indicator_cascade", {"plan": "松江区"})
    own = [a for _, a in built.graph.nodes(data=True)
           if a["label"] == "Indicator" and a["plan_id"] == DISTRICT]  # fmt: skip
    assert {r["child_id"] for r in rows} == {a["id"] for a in own}
    cascades = built.alignments[(DISTRICT, CITY)]["indicators"]
    assert sum(1 for r in rows if r["parent_id"]) == len(cascades)
    assert all(r["parent_plan"] in (None, CITY) for r in rows)


def test_counts_and_suggestions(store):
    counts = store.counts()
    assert counts["plans"] == 2 and counts["tasks"] == 43
    names = store.search_names("经委")
    assert names and all("经委" in n["name"] for n in names)
    assert store.node("agency/310117/松江区经委")["label"] == "Agency"
    assert store.node("nothing") is None
    assert store.health()["reachable"] is True


# -- catalogues and one task -------------------------------------------------------------------


def test_plans_lists_both_plans_with_their_parts(store):
    plans = {r["id"]: r for r in store.run_view("plans", {})}
    assert set(plans) == {CITY, DISTRICT}
    district, city = plans[DISTRICT], plans[CITY]
    assert district["implements"] == [CITY] and city["implemented_by"] == [DISTRICT]
    assert not district["stub"] and not city["stub"]
    # The document numbers as printed on each cover (spaces dropped).
    for plan, path in ((district, DISTRICT_PLAN), (city, CITY_PLAN)):
        cover = "".join(path.read_text(encoding="utf-8").split())[:400]
        assert plan["doc_number"] in cover
    assert (district["tasks"], city["tasks"]) == (21, 22)
    assert district["goals"] == _section(DISTRICT_PLAN, "一、主要目标", "二、重点任务").count("——")
    assert district["measures"] == _section(DISTRICT_PLAN, "三、保障措施", "抄送").count("责任单位")
    overview = store.run_view("plan_overview", {"plan": DISTRICT})
    assert district["actions"] == sum(1 for r in overview if r["kind"] == "action")


def test_agencies_count_what_the_responsibility_lines_give(store, district_lines, city_lines):
    rows = {r["id"]: r for r in store.run_view("agencies", {})}
    bureau = rows["agency/310117/松江区经委"]
    assert bureau["led"] == sum(1 for u in district_lines.values() if u[0] == "区经委")
    assert bureau["co_owned"] == sum(1 for u in district_lines.values() if "区经委" in u[1:])
    assert bureau["plans"] == [DISTRICT]
    assert "市经济信息化委" in bureau["counterparts"]
    assert "松江区经委" in rows["agency/310000/市经济信息化委"]["counterparts"]  # both directions
    city_bureau = rows["agency/310000/市经济信息化委"]
    assert city_bureau["led"] == sum(1 for u in city_lines.values() if u[0] == "市经济信息化委")
    # 松江区政府 holds every city task whose line names 各区政府, through that line.
    government = rows["agency/310117/松江区政府"]
    collective = store.run_view("tasks_by_agency", {"agency": "松江区政府"})
    assert government["via_collective"] == len(
        {r["id"] for r in collective if r["via"] == "collective" and r["kind"] == "task"}
    )
    assert government["via_collective"] >= sum(1 for u in city_lines.values() if "各区政府" in u)


def test_industries_and_regions_catalogue_every_node_with_direct_task_counts(store):
    industries = {r["name"]: r for r in store.run_view("industries", {})}
    # DESIGN.md: the three leading industries of Shanghai's industry system.
    for name in ("集成电路", "生物医药", "人工智能"):
        assert "三大先导产业" in industries[name]["groupings"]
    for name in ("集成电路", "人工智能"):
        about = store.run_view("tasks_by_industry", {"industry": name})
        assert industries[name]["tasks"] == sum(1 for r in about if name in r["industries"]) > 0
    # Closed upwards: a parent no task names directly is listed too (with 0 tasks).
    for row in industries.values():
        assert set(row["part_of"]) <= set(industries)
    assert any(row["tasks"] == 0 for row in industries.values())

    regions = {r["name"]: r for r in store.run_view("regions", {})}
    assert "松江区" in regions["九亭镇"]["part_of"]
    about = store.run_view("tasks_by_region", {"region": "松江区"})
    assert regions["松江区"]["tasks"] == sum(1 for r in about if "松江区" in r["places"])


def test_task_detail_gathers_owners_links_and_targets(store, built, district_lines, city_lines):
    [row] = store.run_view("task_detail", {"id": f"{DISTRICT}/task/7"})
    assert row["plan"]["id"] == DISTRICT and row["action"]["id"].startswith(f"{DISTRICT}/action/")
    owners = row["owners"]
    assert [o["order"] for o in owners] == list(range(1, len(district_lines[7]) + 1))
    assert [o["role"] for o in owners] == ["lead"] + ["co"] * (len(owners) - 1)
    links = _links(built, DISTRICT, CITY)["links"]
    assert {p["number"] for p in row["parents"]} == {
        link["parent"] for link in links if link["child"] == 7
    }
    assert all(i["id"].startswith(f"{DISTRICT}/task/7/") for i in row["indicators"])

    # A collective line: each district government is listed after the named owners, at the
    # line's position, through 各区政府 (DESIGN.md: Shanghai has 16 districts).
    [city] = store.run_view("task_detail", {"id": f"{CITY}/task/7"})
    position = city_lines[7].index("各区政府") + 1
    members = [o for o in city["owners"] if o["via"] == "各区政府"]
    assert len(members) == 16 and {o["order"] for o in members} == {position}
    assert city["owners"][: len(city_lines[7])] == [o for o in city["owners"] if not o["via"]]
    assert {c["number"] for c in city["children"]} == {
        link["child"] for link in links if link["parent"] == 7
    }
    assert store.run_view("task_detail", {"id": DISTRICT}) == []


def test_task_detail_targets_cascade_as_indicator_cascade_says(store):
    cascade = store.run_view("indicator_cascade", {"plan": DISTRICT})
    expected = {r["child_id"]: [] for r in cascade if r["child_scope"] == "task"}
    for r in cascade:
        if r["child_id"] in expected and r["parent_id"]:
            expected[r["child_id"]].append(r["parent_id"])
    seen = {}
    for number in {r["child_ref"] for r in cascade if r["child_scope"] == "task"}:
        [row] = store.run_view("task_detail", {"id": f"{DISTRICT}/task/{number}"})
        seen |= {i["id"]: i["cascades_to"] for i in row["indicators"]}
    assert seen == expected and any(seen.values())


def test_neighbourhood_carries_display_and_relationship_properties(store, district_lines):
    params = {"id": f"{DISTRICT}/task/7", "depth": 2}
    nodes = {r["id"]: r["node"] for r in store.run_view("neighbourhood", params)}
    task = nodes[f"{DISTRICT}/task/7"]
    assert task["label"] == "Task" and task["number"] == 7
    assert nodes[DISTRICT]["caption"]  # what the Browser style draws for a plan
    links = store.run_view("neighbourhood_links", params)
    owners = {
        r["source"]: r["relationship"]
        for r in links
        if r["relationship"]["type"] == "RESPONSIBLE_FOR" and r["target"] == task["id"]
    }
    assert sorted(p["order"] for p in owners.values()) == list(range(1, len(district_lines[7]) + 1))
    assert owners["agency/310117/松江区经委"]["role"] == "lead"
    link = next(r["relationship"] for r in links if r["relationship"]["type"] == "ALIGNS_WITH")
    assert link["score"] > 0 and link["evidence"]


def test_city_task_children_carry_the_link_method_and_evidence(store):
    links = {
        (r["child_id"], r["parent_id"]): (r["method"], r["evidence"])
        for r in store.run_view("district_to_city", {"plan": DISTRICT})
        if r["score"] is not None
    }
    rows = store.run_view("city_task_children", {"plan": CITY, "task": 8})
    assert rows
    for row in rows:
        assert (row["method"], row["evidence"]) == links[(row["child_id"], f"{CITY}/task/8")]
        assert row["method"] and row["evidence"]


def test_target_contributions_sum_the_districts_against_the_city_figure(store):
    rows = store.run_view("target_contributions", {"plan": CITY})
    assert rows and {r["parent_plan"] for r in rows} == {CITY}
    by_target: dict[str, list[dict]] = {}
    for row in rows:
        by_target.setdefault(row["parent_id"], []).append(row)
    for parent, parts in by_target.items():
        summable = [
            p["child_value"]
            for p in parts
            if p["relation"] == "share" and p["child_unit"] == p["parent_unit"]
        ]
        total = parts[0]["children_total"]
        if summable:
            assert total == pytest.approx(sum(summable)), parent
            if parts[0]["parent_value"]:
                share = total / parts[0]["parent_value"]
                assert parts[0]["children_share"] == pytest.approx(share, abs=1e-3)
        else:
            assert total is None and parts[0]["children_share"] is None, parent
    # A child plan's own targets are not a parent's: nothing cascades to the district's.
    assert store.run_view("target_contributions", {"plan": DISTRICT}) == []
