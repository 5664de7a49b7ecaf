"""Excel output read back with openpyxl: the generic writer, then the ledger of the bundled plans
checked against other views (task_detail, plan_overview, tasks_by_agency, coverage)."""

from __future__ import annotations

import io

import openpyxl
import pytest

from queries.embedded_store import EmbeddedStore
from queries.errors import NameNotFound
from queries.ledger import COVERAGE_SHEET, MEASURES_SHEET, TASKS_SHEET, ledger
from queries.tabular import FORMULA_STARTS
from queries.workbook import (
    MAX_CELL_CHARS,
    MAX_SHEET_TITLE,
    MAX_WIDTH,
    Column,
    Sheet,
    rows_workbook,
    sheet_title,
    workbook_bytes,
)
from tests.conftest import PLANS_DIR, PROJECT_ROOT

CITY = "沪府办发-2023-8"
DISTRICT = "沪松府-2023-138"
JIADING = PROJECT_ROOT / "tests" / "plans_pairs" / "jiading_manufacturing.txt"


def _read(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _values(sheet) -> list[list]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


# -- the writer ------------------------------------------------------------------------------


def test_a_sheet_has_a_bold_frozen_filtered_header_and_keeps_numbers_numbers():
    rows = [{"number": n, "title": f"任务{n}", "score": n / 10} for n in (1, 2, 10, 11)]
    book = _read(rows_workbook(rows, title="tasks"))
    assert book.sheetnames == ["tasks"]
    sheet = book["tasks"]
    assert _values(sheet)[0] == ["number", "title", "score"]
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C5"
    numbers = [row[0] for row in _values(sheet)[1:]]
    assert numbers == [1, 2, 10, 11] and all(isinstance(n, int) for n in numbers)
    assert sorted(numbers) == numbers  # numeric order: 2 before 10 (text order would not)
    assert [row[2] for row in _values(sheet)[1:]] == [0.1, 0.2, 1.0, 1.1]


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_formula_like_text_is_stored_as_text_that_cannot_run(start):
    title = f'{start}HYPERLINK("http://example.invalid","点击")'
    book = _read(rows_workbook([{"title": title, "n": -3}]))
    cell = book.active["A2"]
    assert cell.data_type == "s"  # a string, not a formula ("f")
    assert cell.value == title  # shown as typed
    assert cell.quotePrefix  # Excel keeps it text even when the cell is edited
    number = book.active["B2"]
    assert number.value == -3 and number.data_type == "n" and not number.quotePrefix


def test_plain_text_has_no_quote_prefix_and_lists_are_joined():
    book = _read(rows_workbook([{"title": "加强质量品牌建设", "owners": ["区经委", "区科委"]}]))
    assert book.active["A2"].value == "加强质量品牌建设" and not book.active["A2"].quotePrefix
    assert book.active["B2"].value == "区经委、区科委"


def test_control_characters_are_dropped_and_long_text_cut_with_a_visible_mark():
    book = _read(rows_workbook([{"a": "任务\x00\x07一", "b": "字" * (MAX_CELL_CHARS + 10)}]))
    assert book.active["A2"].value == "任务一"
    long = book.active["B2"].value
    assert len(long) == MAX_CELL_CHARS and long.endswith("JSON 输出）")


def test_column_widths_follow_the_content_within_bounds():
    rows = [{"n": 1, "title": "打造高辨识度产业集群", "text": "很长的文字" * 40}]
    sheet = _read(rows_workbook(rows)).active
    widths = {key: sheet.column_dimensions[key].width for key in "ABC"}
    assert widths["B"] >= 2 * len("打造高辨识度产业集群")  # CJK counts double
    assert widths["A"] < widths["B"] <= widths["C"] == MAX_WIDTH
    assert sheet["C2"].alignment.wrap_text


def test_sheet_titles_are_legal_and_unique():
    assert sheet_title("a/b:c*d?[e]") == "a_b_c_d__e_"
    assert len(sheet_title("长" * 40)) == MAX_SHEET_TITLE
    taken = ["任务"]
    assert sheet_title("任务", taken) == "任务 (2)"
    book = _read(workbook_bytes([Sheet("任务", []), Sheet("任务", []), Sheet("x" * 40, [])]))
    assert book.sheetnames == ["任务", "任务 (2)", "x" * MAX_SHEET_TITLE]


def test_a_heat_column_is_filled_by_how_many_items_a_cell_holds():
    columns = [Column("cell", "cell", heat=True, lines=True)]
    rows = [{"cell": []}, {"cell": ["1. 甲"]}, {"cell": ["1. 甲", "2. 乙"]}]
    sheet = _read(workbook_bytes([Sheet("s", columns, rows)])).active
    fills = [sheet.cell(row=r, column=1).fill.fgColor.rgb for r in (2, 3, 4)]
    assert len(set(fills)) == 3
    assert sheet["A4"].value == "1. 甲\n2. 乙"


# -- the ledger ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def store(bundled_graph):
    return EmbeddedStore.from_graph(bundled_graph)


@pytest.fixture(scope="module")
def district_book(store):
    return _read(ledger(store, "松江区", by_agency=True).xlsx())


def _by_header(sheet) -> list[dict]:
    header, *rows = _values(sheet)
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_the_ledger_has_tasks_and_measures_sheets_with_chinese_headers(district_book):
    assert district_book.sheetnames[:2] == [TASKS_SHEET, MEASURES_SHEET]
    tasks = district_book[TASKS_SHEET]
    assert _values(tasks)[0] == [
        "编号", "行动", "任务", "牵头单位", "配合单位", "目标", "地点", "产业", "对应上级任务",
    ]  # fmt: skip
    for sheet in (tasks, district_book[MEASURES_SHEET]):
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}" + str(
            sheet.max_row
        )


