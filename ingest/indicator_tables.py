"""Target tables that lost their grid → `Indicator`s.

Five-year plans list their main targets in a table (专栏1 “十四五”时期主要指标: 序号 | 指标 |
2020年 | 2025年 | 属性). A copy taken from a web page or a PDF keeps the cells but not the
grid: one cell per line, the header first, then each row's cells in order. Read as prose, the
cells run together into nonsense (`属性1生产安全事故死亡人数下降15%约束性2…`), so such a run of
lines is recognised and read row by row instead.

Recognised (the genre's table, not any one document's):

* A header: two or more short cells, one of them the metric column (指标, 指标名称, 主要指标)
  and at least one a target column (目标值, 预期值, 规划值, a year such as 2025年 or 2025年目标);
  the others are known column names (序号, 类别, 领域, 单位, 属性, 基期值, 现状值, 2020年, …). A
  unit may follow a name in brackets (2025年（%）).
* Rows: with a 序号 column, a row starts at the next serial number (1, 2, 3, …) and a row may
  carry a category cell before it (a merged 类别 cell appears only in its first row); without
  one, rows are read as groups of the header's width.
* The table ends at the first line that cannot be a cell (a sentence, a heading, 注：…).

The target is the last target column (2025年 after 2020年; a base-year column is never the
target); its year is the column's year, else the plan's end year. The cell's wording gives the
comparator (下降15% decrease, <1% `<`, ≥90% `>=`, 100以上 `>=`, 5左右 `~`, 2-3 `between`), its
unit the cell's tail, else the 单位 column, else the metric's bracket (比重（%）).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.model import Indicator
from schema.normalize import matching_shadow

_MAX_CELL = 40  # longer lines are sentences, not cells
_MIN_ROWS = 2
_BRACKET = re.compile(r"[(（\[［]([^()（）\[\]［］]{0,12})[)）\]］]")
_YEAR = re.compile(r"(20\d\d)年?")
_METRIC_HEADS = re.compile(r"^(?:主要)?指标(?:名称)?$")
_TARGET_HEADS = re.compile(
    r"^(?:(20\d\d)年(?:目标值?|预期值?|规划值?|末|底)?|目标值?|预期值?|规划值?)$"
)
_BASE_HEADS = re.compile(r"^(?:(20\d\d)年)?(?:基期值?|现状值?|基准值?|基数)$")
_OTHER_HEADS = re.compile(
    r"^(?:序号|编号|类别|领域|分类|类型|维度|单位|计量单位|属性|指标属性|指标性质|性质|"
    r"年均增长|年均增速|累计|备注|牵头单位|责任单位)$"
)
_SERIAL_HEAD = re.compile(r"^(?:序号|编号)$")
_UNIT_HEAD = re.compile(r"^(?:计量)?单位$")
_SERIAL = re.compile(r"^\d{1,3}$")
_VALUE = re.compile(
    r"^(?P<pre>[^\d.]*?)(?P<low>\d+(?:\.\d+)?)(?:\s*[-~～—至到]\s*(?P<high>\d+(?:\.\d+)?))?"
    r"(?P<tail>.*)$"
)
_SYMBOLS = {"<": "<", "＜": "<", "≤": "<=", "<=": "<=", ">": ">", "＞": ">", "≥": ">=", ">=": ">="}
_WORDS = (
    (re.compile(r"(?:下降|降低|减少|压减|削减)"), "decrease"),
    (re.compile(r"(?:提高|提升|增加|增长|上升)"), "increase"),
    (re.compile(r"(?:不超过|不高于|低于|控制在)"), "<="),
    (re.compile(r"(?:不少于|不低于|至少)"), ">="),
    (re.compile(r"(?:超过|高于|大于|突破)"), ">"),
    (re.compile(r"约"), "~"),
)
_TAILS = (("以上", ">="), ("以下", "<="), ("以内", "<="), ("左右", "~"))
_MULTIPLIERS = {"万亿": 1e12, "亿": 1e8, "万": 1e4, "千": 1e3}


@dataclass(frozen=True)
class _Column:
    kind: str  # "serial", "metric", "target", "base", "unit", "other"
    year: int | None
    unit: str | None


@dataclass
class FlatTable:
    """One flattened target table: where it sits in the text, its header and its rows."""

    start: int
    end: int
    header: list[str]
    rows: list[list[str]]  # each row's cells as written; "" for a merged cell left out


def _lines(text: str) -> list[tuple[int, int]]:
    """Spans of the non-blank lines of `text`, stripped."""
    spans = []
    for match in re.finditer(r"[^\n]+", text):
        line = match.group()
        if line.strip():
            lead = len(line) - len(line.lstrip())
            spans.append((match.start() + lead, match.start() + len(line.rstrip())))
    return spans


def _key(cell: str) -> str:
    return re.sub(r"\s+", "", matching_shadow(cell))


def _column(cell: str) -> _Column | None:
    """The column a header cell names, or None if it names none."""
    key = _key(cell)
    unit_match = _BRACKET.search(key)
    unit = unit_match.group(1) or None if unit_match else None
    name = _BRACKET.sub("", key)
    if _METRIC_HEADS.match(name):
        return _Column("metric", None, unit)
    if _SERIAL_HEAD.match(name):
        return _Column("serial", None, None)
    if _UNIT_HEAD.match(name):
        return _Column("unit", None, None)
    base = _BASE_HEADS.match(name)
    if base:
        return _Column("base", int(base.group(1)) if base.group(1) else None, unit)
    target = _TARGET_HEADS.match(name)
    if target:
        return _Column("target", int(target.group(1)) if target.group(1) else None, unit)
    if _OTHER_HEADS.match(name):
        return _Column("other", None, None)
    return None


def _header(cells: list[str], at: int) -> list[_Column] | None:
    """The columns of a header starting at cell `at`, or None if none starts there."""
    columns: list[_Column] = []
    for k in range(at, len(cells)):  # by index: this runs at every line, so nothing is copied
        column = _column(cells[k])
        if column is None:
            break
        columns.append(column)
    kinds = [c.kind for c in columns]
    if len(columns) < 2 or kinds.count("metric") != 1 or "target" not in kinds:
        return None
    targets = [c for c in columns if c.kind == "target"]
    # Two year columns and no base column: the earlier year is the base (2020年 | 2025年).
    if len(targets) > 1 and all(c.year for c in targets):
        last = max(targets, key=lambda c: c.year or 0)
        columns = [
            c if c.kind != "target" or c is last else _Column("base", c.year, c.unit)
            for c in columns
        ]
    return columns


def _rows(cells: list[str], at: int, columns: list[_Column]) -> tuple[list[list[int]], int]:
    """The rows that follow a header (cell indexes), and the index just past the last row."""
    width = len(columns)
    kinds = [c.kind for c in columns]
    rows: list[list[int]] = []
    i = at
    if "serial" in kinds:
        before = kinds.index("serial")
        after = width - before - 1
        while True:
            # A full row has `before` cells ahead of its serial number; a category's later rows
            # lack the merged cells, so the number may come sooner.
            expected = str(len(rows) + 1)
            lead = next(
                (
                    k
                    for k in range(before, -1, -1)
                    if i + k < len(cells) and _key(cells[i + k]) == expected
                ),
                None,
            )
            if lead is None or i + lead + after >= len(cells):
                break
            row = [-1] * (before - lead) + list(range(i, i + lead + after + 1))
            if not _plausible_row(cells, row, kinds):
                break
            rows.append(row)
            i += lead + after + 1
    else:
        while i + width <= len(cells):
            row = list(range(i, i + width))
            if not _plausible_row(cells, row, kinds):
                break
            rows.append(row)
            i += width
    return rows, i


def _plausible_row(cells: list[str], row: list[int], kinds: list[str]) -> bool:
    """Every cell fits its column: a metric in words, a target holding a number or a direction."""
    for index, kind in zip(row, kinds, strict=True):
        if index < 0:
            continue
        cell = _key(cells[index])
        if _column(cells[index]) is not None and kind != "other":
            return False  # a second header
        if kind == "metric" and (not re.search(r"[\u4e00-\u9fff]", cell) or _SERIAL.match(cell)):
            return False
        if kind == "target" and not (re.search(r"\d", cell) or _direction(cell)):
            return False
    return True


def _direction(cell: str) -> str | None:
    for pattern, comparator in _WORDS:
        if pattern.search(cell) and comparator in ("decrease", "increase"):
            return comparator
    return None


def find_tables(text: str) -> list[FlatTable]:
    """Every flattened target table in `text`, in order."""
    spans = _lines(text)
    cells = [text[a:b] for a, b in spans]
    tables: list[FlatTable] = []
    i = 0
    while i < len(cells):
        if len(cells[i]) > _MAX_CELL:
            i += 1
            continue
        columns = _header(cells, i)
        if columns is None:
            i += 1
            continue
        rows, end = _rows(cells, i + len(columns), columns)
        if len(rows) < _MIN_ROWS:
            i += 1
            continue
        tables.append(
            FlatTable(
                start=spans[i][0],
                end=spans[end - 1][1],
                header=[cell.strip() for cell in cells[i : i + len(columns)]],
                rows=[[cells[k].strip() if k >= 0 else "" for k in row] for row in rows],
            )
        )
        i = end
    return tables


_CUMULATIVE = re.compile(r"^[\[［](.+)[\]］]$")


def _value(cell: str) -> tuple[str, float, float | None, str | None] | None:
    """(comparator, value, value_max, unit) of a target cell, or None without a number."""
    key = _CUMULATIVE.sub(r"\1", _key(cell))
    match = _VALUE.match(key)
    if not match:
        return None
    pre, tail = match.group("pre"), match.group("tail")
    low = float(match.group("low"))
    high = float(match.group("high")) if match.group("high") else None
    comparator = "="
    symbol = pre.strip()[-2:] if pre.strip()[-2:] in _SYMBOLS else pre.strip()[-1:]
    if symbol in _SYMBOLS:
        comparator = _SYMBOLS[symbol]
    else:
        for pattern, found in _WORDS:
            if pattern.search(pre):
                comparator = found
                break
    for word, found in _TAILS:
        if tail.endswith(word):
            tail = tail[: -len(word)]
            if comparator == "=":
                comparator = found
    for word, times in _MULTIPLIERS.items():
        if tail.startswith(word):
            low *= times
            high = high * times if high is not None else None
            tail = tail[len(word) :]
            break
    if high is not None and comparator in ("=", "~"):
        comparator = "between"
    return comparator, low, high, tail.strip() or None


def table_indicators(
    header: list[str], rows: list[list[str]], plan_end_year: int | None
) -> list[Indicator]:
    """The targets of one table (`FlatTable`'s header and rows): one per row, from its last
    target column; a row whose target cell holds neither a number nor a direction gives none."""
    columns = _header(header, 0)
    if columns is None or len(columns) != len(header):
        return []
    kinds = [c.kind for c in columns]
    metric_at = kinds.index("metric")
    target_at = max(i for i, k in enumerate(kinds) if k == "target")
    unit_at = kinds.index("unit") if "unit" in kinds else None
    target = columns[target_at]
    out = []
    for row in rows:
        if len(row) != len(columns):
            continue
        metric_cell, target_cell = row[metric_at], row[target_at]
        metric_unit = _BRACKET.search(_key(metric_cell))
        metric = re.sub(r"\s+", "", _BRACKET.sub("", metric_cell) if metric_unit else metric_cell)
        read = _value(target_cell)
        if read is None:
            direction = _direction(_key(target_cell))
            if direction is None:
                continue
            comparator, value, value_max, unit = direction, None, None, None
        else:
            comparator, value, value_max, unit = read
        unit = (
            unit
            or (row[unit_at] or None if unit_at is not None else None)
            or target.unit
            or (metric_unit.group(1) if metric_unit else None)
        )
        out.append(
            Indicator(
                metric=metric.replace("年均", ""),
                comparator=comparator,
                value=value,
                value_max=value_max,
                unit=unit,
                period=(
                    "cumulative"
                    if _CUMULATIVE.match(_key(target_cell))
                    else "annual-average"
                    if "年均" in metric
                    else "by-end"
                ),
                hedged=False,
                raw=" | ".join(
                    cell for cell, kind in zip(row, kinds, strict=True) if cell and kind != "serial"
                ),
                year=target.year or plan_end_year,
            )
        )
    return out
