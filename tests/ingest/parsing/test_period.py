"""A plan's years from its title: the years it names, else the five-year plan it belongs to."""

from __future__ import annotations

import pytest

from ingest.enrich import enrich
from ingest.parsing import parse_text
from ingest.parsing.head import plan_period


@pytest.mark.parametrize(
    ("title", "period"),
    [
        ("上海市推动制造业高质量发展三年行动计划（2023—2025年）", (2023, 2025)),
        ("某市数字化转型实施方案(2024-2026年)", (2024, 2026)),
        ("“十四五”数字经济发展规划", (2021, 2025)),
        ("浙江省“十三五”科技创新规划", (2016, 2020)),
        ("十一五时期节能减排工作方案", (2006, 2010)),
        ("“十五五”现代产业体系规划", (2026, 2030)),
        ("“十四五”時期應急體系規劃", (2021, 2025)),  # traditional characters
        ("“十四五”规划（2021-2035年远景）", (2021, 2035)),  # named years come first
    ],
)
def test_the_period_a_title_gives(title, period):
    assert plan_period(title) == period


@pytest.mark.parametrize(
    "title",
    [
        # Only cited: the implementing plan may run other years.
        "上海关于贯彻落实《“十四五”全国农业机械化发展规划》的实施意见",
        "关于进一步支持企业发展的二十五条措施",  # a count, not an ordinal
        "一百十四五项工程实施方案",
        "十四五年行动方案",
        "关于加快发展先进制造业的若干意见",
        None,
    ],
)
def test_no_period_where_the_title_gives_none(title):
    assert plan_period(title) is None


def test_a_five_year_plan_dates_its_targets():
    text = (
        "“十四五”某省制造业发展规划\n\n一、发展目标\n\n"
        "规模以上工业增加值年均增长6%，数字经济核心产业增加值占比达到12%。\n\n"
        "二、重点任务\n\n（一）推进智能制造。建设一批智能工厂。\n\n"
        "（二）发展工业互联网。培育一批平台。\n"
    )
    plan = parse_text(text, source="variant.txt")
    enrich(plan)
    assert plan.period == (2021, 2025)
    targets = [*plan.indicators, *(i for goal in plan.goals for i in goal.indicators)]
    assert {i.metric for i in targets} == {"规模以上工业增加值增长", "数字经济核心产业增加值占比"}
    assert {i.year for i in targets} == {2025}


# --- a title only the preamble gives ---------------------------------------------------------

BODY = (
    "一、重点任务\n"
    "1.建设智能工厂。新建智能工厂20家。（责任单位：市经信局）\n"
    "2.培育创新平台。新建平台5个。（责任单位：市科委）\n"
)


@pytest.mark.parametrize(
    ("preamble", "title"),
    [
        (
            "为深入贯彻发展理念，就推进人才集聚工程（简称“633”人才工程），提出以下实施意见。\n",
            "关于推进人才集聚工程的实施意见",
        ),
        ("现就进一步做好稳就业工作提出如下意见：\n", "关于进一步做好稳就业工作的意见"),
        # Traditional: the words added are in the document's own script.
        ("現就加快發展數字經濟提出如下意見。\n", "關於加快發展數字經濟的意見"),
    ],
)
def test_a_document_without_a_title_line_takes_the_one_its_preamble_names(preamble, title):
    plan = parse_text(preamble + BODY)
    assert plan.title == title
    assert any("its preamble names it" in w for w in plan.warnings)


def test_a_preamble_that_names_nothing_leaves_no_title():
    plan = parse_text("为推动发展，结合实际，制定本方案。\n" + BODY)
    assert plan.title is None
