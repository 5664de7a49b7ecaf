"""View rows as flat text: the one rendering the CLI's tables and CSV and the API's CSV share."""

from __future__ import annotations

import csv
import io
import json
from typing import Any


def columns_of(rows: list[dict[str, Any]]) -> list[str]:
    """Every key of the rows, in first-seen order (rows of one view share their keys)."""
    return list(dict.fromkeys(key for row in rows for key in row))


def cell_text(value: Any) -> str:
    """One value as text: lists of scalars 、-joined, nested values as JSON, Chinese as-is."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        if all(not isinstance(item, dict | list | tuple) for item in value):
            return "、".join(cell_text(item) for item in value)
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def brief_text(value: Any) -> str:
    """A cell for a terminal table: as cell_text, but a map shows only its name, title or
    number (a task's owners as 区经委、区科委, not JSON); files keep the full cell_text."""
    if isinstance(value, dict):
        for key in ("name", "title", "number", "id"):
            if value.get(key) is not None:
                return cell_text(value[key])
    if isinstance(value, list | tuple) and any(isinstance(item, dict) for item in value):
        return "、".join(brief_text(item) for item in value)
    return cell_text(value)


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """A cell for a CSV an analyst opens in a spreadsheet: text that would start a formula gets
    a leading apostrophe (shown as typed, never run); numbers stay numbers."""
    text = cell_text(value)
    if not isinstance(value, int | float) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def rows_to_csv(rows: list[dict[str, Any]], columns: list[str] | None = None) -> str:
    """CSV with a header row, UTF-8 text (never \\uXXXX escapes), newline-terminated."""
    fieldnames = columns if columns is not None else columns_of(rows)
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=fieldnames, extrasaction="ignore", lineterminator="\n"
    )
    writer.writeheader()
    for row in rows:
        writer.writerow({key: csv_cell(row.get(key)) for key in fieldnames})
    return buffer.getvalue()


# Excel reads a CSV as the desktop's ANSI code page (GBK on a Chinese Windows) unless the file
# starts with a UTF-8 byte-order mark; other readers skip it. Files get one; stdout does not,
# since a pipe's reader (grep, csvkit, pandas) would see it as part of the first header.
UTF8_BOM = "\ufeff"


def csv_file_bytes(rows: list[dict[str, Any]], columns: list[str] | None = None) -> bytes:
    """The CSV of `rows` as the bytes of a file an analyst opens in Excel: BOM, UTF-8."""
    return (UTF8_BOM + rows_to_csv(rows, columns)).encode("utf-8")


# A terminal table column narrower than this folds its header into fragments.
MIN_COLUMN_WIDTH = 8
# Borders and padding rich adds per column (and one for the table's left edge).
COLUMN_CHROME = 3


def fit_columns(rows: list[dict[str, Any]], candidates: list[str], width: int) -> list[str]:
    """The leading candidates a terminal table of `width` characters can show without
    breaking headers: each needs its header's width (at least MIN_COLUMN_WIDTH, at most its
    widest cell); the first is always shown."""
    from queries.workbook import display_width

    present = set(columns_of(rows)) if rows else set(candidates)
    chosen: list[str] = []
    used = 1
    for column in (c for c in candidates if c in present):
        widest = max((display_width(brief_text(row.get(column))) for row in rows), default=0)
        need = max(display_width(column), min(widest, MIN_COLUMN_WIDTH)) + COLUMN_CHROME
        if chosen and used + need > width:
            break
        chosen.append(column)
        used += need
    return chosen


def column_widths(rows: list[dict[str, Any]], columns: list[str], width: int) -> dict[str, int]:
    """Widths for a terminal table of `width` characters: each column gets what fit_columns
    reserved for it (its header whole), and the room left goes to the columns whose cells are
    wider than that, in proportion to how much wider. Given to rich as fixed widths, because
    rich measures a run of Chinese without spaces as one unbreakable word and would overflow."""
    from queries.workbook import display_width

    widest = {
        c: max((display_width(brief_text(row.get(c))) for row in rows), default=0) for c in columns
    }
    widths = {c: max(display_width(c), min(widest[c], MIN_COLUMN_WIDTH)) for c in columns}
    spare = width - 1 - COLUMN_CHROME * len(columns) - sum(widths.values())
    wants = {c: widest[c] - widths[c] for c in columns if widest[c] > widths[c]}
    total = sum(wants.values())
    if spare > 0 and total:
        for column, want in wants.items():
            widths[column] += min(want, spare * want // total)
    return widths
