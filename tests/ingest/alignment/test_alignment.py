"""Alignment on small hand-built plans: behaviours, not the bundled pair (see the quality test)."""

from __future__ import annotations

import random

import pytest

from ingest.alignment import (
    Alignment,
    align,
    alignment_table,
    cascade_relation,
    find_parent,
    prepare_parent,
    review_table,
)
from ingest.model import Action, Citation, Goal, Indicator, Measure, Plan, SourceSpan, Task

SPAN = SourceSpan(1, 1)


def task(number: int, text: str, indicators=None) -> Task:
    return Task(
        number=number,
        title=text.split("。")[0],
        text=text,
        agencies=[],
        source=SPAN,
        indicators=list(indicators or []),
    )


def city_plan() -> Plan:
    return Plan(
        title="示范市推动产业发展三年行动计划（2023—2025年）",
        doc_number="示府发〔2023〕5号",
        level="city",
        actions=[
            Action(
                1,
                "产业升级行动",
                [
                    task(
                        1,
                        "发展集成电路产业。加快集成电路设计、制造、封装测试全链条发展，建设芯片"
                        "制造基地，突破光刻胶等关键材料。（责任单位：市经信委）",
                    ),
                    task(
                        2,
                        "壮大生物医药产业。推动创新药、高端医疗器械研发和产业化，建设生物医药"
                        "产业园，发展细胞治疗。",
                    ),
                    task(
                        3,
                        "培育新能源汽车产业。加快新能源汽车整车和动力电池发展，推广燃料电池汽车"
                        "示范应用，建设充电设施。",
                    ),
                ],
            ),
            Action(
                2,
                "转型赋能行动",
                [
                    task(
                        4,
                        "推进中小企业数字化转型。支持中小企业上云上平台，推广工业互联网平台，"
                        "实施“智改数转”诊断服务。每年推进1800个技术改造项目。",
                        [Indicator("技术改造项目", ">=", 1800, "个", "annual", False, "1800个")],
                    ),
                    task(
                        5,
                        "建设绿色工厂。创建绿色工厂和绿色供应链，推进节能降碳技术改造，每年淘汰"
                        "落后产能。",
                    ),
                    task(
                        6,
                        "加强产业人才培养。建设现代产业学院，引进高层次人才和卓越工程师，开展"
                        "职业技能培训。",
                    ),
                ],
            ),
        ],
        goals=[
            Goal(
                1,
                "数字化转型成效明显",
                "规模以上企业数字化转型比例达80%以上。",
                [Indicator("数字化转型比例", ">=", 80, "%", "by-end", False, "80%以上")],
            ),
            Goal(2, "产业规模持续壮大", "集成电路、生物医药产业规模显著扩大。"),
        ],
        measures=[
            Measure(1, "健全工作推进机制", "建立联席会议制度，强化督查考核。", []),
            Measure(2, "加强金融支持", "扩大信用贷款和融资租赁规模，发挥产业基金作用。", []),
        ],
    )


def district_plan() -> Plan:
    return Plan(
        title="示范区推动产业发展三年行动计划（2023-2025年）",
        doc_number="示区府〔2023〕 12 号",
        level="district",
        cites=[Citation("示范市推动产业发展三年行动计划(2023-2025年)", "示府发〔2023〕5 号")],
        actions=[
            Action(
                1,
                "数字绿色行动",
                [
                    task(
                        1,
                        "加快企业数字化改造。组织中小企业上云上平台，开展“智改数转”诊断，应用"
                        "工业互联网平台。每年推进300个以上技术改造项目。",
                        [Indicator("技术改造项目", ">=", 300, "个", "annual", False, "300个")],
                    ),
                    task(
                        2,
                        "打造绿色低碳工厂。推进节能降碳技术改造，创建绿色工厂，建设绿色供应链。",
                    ),
                ],
            ),
            Action(
                2,
                "产业提升行动",
                [
                    task(
                        3,
                        "做强芯片和新能源汽车产业。建设芯片制造基地，推动集成电路封装测试发展；"
                        "加快新能源汽车整车和动力电池项目落地，推广燃料电池汽车。",
                    ),
                    task(
                        4,
                        "发展生物医药产业。推进创新药和高端医疗器械产业化，建设生物医药产业园。",
                    ),
                    task(
                        5,
                        "发展乡村民宿旅游。盘活农村闲置农房，培育精品民宿和农家乐，打造乡村旅游"
                        "线路。",
                    ),
                ],
            ),
        ],
        goals=[
            Goal(
                1,
                "数字化转型走在前列",
                "规模以上企业数字化转型比例不低于85%。",
                [Indicator("数字化转型比例", ">=", 85, "%", "by-end", False, "不低于85%")],
            ),
        ],
        measures=[
            Measure(1, "完善工作推进机制", "建立区级联席会议制度，强化督查考核。", []),
            Measure(2, "优化营商环境", "深化一网通办改革，推行承诺制审批。", []),
        ],
    )


