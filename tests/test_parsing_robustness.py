"""Parser problems found by the hardening pass: each test failed before its fix."""

from __future__ import annotations

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
