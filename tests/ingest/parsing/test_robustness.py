"""Parser problems found by the hardening pass: each test failed before its fix."""

from __future__ import annotations

import pytest

from ingest.errors import PlanError
from ingest.parsing import parse_text
from ingest.parsing.stream import prepare, strip_noise
from tests.conftest import CITY_PLAN, DISTRICT_PLAN

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


# --- 4. an unclosed responsibility parenthetical before the next marker -----------------

DISTRICT_TEXT = DISTRICT_PLAN.read_text("utf-8")


def drop_line(text: str, after: str, line: str) -> str:
    """`text` without the first `line` that follows `after` (a lost line of a wrapped list)."""
    at = text.index(after) + len(after)
    start = text.index(line, at)
    assert text[start - 1] == "\n" and text[start + len(line)] == "\n"
    return text[:start] + text[start + len(line) + 1 :]


def test_lost_closing_line_before_the_next_group_is_a_warning():
    opening = "消费品等领域工业元宇宙平台。（责任单位：区科委、区经委、"
    text = drop_line(DISTRICT_TEXT, opening, "各街镇、经开区）")
    plan = parse_text(text)
    assert len(plan.tasks) == 21
    (task,) = [t for t in plan.tasks if t.number == 11]
    assert task.agencies == ["区科委", "区经委"]
    assert task.text.endswith("消费品等领域工业元宇宙平台。")
    assert [t.agencies for t in plan.tasks if t.number != 11] == [
        t.agencies for t in parse_text(DISTRICT_TEXT).tasks if t.number != 11
    ]
    (warning,) = [w for w in plan.warnings if "never closed" in w]
    assert warning.startswith(f"line {line_of(text, opening)}:")
    assert "task 11" in warning


def test_lost_closing_line_before_the_next_task_is_a_warning():
    opening = "电子、海尔卡萨帝等一批重大项目投达产。（责任单位：区经委、"
    text = drop_line(DISTRICT_TEXT, opening, "各街镇、经开区）")
    plan = parse_text(text)
    assert len(plan.tasks) == 21
    (task,) = [t for t in plan.tasks if t.number == 18]
    assert task.agencies == ["区经委"]
    assert plan.tasks[18].title.startswith("提升新城产业发展能级")
    (warning,) = [w for w in plan.warnings if "never closed" in w]
    assert warning.startswith(f"line {line_of(text, opening)}:")


def test_lost_closing_line_before_the_next_measure_is_a_warning():
    opening = "标准化厂房。（责任单位：区经委、区财政局、区规划资源局、"
    text = drop_line(DISTRICT_TEXT, opening, "各街镇、经开区）")
    plan = parse_text(text)
    assert len(plan.measures) == len(parse_text(DISTRICT_TEXT).measures)
    assert plan.measures[1].agencies == ["区经委", "区财政局", "区规划资源局"]
    assert any("never closed" in w and "measure 2" in w for w in plan.warnings)


def test_lost_closing_line_of_the_last_task_before_the_measures_is_a_warning():
    cut = CITY_TEXT.index("市规划资源局、市国资委)")
    end = CITY_TEXT.index("\n", cut)
    text = CITY_TEXT[:cut] + CITY_TEXT[end:]
    plan = parse_text(text)
    assert plan.tasks[-1].number == 22
    assert plan.tasks[-1].agencies[-1] != "市国资委"
    assert len(plan.measures) == 5
    assert any("never closed" in w and "task 22" in w for w in plan.warnings)


def test_document_cut_off_inside_the_last_responsibility_line_is_an_error():
    opening = "标准化厂房。（责任单位：区经委、区财政局、区规划资源局、"
    text = DISTRICT_TEXT[: DISTRICT_TEXT.index(opening) + len(opening)]
    with pytest.raises(PlanError, match="cut off") as error:
        parse_text(text)
    assert error.value.line == line_of(text, opening)


# --- 2. plan-like text after the footer is reported, not read ----------------------------


def footer_warnings(plan) -> list[str]:
    return [w for w in plan.warnings if "after the footer" in w]


