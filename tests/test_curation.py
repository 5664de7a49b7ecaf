"""Analysts' decisions: the file format, its errors, and how align applies them."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.alignment import DEFAULT_DECISIONS, align
from ingest.curation import COLUMNS, load_decisions
from ingest.errors import PlanError
from tests.test_alignment import city_plan, district_plan

HEADER = "\t".join(COLUMNS)
CHILD = "示区府〔2023〕12号"
PARENT = "示府发〔2023〕5号"


def write(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "alignment.tsv"
    path.write_text("\n".join(["# analysts' decisions", HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def row(child_key, parent_key, decision, child_title="", parent_title="", level="task", **kw):
    fields = [
        kw.get("child_doc", CHILD),
        level,
        str(child_key),
        child_title,
        kw.get("parent_doc", PARENT),
        str(parent_key),
        parent_title,
        decision,
        kw.get("note", "test"),
    ]
    return "\t".join(fields)


def links(result, level="tasks"):
    return {(x.child, x.parent): x for x in result.level(level).links}


def test_the_project_file_loads():
    assert DEFAULT_DECISIONS.exists()
    load_decisions(DEFAULT_DECISIONS)  # header and comments only, or valid decisions


def test_load_reads_fields_and_keeps_the_line(tmp_path):
    path = write(tmp_path, row(3, 1, "confirm", "做强芯片和新能源汽车产业", note="checked"))
    [d] = load_decisions(path)
    assert (d.level, d.child_key, d.parent_key, d.decision, d.note) == (
        "task",
        3,
        1,
        "confirm",
        "checked",
    )
    assert d.line == 3 and d.path == str(path)


def test_note_may_be_left_off(tmp_path):
    path = write(tmp_path, "\t".join(row(3, 1, "confirm").split("\t")[:-1]))
    assert load_decisions(path)[0].note == ""


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (row(3, 1, "approve"), "decision must be one of"),
        (row(3, 1, "confirm", level="paragraph"), "level must be one of"),
        (row("three", 1, "confirm"), "child_key must be a number"),
        (row(3, 0, "confirm"), "parent_key must be 1 or more"),
        (row(3, 1, "confirm").replace("\t", "  "), "spaces instead of tabs"),
        ("\t".join(row(3, 1, "confirm").split("\t")[:5]), "expected 9 tab-separated fields"),
        (row(3, 1, "confirm", child_doc=""), "child_doc and parent_doc must not be empty"),
    ],
)
def test_malformed_lines_name_file_and_line(tmp_path, line, message):
    path = write(tmp_path, row(1, 4, "confirm"), line)
    with pytest.raises(PlanError) as err:
        load_decisions(path)
    assert message in err.value.message
    assert err.value.line == 4
    assert err.value.path == str(path)
    assert f"{path}:4" in str(err.value)


def test_two_decisions_on_one_link_are_an_error(tmp_path):
    spaced = row(3, 1, "reject", child_doc="示区府〔2023〕 12 号")
    path = write(tmp_path, row(3, 1, "confirm"), spaced)
    with pytest.raises(PlanError, match="first at line 3"):
        load_decisions(path)


def test_missing_file_is_an_error(tmp_path):
    with pytest.raises(PlanError, match="not found"):
        load_decisions(tmp_path / "nope.tsv")


def test_confirm_reject_add(tmp_path):
    path = write(
        tmp_path,
        row(1, 4, "confirm", "加快企业数字化改造", "推进中小企业数字化转型"),
        row(3, 3, "reject"),
        row(5, 6, "add", note="民宿 training counts as 人才"),
    )
    result = align(district_plan(), city_plan(), decisions=load_decisions(path))
    got = links(result)
    assert got[(1, 4)].status == "confirmed"
    assert (3, 3) not in got and (3, 1) in got
    assert got[(5, 6)].status == "manual"
    assert "curation: 民宿 training counts as 人才" in got[(5, 6)].evidence
    # the unlinked lists follow the decisions
    assert 5 not in result.tasks.child_without_parent
    assert 6 not in result.tasks.parent_without_child
    assert 3 in result.tasks.parent_without_child
    assert result.curation_report == []


def test_decisions_accept_a_path_and_match_doc_numbers_loosely(tmp_path):
    path = write(tmp_path, row(3, 3, "reject", child_doc="示区府[2023]12 号"))
    result = align(district_plan(), city_plan(), decisions=path)
    assert (3, 3) not in links(result)


def test_stale_decisions_are_reported_not_applied(tmp_path):
    path = write(
        tmp_path,
        row(1, 4, "confirm", "一个已经改名的任务"),
        row(9, 4, "add"),
        row(2, 99, "add"),
        row(5, 1, "reject"),
        row(1, 5, "confirm"),
    )
    result = align(district_plan(), city_plan(), decisions=load_decisions(path))
    report = "\n".join(result.curation_report)
    assert "child title changed" in report and ":3:" in report
    assert "the child plan has no task 9" in report
    assert "the parent plan has no task 99" in report
    assert "nothing to reject" in report
    assert "no longer proposes this link; kept as confirmed" in report
    assert len(result.curation_report) == 5
    assert links(result)[(1, 4)].status == "auto"  # the title check failed: not confirmed
    assert links(result)[(1, 5)].status == "confirmed"
    review = [r for r in result.review if r.level == "curation"]
    assert len(review) == 5


def test_decisions_for_other_plans_are_ignored(tmp_path):
    path = write(tmp_path, row(3, 3, "reject", child_doc="别区府〔2023〕1号"))
    result = align(district_plan(), city_plan(), decisions=load_decisions(path))
    assert (3, 3) in links(result)
    assert result.curation_report == []


def test_goal_level_decisions(tmp_path):
    path = write(tmp_path, row(1, 2, "add", level="goal"))
    result = align(district_plan(), city_plan(), decisions=load_decisions(path))
    assert set(links(result, "goals")) == {(1, 1), (1, 2)}
    assert result.goals.parent_without_child == []
