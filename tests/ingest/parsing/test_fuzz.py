"""parse_text on arbitrary input: a Plan or a PlanError, never any other exception."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.errors import PlanError
from ingest.parsing import parse_text
from tests.conftest import PROJECT_ROOT

CITY_TEXT = (PROJECT_ROOT / "data" / "plans" / "shanghai_2023-2025_manufacturing.txt").read_text(
    "utf-8"
)

# Pieces of the genre, so that generated text reaches the parser's deeper paths.
FRAGMENTS = [
    "一、主要目标",
    "二、重点任务",
    "三、保障措施",
    "（一）强链升级行动",
    "(二)",
    "1.",
    "2．",
    "3、",
    "12.",
    "——",
    "。",
    "，",
    "（责任单位：",
    "(牵头部门:",
    "区经委、市科委",
    "）",
    ")",
    "（各有关单位）",
    "抄送：",
    "《上海市行动计划（2023-2025年）》",
    "沪府办发〔2023〕8 号",
    "2023年5月18日",
    "\n",
    "\n\n ",
    " ",
    "# ",
    "**",
    "---",
    "`",
    "打造世界级产业集群",
    "松江区人民政府文件",
    "\r",
    "\ufeff",
]

genre_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=5)), max_size=60).map(
    "".join
)

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def parses_or_plan_error(text: str) -> None:
    try:
        plan = parse_text(text)
    except PlanError as error:
        assert error.message
        return
    assert plan.tasks  # a Plan is only returned with tasks in it
    for task in plan.tasks:
        assert task.source.line_start <= task.source.line_end


@FAST
@given(st.text(max_size=400))
def test_arbitrary_text(text):
    parses_or_plan_error(text)


@FAST
@given(genre_text)
def test_genre_like_text(text):
    parses_or_plan_error(text)


@FAST
@given(st.integers(0, len(CITY_TEXT)), st.integers(0, len(CITY_TEXT)), genre_text)
def test_damaged_real_plan(start, length, insert):
    # Cut a slice out of a real plan and put genre noise in its place.
    end = min(len(CITY_TEXT), start + length // 8)
    parses_or_plan_error(CITY_TEXT[:start] + insert + CITY_TEXT[end:])