@pytest.fixture(scope="module")
def result() -> Alignment:
    return align(district_plan(), city_plan())


def links(result: Alignment, level: str = "tasks") -> set[tuple[int, int]]:
    return {(x.child, x.parent) for x in result.level(level).links}


def test_reordered_tasks_find_their_parents(result):
    assert {(1, 4), (2, 5), (4, 2)} <= links(result)


def test_local_initiative_gets_no_parent_and_is_reviewed(result):
    assert not [x for x in result.tasks.links if x.child == 5]
    assert result.tasks.child_without_parent == (5,)
    assert any(r.child == 5 and r.reason.startswith("no parent") for r in result.review)


def test_merged_task_gets_both_parents(result):
    assert {p for c, p in links(result) if c == 3} == {1, 3}
    assert any(r.child == 3 and "several parents" in r.reason for r in result.review)


def test_exactly_the_true_links(result):
    assert links(result) == {(1, 4), (2, 5), (3, 1), (3, 3), (4, 2)}


def test_parent_task_nobody_picked_up_is_reported(result):
    assert result.tasks.parent_without_child == (6,)


def test_links_carry_score_status_evidence_method(result):
    for link in result.tasks.links:
        assert 0.0 <= link.score <= 1.0
        assert link.status == "auto"
        assert link.method
    green = next(x for x in result.tasks.links if (x.child, x.parent) == (2, 5))
    assert "绿色工厂" in green.evidence or "绿色" in "".join(green.evidence)
    digital = next(x for x in result.tasks.links if (x.child, x.parent) == (1, 4))
    assert "“智改数转”" in digital.evidence


def test_action_groups_may_have_several_parents(result):
    # The district's 产业提升 group holds tasks of the city's 产业升级 group only; its 数字绿色
    # group holds tasks of 转型赋能.
    assert links(result, "actions") == {(1, 2), (2, 1)}


def test_goals_and_measures(result):
    assert links(result, "goals") == {(1, 1)}
    assert result.goals.parent_without_child == (2,)
    assert links(result, "measures") == {(1, 1)}
    assert result.measures.child_without_parent == (2,)


def test_to_dict_has_exactly_the_contract_keys(result):
    data = result.to_dict()
    assert set(data) == {
        "child",
        "parent",
        "tasks",
        "actions",
        "goals",
        "measures",
        "indicators",
        "review",
    }
    assert data["child"] == {"doc_number": "示区府〔2023〕 12 号", "title": district_plan().title}
    assert data["parent"]["doc_number"] == "示府发〔2023〕5号"
    for level in ("tasks", "actions", "goals", "measures"):
        assert set(data[level]) == {"links", "child_without_parent", "parent_without_child"}
        for link in data[level]["links"]:
            assert set(link) == {"child", "parent", "score", "status", "evidence", "method"}
    for cascade in data["indicators"]:
        assert set(cascade) == {"child", "parent", "ratio", "relation", "annualised_ratio", "match"}


def test_indicators_cascade_with_share_and_strictness(result):
    by_metric = {c.child.indicator.metric: c for c in result.indicators}
    projects = by_metric["技术改造项目"]
    assert projects.relation == "share"
    assert projects.ratio == pytest.approx(0.167, abs=1e-3)
    assert (projects.child.scope, projects.child.ref) == ("task", 1)
    assert (projects.parent.scope, projects.parent.ref, projects.parent.position) == (
        "task",
        4,
        1,
    )
    digital = by_metric["数字化转型比例"]
    assert digital.relation == "stricter"
    assert digital.ratio is None


def test_prepared_parent_gives_the_same_result():
    index = prepare_parent(city_plan())
    a = align(district_plan(), index).to_dict()
    b = align(district_plan(), city_plan()).to_dict()
    assert a == b
    # and the index is reusable: a second child against the same index
    assert align(district_plan(), index).to_dict() == a


def test_parent_task_order_does_not_change_the_links():
    parent = city_plan()
    shuffled = city_plan()
    tasks = [t for a in shuffled.actions for t in a.tasks]
    random.Random(7).shuffle(tasks)
    for action in shuffled.actions:
        keep = {t.number for t in action.tasks}
        action.tasks = [t for t in tasks if t.number in keep]
    assert links(align(district_plan(), shuffled)) == links(align(district_plan(), parent))


