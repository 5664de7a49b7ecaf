"""Excel workbooks (.xlsx) of rows: the one writer behind `--format xlsx`, the ledger and the
coverage sheet, for the CLI and the API alike.

Every sheet has a bold, frozen header row, an auto-filter over its rows and column widths read
from its content (a CJK character counts as two). Numbers stay numbers, so task numbers sort
as 1, 2, 10 in Excel. Text is always stored as text: a cell that starts like a formula
(= + - @, a tab or a carriage return) is written as a string with Excel's quote prefix, so it
shows as typed and never runs, not even after the cell is edited.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from queries.tabular import FORMULA_STARTS, cell_text, columns_of

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Excel's limits: a cell holds 32,767 characters, a sheet name 31 and none of []:*?/\ .
MAX_CELL_CHARS = 32_767
MAX_SHEET_TITLE = 31
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# XML 1.0 cannot carry these control characters; openpyxl refuses them.
_ILLEGAL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
TRUNCATED_MARK = "…（截断：全文见 JSON 输出）"

MIN_WIDTH = 6.0
MAX_WIDTH = 60.0

# Fills of a count column (the coverage sheet): none, one, several.
HEAT_FILLS = ("F8D7DA", "D4EDDA", "7BC47F")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    # Excel's width in characters of '0'; None: from the header and the cells.
    width: float | None = None
    # Fill the cell by how many items it holds (a list) or its number: HEAT_FILLS.
    heat: bool = False
    # A list value one item per line (else 、-joined).
    lines: bool = False


@dataclass
class Sheet:
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]] = field(default_factory=list)


def display_width(text: str) -> int:
    """Columns a line takes on screen: wide (CJK) characters two, others one."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def sheet_title(name: str, taken: Sequence[str] = ()) -> str:
    """A sheet name Excel accepts, unique among `taken` (compared without case)."""
    base = _SHEET_TITLE_FORBIDDEN.sub("_", name).strip("'").strip() or "Sheet"
    base = base[:MAX_SHEET_TITLE]
    used = {title.lower() for title in taken}
    candidate, n = base, 1
    while candidate.lower() in used:
        n += 1
        suffix = f" ({n})"
        candidate = base[: MAX_SHEET_TITLE - len(suffix)] + suffix
    return candidate


def xlsx_value(value: Any) -> Any:
    """A cell value: None, numbers and booleans as they are; everything else as its text
    (lists 、-joined, nested values as JSON), cut to Excel's limit with a visible mark."""
    if value is None or isinstance(value, bool | int | float):
        return value
    text = _ILLEGAL_CHARACTERS.sub("", cell_text(value))
    if not text:
        return None  # an empty list is an empty cell, not an empty string
    if len(text) > MAX_CELL_CHARS:
        text = text[: MAX_CELL_CHARS - len(TRUNCATED_MARK)] + TRUNCATED_MARK
    return text


def _count(value: Any) -> int:
    if isinstance(value, list | tuple):
        return len(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value)
    return 0


def _width(column: Column, cells: list[Any]) -> float:
    if column.width is not None:
        return column.width
    # The header also holds the filter's drop-down button: two more characters.
    widest = display_width(column.header) + 2
    for value in cells:
        if value is None:
            continue
        for line in str(value).splitlines() or [""]:
            widest = max(widest, display_width(line))
    return max(MIN_WIDTH, min(MAX_WIDTH, widest + 2))


def _write_sheet(worksheet: Any, sheet: Sheet) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    heat_fills = [PatternFill("solid", fgColor=colour) for colour in HEAT_FILLS]
    for index, column in enumerate(sheet.columns, start=1):
        cell = worksheet.cell(row=1, column=index, value=column.header)
        cell.data_type = "s"
        cell.font = bold
        cell.fill = header_fill
    columns_cells: list[list[Any]] = [[] for _ in sheet.columns]
    for row_index, row in enumerate(sheet.rows, start=2):
        for index, column in enumerate(sheet.columns, start=1):
            raw = row.get(column.key)
            value = xlsx_value(_as_lines(raw) if column.lines else raw)
            cell = worksheet.cell(row=row_index, column=index)
            _put(cell, value)
            long = isinstance(value, str) and ("\n" in value or display_width(value) > MAX_WIDTH)
            cell.alignment = wrap if long else top
            if column.heat:
                cell.fill = heat_fills[min(_count(raw), len(heat_fills) - 1)]
            columns_cells[index - 1].append(value)
    for index, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(index)
        worksheet.column_dimensions[letter].width = _width(column, columns_cells[index - 1])
    worksheet.freeze_panes = "A2"
    if sheet.columns:
        last = get_column_letter(len(sheet.columns))
        worksheet.auto_filter.ref = f"A1:{last}{len(sheet.rows) + 1}"


def _as_lines(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return "\n".join(cell_text(item) for item in value)
    return value


def _put(cell: Any, value: Any) -> None:
    if isinstance(value, str):
        cell.value = value
        # openpyxl would store "=…" as a formula: force text, and mark formula-like text
        # with the quote prefix so Excel keeps it text when the cell is edited.
        cell.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    else:
        cell.value = value


def workbook_bytes(sheets: Sequence[Sheet], title: str | None = None) -> bytes:
    """The .xlsx file of these sheets, in order (at least one sheet, even if empty);
    `title` becomes the document's title property."""
    from openpyxl import Workbook

    workbook = Workbook()
    if title:
        workbook.properties.title = title
    default = workbook.active
    taken: list[str] = []
    for sheet in sheets or [Sheet("Sheet", [])]:
        title = sheet_title(sheet.title, taken)
        taken.append(title)
        worksheet = workbook.create_sheet(title=title)
        _write_sheet(worksheet, sheet)
    if default is not None:
        workbook.remove(default)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rows_workbook(
    rows: list[dict[str, Any]],
    title: str = "rows",
    columns: list[str] | None = None,
    header: Callable[[str], str] = str,
) -> bytes:
    """One sheet of view rows: every column (or `columns`), headed by its key."""
    keys = columns if columns is not None else columns_of(rows)
    return workbook_bytes([Sheet(title, [Column(key, header(key)) for key in keys], rows)])
