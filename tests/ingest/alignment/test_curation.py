"""Analysts' decisions: the file, its errors, how they apply, how problems are reported."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.alignment import Curation, align, apply, load_decisions
from ingest.alignment.curation import COLUMNS
from ingest.build import build_from_plans, read_decisions
from ingest.errors import PlanError
from ingest.graph import EmptyCatalog
from schema.paths import DEFAULT_DECISIONS
from tests.conftest import CITY_PLAN, DISTRICT_PLAN, PROJECT_ROOT
from tests.ingest.alignment.test_alignment import city_plan, district_plan

HEADER = "\t".join(COLUMNS)
CHILD = "示区府〔2023〕12号"
PARENT = "示府发〔2023〕5号"


def write(tmp_path: Path, *lines: str, name: str = "alignment.tsv") -> Path:
    path = tmp_path / name
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


def curated(path: Path):
    return apply(align(district_plan(), city_plan()), load_decisions(path))


# -- the file --------------------------------------------------------------------------------


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


# -- applying to one pair --------------------------------------------------------------------


def test_confirm_reject_add(tmp_path):
    path = write(
        tmp_path,
        row(1, 4, "confirm", "加快企业数字化改造", "推进中小企业数字化转型"),
        row(3, 3, "reject"),
        row(5, 6, "add", note="民宿 training counts as 人才"),
    )
    out = curated(path)
    result = out.alignment
    got = links(result)
    assert got[(1, 4)].status == "confirmed"
    assert (3, 3) not in got and (3, 1) in got
    assert got[(5, 6)].status == "manual"
    assert "curation: 民宿 training counts as 人才" in got[(5, 6)].evidence
    # the unlinked lists follow the decisions
    assert 5 not in result.tasks.child_without_parent
    assert 6 not in result.tasks.parent_without_child
    assert 3 in result.tasks.parent_without_child
    assert out.problems == ()


def test_curation_returns_a_new_alignment_and_leaves_the_algorithms_alone(tmp_path):
    path = write(tmp_path, row(3, 3, "reject"))
    raw = align(district_plan(), city_plan())
    out = apply(raw, load_decisions(path))
    assert (3, 3) in links(raw) and (3, 3) not in links(out.alignment)


def test_document_numbers_match_loosely(tmp_path):
    path = write(tmp_path, row(3, 3, "reject", child_doc="示区府[2023]第012 号"))
    assert (3, 3) not in links(curated(path).alignment)


def test_stale_decisions_are_reported_not_applied(tmp_path):
    path = write(
        tmp_path,
        row(1, 4, "confirm", "一个已经改名的任务"),
        row(9, 4, "add"),
        row(2, 99, "add"),
        row(5, 1, "reject"),
        row(1, 5, "confirm"),
    )
    out = curated(path)
    report = "\n".join(map(str, out.problems))
    assert "child title changed" in report and ":3:" in report
    assert "the child plan has no task 9" in report
    assert "the parent plan has no task 99" in report
    assert "nothing to reject" in report
    assert "no longer proposes this link; kept as confirmed" in report
    assert len(out.problems) == 5
    assert links(out.alignment)[(1, 4)].status == "auto"  # the title check failed
    assert links(out.alignment)[(1, 5)].status == "confirmed"
    review = [r for r in out.alignment.review if r.level == "curation"]
    assert [r.reason for r in review] == [str(p) for p in out.problems]


def test_decisions_for_other_plans_are_not_for_this_pair(tmp_path):
    path = write(tmp_path, row(3, 3, "reject", child_doc="别区府〔2023〕1号"))
    out = curated(path)
    assert (3, 3) in links(out.alignment)
    assert out.problems == ()


def test_goal_level_decisions(tmp_path):
    path = write(tmp_path, row(1, 2, "add", level="goal"))
    result = curated(path).alignment
    assert set(links(result, "goals")) == {(1, 1), (1, 2)}
    assert result.goals.parent_without_child == ()


# -- one run: documents not loaded, pairs not aligned ------------------------------------------


def other_district():
    plan = district_plan()
    plan.doc_number = "示乙府〔2023〕7号"
    plan.title = "示范乙区推动产业发展三年行动计划（2023-2025年）"
    return plan


def test_a_decision_naming_a_document_not_loaded_is_reported(tmp_path):
    path = write(
        tmp_path,
        row(3, 3, "reject"),
        row(1, 1, "add", child_doc="别区府〔2023〕1号"),
        row(1, 1, "add", child_doc="别区府〔2023〕1号", parent_doc="别府发〔2023〕2号"),
    )
    district, city = district_plan(), city_plan()
    curation = Curation(load_decisions(path), [district, city])
    result = curation.apply(align(district, city))
    assert (3, 3) not in links(result)
    lines = [str(p) for p in curation.problems()]
    assert lines == [
        f"{path}:4: add task 别区府〔2023〕1号 1 → {PARENT} 1: child document 别区府〔2023〕1号 "
        "is not among the loaded plans; not applied",
        f"{path}:5: add task 别区府〔2023〕1号 1 → 别府发〔2023〕2号 1: child document "
        "别区府〔2023〕1号 and parent document 别府发〔2023〕2号 are not among the loaded plans; "
        "not applied",
    ]


def test_decisions_for_another_loaded_pair_apply_there_and_are_no_problem_here(tmp_path):
    other = other_district()
    path = write(
        tmp_path,
        row(3, 3, "reject"),
        row(3, 1, "reject", child_doc=other.doc_number),
        row(1, 1, "add", child_doc=CHILD, parent_doc=other.doc_number),
    )
    district, city = district_plan(), city_plan()
    built = build_from_plans([city, district, other], catalog=EmptyCatalog(), decisions=path)
    pairs = {a["child"]["doc_number"]: a for a in built.alignments.values()}
    first = {(x["child"], x["parent"]) for x in pairs[district.doc_number]["tasks"]["links"]}
    second = {(x["child"], x["parent"]) for x in pairs[other.doc_number]["tasks"]["links"]}
    assert (3, 3) not in first and (3, 1) in first
    assert (3, 1) not in second and (3, 3) in second
    # both plans loaded, but the district does not implement the other district
    assert [str(p) for p in built.problems] == [
        f"{path}:5: add task {CHILD} 1 → {other.doc_number} 1: both plans are loaded but were "
        "not aligned with each other; not applied"
    ]


def test_a_build_reports_decisions_naming_plans_it_did_not_load(tmp_path):
    path = write(tmp_path, row(1, 1, "add", parent_doc="别府发〔2023〕2号"))
    built = build_from_plans([city_plan(), district_plan()], catalog=EmptyCatalog(), decisions=path)
    [problem] = built.problems
    assert f"{path}:3" in str(problem)
    assert "parent document 别府发〔2023〕2号 is not among the loaded plans" in str(problem)


# -- read once per build -----------------------------------------------------------------------


def test_a_build_reads_the_decisions_file_once(tmp_path):
    """The file is read before aligning: rewriting it mid-build changes nothing."""
    path = write(tmp_path, row(3, 3, "reject"), row(3, 3, "reject", child_doc="示乙府〔2023〕7号"))
    calls: list[str] = []

    def aligner(child, parent):
        calls.append(child.doc_number)
        # A second read would now fail (and a per-child read would miss the second reject).
        path.write_text("not\ta decisions file\n", encoding="utf-8")
        return align(child, parent)

    built = build_from_plans(
        [city_plan(), district_plan(), other_district()],
        catalog=EmptyCatalog(),
        decisions=path,
        aligner=aligner,
    )
    assert len(calls) == 2
    for alignment in built.alignments.values():
        found = {(x["child"], x["parent"]) for x in alignment["tasks"]["links"]}
        assert (3, 3) not in found and (3, 1) in found
    assert built.problems == ()


def test_a_build_takes_decisions_already_read(tmp_path):
    path = write(tmp_path, row(3, 3, "reject"))
    decisions = load_decisions(path)
    path.unlink()
    assert read_decisions(decisions) == decisions
    built = build_from_plans(
        [city_plan(), district_plan()], catalog=EmptyCatalog(), decisions=decisions
    )
    [alignment] = built.alignments.values()
    assert (3, 3) not in {(x["child"], x["parent"]) for x in alignment["tasks"]["links"]}


def test_the_graph_gets_the_curated_links(tmp_path):
    path = write(tmp_path, row(3, 3, "reject"), row(5, 6, "add", note="analyst"))
    built = build_from_plans([city_plan(), district_plan()], catalog=EmptyCatalog(), decisions=path)
    edges = {
        (u.rsplit("/", 1)[-1], v.rsplit("/", 1)[-1]): d
        for u, v, d in built.graph.edges(data=True)
        if d["type"] == "ALIGNS_WITH" and "/task/" in u
    }
    assert ("3", "3") not in edges
    assert edges[("5", "6")]["status"] == "manual"
    assert "curation: analyst" in edges[("5", "6")]["evidence"]


# -- the two commands print the same problems ------------------------------------------------


def plangraph(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "plangraph", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=PROJECT_ROOT,
        env={**os.environ, "COLUMNS": "1000"},
    )


def problem_lines(stderr: str, path: Path) -> list[str]:
    return [line for line in stderr.splitlines() if str(path) in line]


def test_build_and_align_report_the_same_problems(tmp_path):
    district, city = "沪松府〔2023〕138号", "沪府办发〔2023〕8号"
    path = write(
        tmp_path,
        row(1, 1, "confirm", "打造高辨识度产业集群", child_doc=district, parent_doc=city),
        row(3, 4, "confirm", "一个已经改名的任务", child_doc=district, parent_doc=city),
        row(99, 4, "add", child_doc=district, parent_doc=city),
        row(1, 1, "add", child_doc="沪X府〔2023〕1号", parent_doc=city),
    )
    aligned = plangraph(
        "align", str(DISTRICT_PLAN), str(CITY_PLAN), "--json", "--decisions", str(path)
    )
    out = str(tmp_path / "graph")  # -o: where build writes the graph, whatever its format
    built = plangraph(
        "build", str(DISTRICT_PLAN), str(CITY_PLAN), "--decisions", str(path), "-o", out
    )
    assert aligned.returncode == 0, aligned.stderr
    assert built.returncode == 0, built.stderr
    lines = problem_lines(aligned.stderr, path)
    assert lines == problem_lines(built.stderr, path)
    assert len(lines) == 3
    assert f"{path}:4:" in lines[0] and "child title changed" in lines[0]
    assert f"{path}:5:" in lines[1] and "the child plan has no task 99" in lines[1]
    assert f"{path}:6:" in lines[2] and "child document 沪X府〔2023〕1号" in lines[2]
    assert all(line.startswith("warning: ") for line in lines)


def test_a_named_decisions_file_that_is_missing_stops_both_commands(tmp_path):
    missing = tmp_path / "nope.tsv"
    for args in (
        ("align", str(DISTRICT_PLAN), str(CITY_PLAN), "--decisions", str(missing)),
        ("build", str(DISTRICT_PLAN), "--decisions", str(missing), "-o", str(tmp_path / "g")),
    ):
        result = plangraph(*args)
        assert result.returncode == 2
        assert f"{missing}: decisions file not found" in result.stderr


def test_curation_works_on_a_copy_of_the_plans(tmp_path):
    """Decisions never touch the plans themselves."""
    path = write(tmp_path, row(3, 3, "reject"))
    district, city = district_plan(), city_plan()
    before = copy.deepcopy((district, city))
    apply(align(district, city), load_decisions(path))
    assert (district, city) == before
