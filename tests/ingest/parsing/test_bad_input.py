"""Inputs that are not (whole) plans: a clear PlanError with a line, or a warning."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.errors import PlanError
from ingest.parsing import parse_file, parse_text
from tests.conftest import PROJECT_ROOT

ROOT = PROJECT_ROOT
CITY_TEXT = (ROOT / "data" / "plans" / "shanghai_2023-2025_manufacturing.txt").read_text("utf-8")
DISTRICT_TEXT = (ROOT / "data" / "plans" / "songjiang_2023-2025_manufacturing.txt").read_text(
    "utf-8"
)


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "input.txt"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("data", [b"", b"   \n\n\t \n"])
def test_empty_file(tmp_path, data):
    with pytest.raises(PlanError, match="empty file") as error:
        parse_file(write(tmp_path, data))
    assert error.value.path.endswith("input.txt")


def test_binary_file(tmp_path):
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    with pytest.raises(PlanError, match="binary file"):
        parse_file(write(tmp_path, data))


def test_undecodable_bytes_name_their_line(tmp_path):
    data = "第一行\n第二行\n".encode() + b"\xff\xfe\xfa\n"
    with pytest.raises(PlanError, match="neither as UTF-8 nor as GB18030") as error:
        parse_file(write(tmp_path, data))
    assert error.value.line == 3
    assert ":3:" in error.value.describe()


def test_text_that_is_not_a_plan():
    text = "今天天气很好。\n我们去公园散步，看见很多人在跑步。\n一、早上\n吃了早饭。\n"
    with pytest.raises(PlanError, match="not a plan"):
        parse_text(text)


def test_markup_only_file():
    with pytest.raises(PlanError, match="no plan text"):
        parse_text("---\n**发布日期**: 2023-01-01\n---\n")


def test_plan_cut_off_mid_task_names_the_task_and_line():
    cut = CITY_TEXT[: CITY_TEXT.index("21.建设产业园区") + 40]
    with pytest.raises(PlanError, match="middle of task 21") as error:
        parse_text(cut)
    assert error.value.line == line_of(CITY_TEXT, "21.建设产业园区")


def test_plan_cut_off_inside_wrapped_district_task():
    cut = DISTRICT_TEXT[: DISTRICT_TEXT.index("21.盘活低效") + 60]
    with pytest.raises(PlanError, match="task 21"):
        parse_text(cut)


def test_plan_cut_off_inside_responsibility_line():
    cut = CITY_TEXT[: CITY_TEXT.index("市规划资源局、市国资委)")]
    with pytest.raises(PlanError, match=r"cut off|middle of task 22"):
        parse_text(cut)


def test_plan_cut_off_after_a_sentence_without_responsibility_line():
    end = CITY_TEXT.index("(责任单位:各区政府、市经济信息化委、市规划资源局")
    with pytest.raises(PlanError, match="no responsibility line"):
        parse_text(CITY_TEXT[:end])


def test_plan_cut_off_mid_measure():
    cut = DISTRICT_TEXT[: DISTRICT_TEXT.index("（三）优化科技金融服务") + 30]
    with pytest.raises(PlanError, match="middle of measure 3"):
        parse_text(cut)


def test_plan_ending_right_after_a_task_is_parsed_with_a_warning():
    cut = CITY_TEXT[: CITY_TEXT.index("### **三、保障措施**")]
    plan = parse_text(cut)
    assert len(plan.tasks) == 22
    assert any("may be cut off" in w for w in plan.warnings)


def test_duplicate_task_number_is_an_error_with_its_line():
    text = CITY_TEXT.replace("13.推进重点行业节能降碳", "12.推进重点行业节能降碳")
    with pytest.raises(PlanError, match="duplicate task number 12") as error:
        parse_text(text)
    assert error.value.line == line_of(CITY_TEXT, "13.推进重点行业节能降碳")


def test_duplicate_group_number_is_an_error():
    text = CITY_TEXT.replace("(三)数字蝶变行动", "(二)数字蝶变行动")
    with pytest.raises(PlanError, match="duplicate group number"):
        parse_text(text)


def test_skipped_task_number_is_a_warning_with_its_line():
    # Drop task 13 entirely: the plan jumps from 12 to 14.
    start = CITY_TEXT.index("13.推进重点行业节能降碳")
    end = CITY_TEXT.index("14.健全绿色制造体系")
    plan = parse_text(CITY_TEXT[:start] + CITY_TEXT[end:])
    assert [t.number for t in plan.tasks] == [*range(1, 13), *range(14, 23)]
    (warning,) = [w for w in plan.warnings if "skip" in w]
    line = int(re.match(r"line (\d+)", warning).group(1))
    assert line == line_of(CITY_TEXT[:start] + CITY_TEXT[end:], "14.健全绿色制造体系")
    assert "from 12 to 14" in warning


def test_plan_without_task_section_but_numbered_principles_is_rejected():
    text = (
        "某某行动计划\n一、基本原则\n1.坚持创新。内容。\n2.坚持协同。内容。\n"
        "二、保障措施\n（一）加强领导。内容。\n"
    )
    with pytest.raises(PlanError, match="not a plan"):
        parse_text(text)


def test_errors_describe_path_and_line(tmp_path):
    path = write(tmp_path, CITY_TEXT.replace("13.推进重点行业", "12.推进重点行业").encode())
    with pytest.raises(PlanError) as error:
        parse_file(path)
    assert error.value.describe().startswith(f"{path}:{line_of(CITY_TEXT, '13.推进重点行业')}: ")


# --- through the CLI: exit 2 and the PlanError description, never a traceback -----------

PLANGRAPH = ROOT / ".venv" / "bin" / "plangraph"


def run_cli(*args: str):
    import subprocess

    return subprocess.run(
        [str(PLANGRAPH), "parse", *args], capture_output=True, text=True, cwd=ROOT, timeout=120
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (b"\x00\x01\x02binary\x00", "binary file"),
        ("第一行\n".encode() + b"\xff\xfe\xfa\n", "neither as UTF-8 nor as GB18030"),
        (CITY_TEXT.replace("13.推进重点行业", "12.推进重点行业").encode(), "duplicate task"),
        ("只是一段普通的文字。".encode(), "not a plan"),
    ],
    ids=["empty", "binary", "undecodable", "duplicate", "not-a-plan"],
)
def test_cli_exits_2_with_a_described_error(tmp_path, data, message):
    path = write(tmp_path, data)
    result = run_cli(str(path), "--json")
    assert result.returncode == 2
    # The CLI may wrap long messages at the terminal width.
    output = "".join((result.stderr + result.stdout).split())
    assert "".join(message.split()) in output
    assert "Traceback" not in result.stderr


def test_cli_json_is_the_plan_dict():
    import json

    result = run_cli("data/plans/songjiang_2023-2025_manufacturing.txt", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["doc_number"] == "沪松府〔2023〕138号"
    assert sum(len(a["tasks"]) for a in data["actions"]) == 21
    assert data["cites"][0]["doc_number"] == "沪府办发〔2023〕8号"