def test_a_file_holding_the_plan_twice_warns_at_the_second_copy():
    text = CITY_TEXT + CITY_TEXT
    plan = parse_text(text)
    assert len(plan.tasks) == 22
    assert plan.tasks == parse_text(CITY_TEXT).tasks
    (warning,) = footer_warnings(plan)
    second_goals = len(CITY_TEXT) + CITY_TEXT.index("## 一、主要目标")
    assert warning.startswith(f"line {text[:second_goals].count(chr(10)) + 1}:")
    assert f"footer at line {line_of(CITY_TEXT, '抄送')}" in warning
    assert "not read as part of this plan" in warning


def test_an_appendix_of_numbered_items_after_the_footer_warns():
    appendix = (
        "附件\n重点项目清单\n1.集成电路制造项目。\n2.生物医药产业园项目。\n"
        "3.人工智能创新中心项目。\n4.新能源汽车整车项目。\n"
    )
    text = CITY_TEXT + appendix
    plan = parse_text(text)
    assert len(plan.tasks) == 22
    (warning,) = footer_warnings(plan)
    assert warning.startswith(f"line {line_of(text, '1.集成电路制造项目')}:")


def test_a_short_note_after_the_footer_does_not_warn():
    plan = parse_text(CITY_TEXT + "（此件公开发布）\n联系电话：12345678。\n")
    assert footer_warnings(plan) == []
    assert plan.warnings == []


# --- 5. positions map to source lines through line starts, not a per-character table ----


def test_every_position_maps_to_its_source_line():
    # Blank lines, noise lines (dropped), a running header (dropped) and a page-break line
    # (a soft break) between the kept lines.
    raw = [
        "某某区行动计划",
        "",
        "---",
        "一、重点任务",
        "某某区人民政府文件",
        "1.第一项工作。内容",
        " 接续的内容。（责任单位：区经委）",
        "",
        "**发布日期**: 2024-01-01",
        "2.第二项工作。内容。",
    ]
    stream = prepare("\n".join(raw), None)
    expected = []  # the source line of every character of the stream, built the slow way
    for number, line in enumerate(raw, start=1):
        kept = strip_noise(line)
        if kept is None or kept == "某某区人民政府文件":
            continue
        if expected:
            expected.append(expected[-1])  # the separator belongs to the line before
        expected.extend([number] * len(kept))
    assert len(expected) == len(stream.text)
    assert [stream.line(pos) for pos in range(len(stream.text))] == expected
    assert stream.line(-5) == 1
    assert stream.line(len(stream.text) + 10) == len(raw)


# --- a signature closing the text is not part of the last item -------------------------------

SIGNED_BODY = "某市关于支持人工智能产业发展的若干措施\n为加快发展，制定如下措施。\n"
SIGNED_BODY += (
    "一、支持算力建设。对新建算力中心给予补助。（责任单位：市发改委、市经信局）\n"
    "二、支持场景开放。每年发布100个应用场景。（责任单位：市经信局）\n"
    "三、强化组织实施。各部门抓好落实。\n"
)


@pytest.mark.parametrize(
    ("signature", "signed"),
    [
        ("\n某市人民政府\n2023年12月20日\n", True),  # the signer, then the date
        ("\n某市人民政府　　2023年12月20日\n（此件公开发布）\n", True),  # one line, a note
        ("\n中共某市委办公厅\n某市人民政府办公厅\n二〇二三年十二月二十日\n", True),  # two signers
        # A printing line under its office: the footer, which dates the print, not the plan.
        ("\n某市人民政府办公厅\n2023年12月20日印发\n", False),
    ],
)
def test_a_closing_signature_ends_the_text(signature, signed):
    plan = parse_text(SIGNED_BODY + signature)
    assert [t.title for t in plan.tasks] == ["支持算力建设", "支持场景开放"]
    assert [m.text for m in plan.measures] == ["强化组织实施。各部门抓好落实。"]
    if signed:
        assert plan.issued_on == "2023-12-20"
        assert plan.issuer is not None and plan.issuer.startswith(("某市", "中共某市"))


def test_a_last_sentence_ending_in_a_date_is_not_a_signature():
    text = SIGNED_BODY.replace(
        "各部门抓好落实。\n", "各部门抓好落实，有关情况报送至\n市政府办公厅\n2023年12月20日\n"
    )
    with pytest.raises(PlanError, match="ends in the middle of"):
        parse_text(text)
