"""Tables that lost their grid: one cell per line, the header first, then each row in order.

A copy of a plan taken from a web page or a PDF keeps a table's cells but not its grid. Read as
prose, the cells run together into nonsense, so such runs of lines are found here and handed
over row by row. What makes a run a table is the same for every kind of table; what its
columns may be called, and what may stand in them, is each kind's own (`TableShape`): target
tables (`ingest/indicator_tables.py`) and task tables (`ingest/parsing/task_tables.py`).

* A header: two or more cells, each a column name the shape knows, that the shape accepts as a
  whole (a target table needs a metric column and a target column).
* Rows: with a serial column (序号), a row starts at the next serial number (1, 2, 3, …), and a
  row may lack the cells before its number (a merged 类别 cell appears only in the first row of
  its category); without one, rows are groups of the header's width.
* The table ends where a row does not fit: the next number is missing, or a cell is not what
  its column holds (a sentence, a heading, 注：…, a second header).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schema.normalize import matching_shadow

_MAX_HEADER_CELL = 16  # a longer line is no column name: skip it fast
_MIN_ROWS = 2  # one row is a list, not a table
SERIAL = "serial"
_SERIAL_HEAD = re.compile(r"^(?:序号|编号)$")
IDEOGRAPH = re.compile(r"[\u4e00-\u9fff]")
OTHER = "other"  # a column a shape knows by name but does not read (属性, 备注, 完成时限)


@dataclass(frozen=True)
class Column:
    """A header cell read: its kind (the shape's word, or SERIAL), a year and a unit if named."""

    kind: str
    year: int | None = None
    unit: str | None = None


@dataclass
class FlatTable:
    """One table found: where it sits in the text, its header and columns, and its rows."""

    start: int
    end: int
    header: list[str]
    columns: list[Column]
    rows: list[list[str]]  # each row's cells as written; "" for a merged cell left out
    row_spans: list[tuple[int, int]]  # where each row's cells start and end in the text


@dataclass(frozen=True)
class Lines:
    """A text's non-blank lines, each a candidate cell: where it sits, as written, and its
    matching key. Made once per text and shared by every kind of table looked for in it."""

    spans: list[tuple[int, int]]
    cells: list[str]
    keys: list[str]

    @classmethod
    def of(cls, text: str) -> Lines:
        spans = _lines(text)
        cells = [text[a:b] for a, b in spans]
        return cls(spans, cells, [cell_key(cell) for cell in cells])


def cell_key(cell: str) -> str:
    """A cell for matching: half width, simplified, no whitespace."""
    return re.sub(r"\s+", "", matching_shadow(cell))


class TableShape:
    """One kind of table: the column names it knows, the headers it accepts, what fits a
    column. Subclasses say those three; finding the tables is shared."""

    def column(self, key: str) -> Column | None:
        """The column a header cell (its `cell_key`) names in this kind of table, or None."""
        raise NotImplementedError

    def accept(self, columns: list[Column]) -> list[Column] | None:
        """The header's columns as this kind reads them, or None when it is not this kind's."""
        raise NotImplementedError

    def fits(self, key: str, column: Column) -> bool:
        """Whether a row's cell (its `cell_key`) can stand in `column`."""
        raise NotImplementedError

    # -- shared -----------------------------------------------------------------------------

    def named(self, key: str) -> Column | None:
        """The column a header cell names: the serial column (序号) in every kind of table,
        else this kind's own."""
        return Column(SERIAL) if _SERIAL_HEAD.match(key) else self.column(key)

    def find(self, text: str | Lines) -> list[FlatTable]:
        """Every table of this kind in `text` (or its `Lines`), in order."""
        lines = text if isinstance(text, Lines) else Lines.of(text)
        spans, cells, keys = lines.spans, lines.cells, lines.keys
        tables: list[FlatTable] = []
        i = 0
        while i < len(cells):
            columns = self._header(keys, i)
            if columns is None:
                i += 1
                continue
            rows, end = self._rows(keys, i + len(columns), columns)
            if len(rows) < _MIN_ROWS:
                i += 1
                continue
            tables.append(
                FlatTable(
                    start=spans[i][0],
                    end=spans[end - 1][1],
                    header=cells[i : i + len(columns)],
                    columns=columns,
                    rows=[[cells[k] if k >= 0 else "" for k in row] for row in rows],
                    row_spans=[
                        (spans[min(k for k in row if k >= 0)][0], spans[row[-1]][1]) for row in rows
                    ],
                )
            )
            i = end
        return tables

    def _header(self, keys: list[str], at: int) -> list[Column] | None:
        columns: list[Column] = []
        for k in range(at, len(keys)):  # by index: this runs at every line, so nothing is copied
            column = self.named(keys[k]) if len(keys[k]) <= _MAX_HEADER_CELL else None
            if column is None:
                break
            columns.append(column)
        return self.accept(columns) if len(columns) >= 2 else None

    def _rows(self, keys: list[str], at: int, columns: list[Column]) -> tuple[list[list[int]], int]:
        """The rows after a header (cell indexes, -1 for a merged cell left out) and the index
        just past the last one."""
        width = len(columns)
        kinds = [c.kind for c in columns]
        rows: list[list[int]] = []
        i = at
        if SERIAL in kinds:
            before = kinds.index(SERIAL)
            after = width - before - 1
            while True:
                # A full row has `before` cells ahead of its number; a category's later rows
                # lack the merged cells, so the number may come sooner.
                expected = str(len(rows) + 1)
                lead = next(
                    (
                        k
                        for k in range(before, -1, -1)
                        if i + k < len(keys) and keys[i + k] == expected
                    ),
                    None,
                )
                if lead is None or i + lead + after >= len(keys):
                    break
                row = [-1] * (before - lead) + list(range(i, i + lead + after + 1))
                if not self._fits(keys, row, columns):
                    break
                rows.append(row)
                i += lead + after + 1
        else:
            while i + width <= len(keys):
                row = list(range(i, i + width))
                if not self._fits(keys, row, columns):
                    break
                rows.append(row)
                i += width
        return rows, i

    def _fits(self, keys: list[str], row: list[int], columns: list[Column]) -> bool:
        for index, column in zip(row, columns, strict=True):
            if index < 0 or column.kind == SERIAL:
                continue
            named = self.named(keys[index])
            if named is not None and named.kind != OTHER:
                return False  # a second header
            if not self.fits(keys[index], column):
                return False
        return True


def _lines(text: str) -> list[tuple[int, int]]:
    """Spans of the non-blank lines of `text`, stripped."""
    spans = []
    for match in re.finditer(r"[^\n]+", text):
        line = match.group()
        if line.strip():
            lead = len(line) - len(line.lstrip())
            spans.append((match.start() + lead, match.start() + len(line.rstrip())))
    return spans
