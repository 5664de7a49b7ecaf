"""Entity extraction on the real parse of the bundled plans, against hand-checked gold.

tests/golden/entities/*.json hold, for both bundled plans, every task's and measure's owners
and every indicator of the overview, goals, tasks and measures. Each was checked against the
document: owners against the （责任单位：…） line (collectives expanded through the lexicon),
targets against the sentence they come from.
"""

from __future__ import annotations

import json

import pytest

from ingest.enrich import enrich
from ingest.model import Plan
from ingest.parsing import parse_file
from tests.conftest import CITY_PLAN, DISTRICT_PLAN, PROJECT_ROOT

GOLDEN = PROJECT_ROOT / "tests" / "golden" / "entities"
OTHER_CITY = PROJECT_ROOT / "tests" / "plans_other_city" / "hangzhou_2023-2025_manufacturing.txt"
CASES = [(CITY_PLAN, "shanghai.json"), (DISTRICT_PLAN, "songjiang.json")]


@pytest.fixture(scope="module")
def enriched() -> dict[str, Plan]:
    plans = {}
    for path, golden in CASES:
        plan = parse_file(path)
        assert enrich(plan) == []  # every unit of the bundled plans is in the lexicon
        plans[golden] = plan
    return plans


def _indicator(indicator) -> dict:
    return {
        "metric": indicator.metric,
        "comparator": indicator.comparator,
        "value": indicator.value,
        "unit": indicator.unit,
        "period": indicator.period,
        "hedged": indicator.hedged,
        "raw": indicator.raw,
        "value_max": indicator.value_max,
        "year": indicator.year,
        "subject": indicator.subject,
    }


def _owner(owner) -> list:
    return [
        owner.name,
        owner.canonical,
        owner.role,
        owner.level,
        owner.kind,
        owner.via,
        owner.government,
        owner.function,
    ]


def _same_indicators(found, expected, where):
    assert len(found) == len(expected), f"{where}: {[i.raw for i in found]}"
    for got, want in zip(map(_indicator, found), expected, strict=True):
        # A range's upper bound and a target's own place are written only where there is one.
        want = {"value_max": None, "subject": None, **want}
        for key in ("value", "value_max"):
            value, want_value = got.pop(key), want.pop(key)
            assert value == pytest.approx(want_value), (where, key, got["raw"])
        assert got == want, where


@pytest.mark.parametrize(("path", "golden"), CASES)
def test_owners_match_gold(enriched, path, golden):
    gold = json.loads((GOLDEN / golden).read_text(encoding="utf-8"))
    plan = enriched[golden]
    assert sorted(map(int, gold["tasks"])) == [t.number for t in plan.tasks]
    for task in plan.tasks:
        want = gold["tasks"][str(task.number)]
        assert task.agencies == want["agencies"], f"task {task.number}"
        assert [_owner(o) for o in task.owners] == want["owners"], f"task {task.number}"
    assert len(plan.measures) == len(gold["measures"])
    for measure in plan.measures:
        want = gold["measures"][str(measure.order)]
        assert [_owner(o) for o in measure.owners] == want["owners"], f"measure {measure.order}"


@pytest.mark.parametrize(("path", "golden"), CASES)
def test_indicators_match_gold(enriched, path, golden):
    gold = json.loads((GOLDEN / golden).read_text(encoding="utf-8"))
    plan = enriched[golden]
    _same_indicators(plan.indicators, gold["plan_indicators"], "overview")
    assert len(plan.goals) == len(gold["goals"])
    for goal in plan.goals:
        _same_indicators(goal.indicators, gold["goals"][str(goal.order)], f"goal {goal.order}")
    for task in plan.tasks:
        want = gold["tasks"][str(task.number)]["indicators"]
        _same_indicators(task.indicators, want, f"task {task.number}")
    for measure in plan.measures:
        want = gold["measures"][str(measure.order)]["indicators"]
        _same_indicators(measure.indicators, want, f"measure {measure.order}")