def test_ledger_tasks_agree_with_the_plan_overview_and_task_detail(store, district_book):
    rows = _by_header(district_book[TASKS_SHEET])
    overview = store.run_view("plan_overview", {"plan": DISTRICT})
    tasks = [row for row in overview if row["kind"] == "task"]
    assert [row["编号"] for row in rows] == [task["number"] for task in tasks]
    assert [row["任务"] for row in rows] == [task["title"] for task in tasks]
    assert all(isinstance(row["编号"], int) for row in rows)
    for row, task in zip(rows, tasks, strict=True):
        (detail,) = store.run_view("task_detail", {"id": task["id"]})
        direct = [owner for owner in detail["owners"] if owner["via"] is None]
        lead = [owner["name"] for owner in direct if owner["role"] == "lead"]
        assert (row["牵头单位"] or "") == "、".join(lead)
        parents = [p for p in detail["parents"] if p["status"] != "rejected"]
        shown = (row["对应上级任务"] or "").splitlines()
        assert len(shown) == len(parents)
        for line, parent in zip(shown, sorted(parents, key=lambda p: p["number"]), strict=True):
            assert line.startswith(f"{parent['number']}. {parent['title']}")
            assert f"{parent['score']:.2f}" in line
        targets = (row["目标"] or "").splitlines()
        assert len(targets) == len(detail["indicators"])
        for line, target in zip(targets, detail["indicators"], strict=True):
            assert line.startswith(target["raw"])
        assert (row["地点"] or "") == "、".join(sorted(p["name"] for p in detail["places"]))


def test_ledger_measures_are_the_plans_measures(store, district_book):
    overview = store.run_view("plan_overview", {"plan": DISTRICT})
    measures = [row["title"] for row in overview if row["kind"] == "measure"]
    assert [row["保障措施"] for row in _by_header(district_book[MEASURES_SHEET])] == measures


def test_one_sheet_per_unit_lists_what_tasks_by_agency_lists(store, district_book):
    agency_sheets = district_book.sheetnames[2:]
    assert COVERAGE_SHEET not in district_book.sheetnames  # nothing loaded implements 松江区
    assert len(agency_sheets) >= 5
    for title in agency_sheets:
        rows = _by_header(district_book[title])
        listed = store.run_view("tasks_by_agency", {"agency": title, "include_collective": False})
        direct = [r for r in listed if r["plan"] == DISTRICT and r["via"] == "direct"]
        assert sorted((r["类别"], r["编号"]) for r in rows) == sorted(
            ("任务" if r["kind"] == "task" else "保障措施", r["number"]) for r in direct
        ), title
        assert {r["角色"] for r in rows} <= {"牵头", "配合", "支持"}
    sizes = [district_book[title].max_row for title in agency_sheets]
    assert sizes == sorted(sizes, reverse=True)  # the busiest units first


def test_the_city_ledger_has_a_coverage_sheet_per_child_plan():
    from ingest.build import build_graph

    store = EmbeddedStore.from_graph(build_graph([*sorted(PLANS_DIR.glob("*.txt")), JIADING]).graph)
    book = _read(ledger(store, "沪府办发〔2023〕8号").xlsx())
    assert book.sheetnames == [TASKS_SHEET, MEASURES_SHEET, COVERAGE_SHEET]
    header, *rows = _values(book[COVERAGE_SHEET])
    assert header[:3] == ["编号", "行动", "任务"] and header[-1] == "落实的下级计划数"
    assert set(header[3:-1]) == {"松江区", "嘉定区"}
    coverage_rows = store.run_view("coverage", {"plan": CITY})
    for row in rows:
        for label, cell in zip(header[3:-1], row[3:-1], strict=True):
            (view_row,) = [
                r for r in coverage_rows if r["number"] == row[0] and r["child_region"] == label
            ]
            expected = [f"{t['number']}. {t['title']}" for t in view_row["child_tasks"]]
            assert (cell or "").splitlines() == expected
        assert row[-1] == sum(1 for cell in row[3:-1] if cell)


def test_an_unknown_plan_is_refused_with_suggestions(store):
    with pytest.raises(NameNotFound) as refused:
        ledger(store, "松江")
    assert "松江区" in refused.value.suggestions


def test_a_plan_the_graph_only_cites_is_refused_not_answered_empty():
    from ingest.build import build_graph
    from queries.coverage import coverage_answer
    from tests.conftest import DISTRICT_PLAN

    store = EmbeddedStore.from_graph(build_graph([DISTRICT_PLAN]).graph)
    for make in (ledger, coverage_answer):
        with pytest.raises(NameNotFound, match="not loaded itself"):
            make(store, "沪府办发〔2023〕8号")
    assert ledger(store, "松江区").sheets[0].rows  # the loaded plan still has its ledger