def test_plans_without_tasks_align_to_empty_levels():
    empty = Plan(title="空计划", doc_number="示区府〔2023〕1号")
    result = align(empty, city_plan())
    assert result.tasks.links == ()
    assert result.tasks.parent_without_child == (1, 2, 3, 4, 5, 6)


# -- cascades --------------------------------------------------------------------------------


def ind(value, unit, comparator=">=", period="annual", metric="m") -> Indicator:
    return Indicator(metric, comparator, value, unit, period, False, f"{value}{unit}")


def test_cascade_share_of_counts():
    assert cascade_relation(ind(300, "个"), ind(1800, "个")) == (0.167, "share")


def test_cascade_converts_unit_multipliers():
    assert cascade_relation(ind(2000, "亿元"), ind(1.8, "万亿元")) == (0.111, "share")


def test_cascade_rates_compare_by_direction():
    assert cascade_relation(ind(85, "%"), ind(80, "%")) == (None, "stricter")
    assert cascade_relation(ind(75, "%"), ind(80, "%")) == (None, "looser")
    assert cascade_relation(ind(80, "%"), ind(80, "%")) == (None, "same")
    # for a ceiling (energy use must not exceed), lower is stricter
    assert cascade_relation(ind(0.3, "吨/万元", "<="), ind(0.4, "吨/万元", "<=")) == (
        None,
        "stricter",
    )


def test_cascade_different_unit_and_period():
    assert cascade_relation(ind(5, "家"), ind(50, "个")) == (None, "different-unit")
    assert cascade_relation(ind(100, "个", period="cumulative"), ind(1800, "个")) == (
        None,
        "different-period",
    )


# -- plan level ------------------------------------------------------------------------------


def test_find_parent_by_document_number_despite_spacing_and_brackets():
    city, district = city_plan(), district_plan()
    other = Plan(title="别的计划", doc_number="示府发〔2023〕6号")
    assert find_parent(district, [other, district, city]) is city


def test_find_parent_by_title_when_the_number_is_missing():
    city, district = city_plan(), district_plan()
    district.cites = [Citation("示范市推动产业发展三年行动计划（2023—2025 年）", None)]
    city.doc_number = None
    assert find_parent(district, [city]) is city


def test_find_parent_returns_the_citation_as_a_stub_when_not_loaded():
    district = district_plan()
    stub = find_parent(district, [Plan(title="别的计划", doc_number="示府发〔2023〕6号")])
    assert isinstance(stub, Citation)
    assert stub.doc_number == "示府发〔2023〕5 号"


def test_find_parent_none_without_citations():
    assert find_parent(city_plan(), [district_plan()]) is None


# -- rendering -------------------------------------------------------------------------------


def test_tables_render(result):
    from rich.console import Console

    console = Console(width=200, record=True)
    console.print(alignment_table(result))
    console.print(review_table(result))
    text = console.export_text()
    assert "做强芯片和新能源汽车产业" in text
    assert "local initiative" in text
    assert "several parents" in text


def test_prepared_parent_is_never_tokenised_again():
    """Aligning many children to one prepared parent costs only the children's own text."""
    parent_texts = {t.text for t in city_plan().tasks}
    seen: list[str] = []

    def counting(text: str) -> list[str]:
        seen.append(text)
        from ingest.similarity import get_tokenizer

        return get_tokenizer()(text)

    index = prepare_parent(city_plan(), tokenize=counting)
    before = len(seen)
    for _ in range(3):
        align(district_plan(), index, tokenize=counting)
    per_child = (len(seen) - before) / 3
    assert not parent_texts & set(seen[before:])
    # tasks (body + title), action titles, goals and measures (body + title) of the child only
    child = district_plan()
    expected = (
        2 * len(child.tasks) + len(child.actions) + 2 * (len(child.goals) + len(child.measures))
    )
    assert per_child == expected


def test_cascade_when_one_side_only_states_a_direction():
    falling = Indicator("能耗", "decrease", None, None, "by-end", False, "持续下降")
    assert cascade_relation(ind(10, "%", "decrease"), falling) == (None, "parent-directional")
    assert cascade_relation(falling, ind(10, "%", "decrease")) == (None, "child-directional")
    assert cascade_relation(falling, falling) == (None, "same")


def test_qualified_metric_cascades_but_a_rate_of_an_amount_does_not():
    from ingest.alignment.cascades import same_metric

    assert same_metric("规模以上制造业企业数字化转型比例", "数字化转型比例")
    assert not same_metric("规模以上工业总产值增长率", "工业总产值")