def _find(indicators, metric):
    matches = [i for i in indicators if i.metric == metric]
    assert len(matches) == 1, (metric, [i.metric for i in indicators])
    return matches[0]


def test_the_issues_named_targets(enriched):
    city, district = enriched["shanghai.json"], enriched["songjiang.json"]
    value = _find(city.indicators, "工业增加值")
    assert (value.comparator, value.value, value.unit) == (">", 1.3e12, "元")
    share = _find(city.indicators, "工业增加值占地区生产总值比重")
    assert (share.comparator, share.value, share.unit) == (">=", 25, "%")
    city_goals = [i for g in city.goals for i in g.indicators]
    district_goals = [i for g in district.goals for i in g.indicators]
    metric = "规模以上制造业企业数字化转型比例"
    assert (_find(city_goals, metric).comparator, _find(city_goals, metric).value) == (">=", 80)
    assert (_find(district_goals, metric).comparator, _find(district_goals, metric).value) == (
        ">=",
        85,
    )
    energy = "规模以上工业单位增加值能耗"
    assert _find(city_goals, energy).comparator == "decrease"
    assert _find(district_goals, energy).comparator == "decrease"
    investment = _find(district.indicators, "工业固定资产投资")
    assert (investment.comparator, investment.value, investment.period) == ("~", 6e10, "cumulative")
    city_t4 = _find(city.tasks[3].indicators, "技术改造项目")
    assert (city_t4.value, city_t4.period) == (1800, "annual")
    district_t3 = _find(district.tasks[2].indicators, "技术改造项目")
    assert (district_t3.comparator, district_t3.value, district_t3.period) == (">=", 300, "annual")
    productivity = _find(city_goals, "工业劳动生产率")
    assert (productivity.value, productivity.unit) == (500000, "元/人")
    density = _find(city_goals, "工业机器人使用密度")
    assert (density.value, density.unit, density.hedged) == (360, "台/万人", True)


def test_same_metric_in_city_and_district_plans(enriched):
    """Targets the cascade view pairs up: the same noun phrase in both plans."""

    def metrics(plan):
        items = [*plan.indicators, *(i for g in plan.goals for i in g.indicators)]
        items += [i for t in plan.tasks for i in t.indicators]
        return {i.metric for i in items}

    shared = metrics(enriched["shanghai.json"]) & metrics(enriched["songjiang.json"])
    assert {
        "工业增加值占地区生产总值比重",
        "三大先导产业总规模",
        "规模以上制造业企业数字化转型比例",
        "规模以上工业单位增加值能耗",
        "技术改造项目",
        "新增市级设计创新中心",
        "中小企业上云上平台",
        "“工赋链主”企业",
        "用能量",
        "绿色制造示范单位",
        "新增规上工业企业",
        "总投资50亿元以上的重大产业项目",
    } <= shared


def test_collective_ownership_reaches_district_governments_and_towns(enriched):
    city, district = enriched["shanghai.json"], enriched["songjiang.json"]
    songjiang_gov = [
        (t.number, o.via) for t in city.tasks for o in t.owners if o.canonical == "松江区政府"
    ]
    assert (20, None) in songjiang_gov  # listed directly
    assert (7, "各区政府") in songjiang_gov  # through the collective
    assert any(o.canonical == "闵行区政府" and o.via == "各区政府" for o in city.tasks[6].owners)
    jiuting = {t.number for t in district.tasks for o in t.owners if o.canonical == "九亭镇"}
    assert 2 in jiuting and 5 in jiuting  # directly on task 2, through 各街镇 on task 5
    new_city = [o for o in district.tasks[18].owners if o.canonical == "松江新城范围内各街镇"]
    assert new_city and new_city[0].kind == "collective"


@pytest.mark.parametrize(("path", "golden"), CASES)
def test_places_match_gold(enriched, path, golden):
    """Place keys (ingest/places.py) per task and measure, checked against each item's text."""
    gold = json.loads((GOLDEN / golden).read_text(encoding="utf-8"))
    plan = enriched[golden]
    for task in plan.tasks:
        assert task.places == gold["tasks"][str(task.number)]["places"], f"task {task.number}"
    for measure in plan.measures:
        want = gold["measures"][str(measure.order)]["places"]
        assert measure.places == want, f"measure {measure.order}"


