"""The analyst's desk as a user runs it: files from `view`, `align`, `ledger` and `coverage`
(Excel read back with openpyxl, CSV with its BOM, PNG/SVG pictures), and the terminal table
that fits its width."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from plangraph.desk import cjk_font, write_output
from tests.conftest import CITY_PLAN, DISTRICT_PLAN, PLANS_DIR, PROJECT_ROOT, plangraph

JIADING = PROJECT_ROOT / "tests" / "plans_pairs" / "jiading_manufacturing.txt"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> Path:
    """The bundled plans and a second district (嘉定) implementing the city plan."""
    out = tmp_path_factory.mktemp("desk") / "plangraph.lbdb"
    result = plangraph("build", str(PLANS_DIR), str(JIADING), "--db", str(out))
    assert result.returncode == 0, result.stderr
    return out


def _one_error_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), result.stderr
    return lines[0]


def _view_json(database: Path, *args: str) -> list[dict]:
    result = plangraph("view", *args, "--db", str(database), "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# -- view --------------------------------------------------------------------------------------


def test_view_to_excel_has_every_column_and_row(database, tmp_path):
    out = tmp_path / "d2c.xlsx"
    result = plangraph(
        "view", "district_to_city", "-p", "plan=松江区", "--db", str(database), "-o", str(out)
    )
    assert result.returncode == 0, result.stderr
    rows = _view_json(database, "district_to_city", "-p", "plan=松江区")
    sheet = openpyxl.load_workbook(out).active
    header, *cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert header == list(rows[0])  # all columns, the view's names
    assert len(cells) == len(rows)
    assert [row[header.index("child_number")] for row in cells] == [
        row["child_number"] for row in rows
    ]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    assert not list(tmp_path.glob(".*.part"))  # the temporary file was renamed away


def test_csv_files_carry_a_bom_and_stdout_does_not(database, tmp_path):
    out = tmp_path / "plans.csv"
    assert plangraph("view", "plans", "--db", str(database), "--out", str(out)).returncode == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    stdout = plangraph("view", "plans", "--db", str(database), "--format", "csv").stdout
    assert not stdout.startswith("\ufeff")
    assert data.decode("utf-8-sig") == stdout
    assert len(list(csv.DictReader(io.StringIO(stdout)))) == 3


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--format", "xlsx"], "needs --out"),
        (["--out", "{tmp}"], "is a folder"),
        (["--out", "{tmp}/file.txt/x.xlsx"], "is a file, not a folder"),
        (["--out", "{tmp}/rows.txt"], "name a .json, .csv or .xlsx file"),
    ],
)
def test_an_output_that_cannot_be_written_is_refused_before_any_work(
    database, tmp_path, args, says
):
    (tmp_path / "file.txt").write_text("x")
    args = [arg.replace("{tmp}", str(tmp_path)) for arg in args]
    result = plangraph("view", "plans", "--db", str(database), *args)
    assert says in _one_error_line(result)


def test_a_narrow_terminal_shows_the_views_columns_that_fit_and_names_the_hidden(database):
    command = ["view", "district_to_city", "-p", "plan=松江区", "--db", str(database)]
    narrow = subprocess.run(
        [sys.executable, "-m", "plangraph", *command],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env={**os.environ, "COLUMNS": "80"},
    )
    assert narrow.returncode == 0, narrow.stderr
    from queries.workbook import display_width

    lines = narrow.stdout.splitlines()
    assert max(display_width(line) for line in lines) <= 80  # Chinese counts twice
    top = next(i for i, line in enumerate(lines) if line.startswith("┏"))
    header = lines[top + 1]
    assert lines[top + 2].startswith("┡"), "a header was folded onto a second line"
    shown = [cell.strip() for cell in header.strip("┃").split("┃")]
    assert shown[:2] == ["child_number", "child_title"] and len(shown) >= 4
    assert "evidence" not in header and "parent_id" not in header
    assert "columns hidden" in narrow.stderr and "evidence" in narrow.stderr


def test_columns_chooses_and_an_unknown_column_is_named(database):
    chosen = plangraph(
        "view", "plans", "--db", str(database), "--columns", "region,id", "--format", "csv"
    )
    assert chosen.stdout.splitlines()[0] == "region,id"
    table = plangraph("view", "plans", "--db", str(database), "--columns", "region,tasks")
    assert "region" in table.stdout and "doc_number" not in table.stdout
    line = _one_error_line(plangraph("view", "plans", "--db", str(database), "-c", "regoin"))
    assert "regoin" in line and "doc_number" in line  # the columns there are


# -- ledger ------------------------------------------------------------------------------------


def test_ledger_writes_the_workbook(database, tmp_path):
    out = tmp_path / "台账.xlsx"
    result = plangraph(
        "ledger", "沪府办发〔2023〕8号", "--out", str(out), "--by-agency", "--db", str(database)
    )
    assert result.returncode == 0, result.stderr
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[:3] == ["任务", "保障措施", "覆盖情况"]
    assert len(book.sheetnames) > 3  # a sheet per unit
    overview = _view_json(database, "plan_overview", "-p", "plan=上海市")
    numbers = [row["number"] for row in overview if row["kind"] == "task"]
    assert [row[0].value for row in book["任务"].iter_rows(min_row=2)] == numbers


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["松江", "--out", "{tmp}/l.xlsx"], "did you mean 松江区"),
        (["松江区", "--out", "{tmp}/l.csv"], "name the file *.xlsx"),
        (["松江区", "--out", "{tmp}"], "is a folder"),
        (
            ["松江区", "--out", "{tmp}/l.xlsx", "--store", "sqlite"],
            "not one of 'embedded', 'neo4j'",
        ),
    ],
)
def test_ledger_refuses_bad_input_in_one_line(database, tmp_path, args, says):
    args = [arg.replace("{tmp}", str(tmp_path)) for arg in args]
    assert says in _one_error_line(plangraph("ledger", *args, "--db", str(database)))
    assert not list(tmp_path.glob("*.xlsx"))


# -- coverage ----------------------------------------------------------------------------------


def test_coverage_pictures(database, tmp_path):
    png, svg = tmp_path / "coverage.png", tmp_path / "coverage.svg"
    for out in (png, svg):
        result = plangraph("coverage", "上海市", "--out", str(out), "--db", str(database))
        assert result.returncode == 0, result.stderr
    assert png.read_bytes().startswith(PNG_MAGIC)
    text = svg.read_text(encoding="utf-8")
    assert "<svg" in text
    # Labels are drawn as glyph paths: the picture needs no Chinese font where it is viewed.
    assert "<text" not in text and "<path" in text


def test_coverage_json_is_the_apis_answer_and_csv_its_table(database, tmp_path):
    from fastapi.testclient import TestClient

    from api.app import create_app
    from queries.embedded_store import EmbeddedStore

    result = plangraph("coverage", "上海市", "--format", "json", "--db", str(database))
    answer = json.loads(result.stdout)
    with TestClient(create_app(lambda: EmbeddedStore.open(database))) as client:
        assert client.get("/plans/上海市/coverage").json() == answer
    labels = [child["region"] for child in answer["children"]]
    assert sorted(labels) == ["嘉定区", "松江区"]
    out = tmp_path / "coverage.csv"
    assert plangraph("coverage", "上海市", "-o", str(out), "--db", str(database)).returncode == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert len(rows) == answer["totals"]["tasks"]
    for row, expected in zip(rows, answer["rows"], strict=True):
        assert int(row["number"]) == expected["task"]["number"]
        for label, cell in zip(labels, expected["cells"], strict=True):
            assert row[label] == "、".join(str(task["number"]) for task in cell)


def test_coverage_refusals(database, tmp_path):
    nothing = plangraph(
        "coverage", "松江区", "--out", str(tmp_path / "c.png"), "--db", str(database)
    )
    assert "no loaded plan implements it" in _one_error_line(nothing)
    both = plangraph("coverage", "上海市", "--out", str(tmp_path / "c.png"), "--format", "csv")
    assert "draws a picture" in _one_error_line(both)
    assert not list(tmp_path.iterdir())


def test_a_cjk_font_is_chosen_by_family_and_none_found_is_none():
    from matplotlib.font_manager import FontEntry

    fonts = [FontEntry(name="DejaVu Sans"), FontEntry(name="Noto Serif CJK SC")]
    assert cjk_font(fonts).name == "Noto Serif CJK SC"
    assert cjk_font([*fonts, FontEntry(name="Noto Sans CJK SC")]).name == "Noto Sans CJK SC"
    assert cjk_font([FontEntry(name="DejaVu Sans")]) is None


# -- align -------------------------------------------------------------------------------------


def test_align_to_excel_and_csv(tmp_path):
    book_path, csv_path = tmp_path / "align.xlsx", tmp_path / "align.csv"
    plans = [str(DISTRICT_PLAN), str(CITY_PLAN)]
    assert plangraph("align", *plans, "--format", "xlsx", "--out", str(book_path)).returncode == 0
    assert plangraph("align", *plans, "--out", str(csv_path)).returncode == 0
    data = json.loads(plangraph("align", *plans, "--json").stdout)
    book = openpyxl.load_workbook(book_path)
    assert book.sheetnames == ["links", "targets", "review"]
    expected = sum(
        len(data[level]["links"])
        + len(data[level]["child_without_parent"])
        + len(data[level]["parent_without_child"])
        for level in ("tasks", "actions", "goals", "measures")
    )
    assert book["links"].max_row - 1 == expected
    assert book["targets"].max_row - 1 == len(data["indicators"])
    assert book["review"].max_row - 1 == len(data["review"])
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(csv_path.read_text(encoding="utf-8-sig"))))
    assert len(rows) == expected
    task_links = [
        r for r in rows if r["level"] == "task" and r["status"] not in ("no parent", "no child")
    ]
    assert [(int(r["child"]), int(r["parent"])) for r in task_links] == [
        (link["child"], link["parent"]) for link in data["tasks"]["links"]
    ]
    assert "needs --out" in _one_error_line(plangraph("align", *plans, "--format", "xlsx"))


# -- writing files -----------------------------------------------------------------------------


def test_a_failed_write_leaves_neither_a_file_nor_a_temporary_one(tmp_path):
    target = tmp_path / "out.xlsx"
    with pytest.raises(TypeError):
        write_output(target, "not bytes")  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []
    target.write_bytes(b"old")
    write_output(target, b"new")
    assert target.read_bytes() == b"new" and list(tmp_path.iterdir()) == [target]
