"""Parser problems found by the hardening pass: each test failed before its fix."""

from __future__ import annotations

import pytest

from ingest.errors import PlanError
from ingest.parsing import parse_text
from tests.conftest import CITY_PLAN

CITY_TEXT = CITY_PLAN.read_text("utf-8")


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


# --- 1. footer markers match within one line ---------------------------------------------


def test_heading_followed_by_a_stray_printing_date_line_is_not_the_footer():
    heading = "#### **(一)健全工作推进机制**\n"
    text = CITY_TEXT.replace(heading, heading + "\n2023年5月19日印发\n", 1)
    plan = parse_text(text)
    assert len(plan.tasks) == 22
    assert len(plan.measures) == 5
    assert plan.measures[0].title == "健全工作推进机制"
    assert plan.measures[-1].title.startswith("加强产业人才支撑")


def test_printing_office_and_date_on_one_line_is_still_the_footer():
    # Without the 抄送 line, the `office date印发` line ends the document; text after it
    # (here a numbered line) is not read as a measure.
    start = CITY_TEXT.index("抄送")
    text = CITY_TEXT[:start] + "上海市人民政府办公厅 2023年5月19日印发\n(六)不是措施。\n"
    plan = parse_text(text)
    assert len(plan.measures) == 5


# --- 3. task numbers of any size ----------------------------------------------------------


def numbered_plan(count: int, per_group: int = 30) -> str:
    """A plan with `count` numbered tasks, `per_group` to an action group."""
    lines = ["上海市某区推动产业发展行动计划（2024-2026年）", "一、主要目标"]
    lines += ["到2026年，产值达到100亿元。", "二、重点任务"]
    numerals = "一二三四五六七八九十"
    for number in range(1, count + 1):
        group = (number - 1) // per_group
        if (number - 1) % per_group == 0:
            lines.append(f"（{numerals[group]}）第{group + 1}组行动")
        lines.append(
            f"{number}.推进第{number}项工作。加快落实第{number}项措施。（责任单位：区经委、区科委）"
        )
    lines += ["三、保障措施", "（一）加强组织领导。建立推进机制。（责任单位：区经委）"]
    lines.append("抄送：区委办公室。")
    return "\n".join(lines) + "\n"


def test_a_plan_with_120_tasks_parses_every_task():
    plan = parse_text(numbered_plan(120))
    assert [t.number for t in plan.tasks] == list(range(1, 121))
    assert plan.tasks[99].title == "推进第100项工作"
    assert plan.tasks[-1].text == "推进第120项工作。加快落实第120项措施。"
    assert plan.tasks[-1].agencies == ["区经委", "区科委"]
    assert len(plan.actions) == 4
    assert plan.warnings == []


def test_a_plan_cut_off_after_task_100_names_task_100():
    text = numbered_plan(120)
    text = text[: text.index("100.推进第100项工作。") + 12]
    with pytest.raises(PlanError, match="middle of task 100") as error:
        parse_text(text)
    assert error.value.line == line_of(text, "100.推进")