def test_places_and_industries_on_the_bundled_plans(enriched):
    city, district = enriched["shanghai.json"], enriched["songjiang.json"]
    assert (city.region_code, district.region_code) == ("310000", "310117")
    assert city.tasks[2].places[:3] == ["310115/张江科学城", "310000/临港新片区", "310112/大零号湾"]
    assert {"310114/嘉定新城", "310118/青浦新城", "310117/松江新城", "310120/奉贤新城"} <= set(
        city.tasks[19].places
    )
    assert {"310113", "310116"} <= set(city.tasks[19].places)  # 宝山区, 金山区
    assert {"三大先导产业", "集成电路", "生物医药", "人工智能"} <= set(city.tasks[0].industries)
    assert "先进材料" in district.tasks[12].industries  # written 新材料
    assert "310000/G60科创走廊" in district.tasks[2].places
    assert "310117/松江新城" in district.tasks[18].places
    assert "310117/G60星链产业基地" in district.tasks[1].places  # named in running text
    # Task 2 is owned by 九亭镇 but does not mention it: ownership is not placement.
    assert "310117107" not in district.tasks[1].places
    # No ambiguous place names in the bundled plans.
    assert not [w for w in city.warnings + district.warnings if "ambiguous place" in w]


def test_an_ambiguous_place_is_reported_with_where():
    from ingest.model import Action, SourceSpan, Task

    task = Task(3, "测试", "推进鼓楼区老旧小区改造。", [], SourceSpan(1, 1))
    plan = Plan(title="测试规划", level="national", actions=[Action(1, None, [task])])
    enrich(plan)
    assert task.places == []
    assert [w for w in plan.warnings if "鼓楼区" in w and "task 3" in w]


def test_enrich_is_idempotent():
    plan = parse_file(CITY_PLAN)
    enrich(plan)
    first = plan.to_dict()
    enrich(plan)
    assert plan.to_dict() == first


def test_another_citys_bureaus_are_that_citys_own():
    plan = parse_file(OTHER_CITY)
    assert plan.region == "杭州市"
    enrich(plan)
    assert plan.region_code == "330100"
    lead = plan.tasks[0].owners[0]
    # 市经信局 of a 杭州 plan is 杭州's bureau of industry, not Shanghai's 市经济信息化委.
    assert (lead.name, lead.role, lead.level, lead.kind) == ("市经信局", "lead", "city", "bureau")
    assert (lead.government, lead.function) == ("330100", "industry")
    owners = {o.name: o for item in plan.tasks + plan.measures for o in item.owners}
    assert owners["市财政局"].government == "330100"  # not the Shanghai row of the lexicon
    assert owners["钱塘区政府"].government == "330114" and owners["钱塘区政府"].kind == "government"
    assert owners["滨江区政府"].government == "330108"
    assert not [o.name for o in owners.values() if o.kind == "unknown"]
    # Targets and industries still come out of an unseen city's plan.
    assert [i.metric for i in plan.tasks[0].indicators] == ["标志性产业链", "技术改造项目"]
    assert plan.tasks[0].industries == ["集成电路", "人工智能", "生物医药"]


def test_unknown_agency_on_a_hand_built_plan():
    from ingest.model import Action, Measure, SourceSpan, Task

    task = Task(1, "测试", "测试。", ["市经济信息化委", "某某新区管委会"], SourceSpan(1, 1))
    plan = Plan(
        title="测试计划",
        region="上海市",
        level="city",
        actions=[Action(1, None, [task])],
        measures=[Measure(1, "保障", "保障。", ["某某新区管委会"])],
    )
    reports = enrich(plan)
    assert len(reports) == 1
    assert "某某新区管委会" in reports[0] and "task 1, measure 1" in reports[0]
    assert [o.kind for o in task.owners] == ["bureau", "unknown"]
