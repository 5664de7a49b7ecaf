"""Target tables that lost their grid → `Indicator`s.

Five-year plans list their main targets in a table (专栏1 “十四五”时期主要指标: 序号 | 指标 |
2020年 | 2025年 | 属性). Copied from a web page or a PDF it arrives one cell per line
(`ingest/flat_tables.py` finds such runs); this module says what a target table's columns
are called and reads its rows.

* A header has one metric column (指标, 指标名称, 主要指标) and at least one target column
  (目标值, 预期值, 规划值, a year such as 2025年 or 2025年目标); the others are known column
  names (序号, 类别, 领域, 单位, 属性, 基期值, 现状值, …). A unit may follow a name in brackets
  (2025年（%）).
* The target is the last target column (2025年 after 2020年; a base-year column is never the
  target); its year is the column's year, else the plan's end year. The cell's wording gives
  the comparator (下降15% decrease, <1% `<`, ≥90% `>=`, 100以上 `>=`, 5左右 `~`, 2-3 `between`),
  [14] a cumulative value, and its unit the cell's tail, else the 单位 column, else the
  metric's bracket (比重（%）).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ingest.flat_tables import (
    IDEOGRAPH,
    OTHER,
    SERIAL,
    Column,
    FlatTable,
    Lines,
    TableShape,
    cell_key,
)
from ingest.indicators import (
    MULTIPLIERS,
    PREFIX_COMPARATORS,
    SUFFIX_COMPARATORS,
    read_indicators,
)
from ingest.model import Indicator, TargetTable

_BRACKET = re.compile(r"[(（\[［]([^()（）\[\]［］]{0,12})[)）\]］]")
_METRIC_HEADS = re.compile(r"^(?:主要)?指标(?:名称)?$")
_TARGET_HEADS = re.compile(
    r"^(?:(20\d\d)年(?:目标值?|预期值?|规划值?|末|底)?|目标值?|预期值?|规划值?)$"
)
_BASE_HEADS = re.compile(r"^(?:(20\d\d)年)?(?:基期值?|现状值?|基准值?|基数)$")
_OTHER_HEADS = re.compile(
    r"^(?:序号|编号|类别|领域|分类|类型|维度|单位|计量单位|属性|指标属性|指标性质|性质|"
    r"年均增长|年均增速|累计|备注|牵头单位|责任单位)$"
)
_UNIT_HEAD = re.compile(r"^(?:计量)?单位$")
_SERIAL = re.compile(r"^\d{1,3}$")
METRIC, TARGET, BASE, UNIT = "metric", "target", "base", "unit"
_VALUE = re.compile(
    r"^(?P<pre>[^\d.]*?)(?P<low>\d+(?:\.\d+)?)(?:\s*[-~～—至到]\s*(?P<high>\d+(?:\.\d+)?))?"
    r"(?P<tail>.*)$"
)
_SYMBOLS = {"<": "<", "＜": "<", "≤": "<=", "<=": "<=", ">": ">", "＞": ">", "≥": ">=", ">=": ">="}
# A cell says 增长6% where prose would make 增长 part of the metric (年均增长6%).
_CELL_COMPARATORS = ((re.compile(r"增长$"), "increase"), *PREFIX_COMPARATORS)
# Longest first: 以内 before 内.
_CELL_TAILS = sorted(SUFFIX_COMPARATORS.items(), key=lambda pair: len(pair[0]), reverse=True)


_CUMULATIVE = re.compile(r"^[\[［](.+)[\]］]$")


class TargetTables(TableShape):
    """Target tables: a metric column and target columns."""

    def column(self, key: str) -> Column | None:
        bracket = _BRACKET.search(key)
        unit = (bracket.group(1) or None) if bracket else None
        name = _BRACKET.sub("", key)
        if _METRIC_HEADS.match(name):
            return Column(METRIC, None, unit)
        if _UNIT_HEAD.match(name):
            return Column(UNIT)
        for kind, pattern in ((BASE, _BASE_HEADS), (TARGET, _TARGET_HEADS)):
            match = pattern.match(name)
            if match:
                return Column(kind, int(match.group(1)) if match.group(1) else None, unit)
        return Column(OTHER) if _OTHER_HEADS.match(name) else None

    def accept(self, columns: list[Column]) -> list[Column] | None:
        kinds = [c.kind for c in columns]
        if kinds.count(METRIC) != 1 or TARGET not in kinds:
            return None
        targets = [c for c in columns if c.kind == TARGET]
        # Two year columns and no base column: the earlier year is the base (2020年 | 2025年).
        if len(targets) > 1 and all(c.year for c in targets):
            last = max(targets, key=lambda c: c.year or 0)
            columns = [
                c if c.kind != TARGET or c is last else Column(BASE, c.year, c.unit)
                for c in columns
            ]
        return columns

    def fits(self, key: str, column: Column) -> bool:
        if column.kind == METRIC:
            return bool(IDEOGRAPH.search(key)) and not _SERIAL.match(key)
        if column.kind == TARGET:
            return bool(re.search(r"\d", key)) or _direction(key) is not None
        return True


def find_target_tables(text: str | Lines) -> list[FlatTable]:
    """Every flattened target table in `text`, in order."""
    return TargetTables().find(text)


def _direction(cell: str) -> str | None:
    """increase or decrease for a cell that states only a direction (持续下降, 稳步提高)."""
    for pattern, comparator in _CELL_COMPARATORS:
        if comparator in ("decrease", "increase") and pattern.search(cell):
            return comparator
    return None


def _value(cell: str) -> tuple[str, float, float | None, str | None] | None:
    """(comparator, value, value_max, unit) of a target cell, or None without a number."""
    key = _CUMULATIVE.sub(r"\1", cell_key(cell))
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
        for pattern, found in _CELL_COMPARATORS:
            if pattern.search(pre):
                comparator = found
                break
    for word, found in _CELL_TAILS:
        if tail.endswith(word):
            tail = tail[: -len(word)]
            if comparator == "=":
                comparator = found
            break
    for word, times in MULTIPLIERS.items():
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
    """The targets of one table (a `FlatTable`'s header and rows): one per row, from its last
    target column; a row whose target cell holds neither a number nor a direction gives none."""
    shape = TargetTables()
    named = [shape.named(cell_key(cell)) for cell in header]
    columns = shape.accept([c for c in named if c is not None])
    if columns is None or len(columns) != len(header):
        return []
    kinds = [c.kind for c in columns]
    metric_at = kinds.index(METRIC)
    target_at = max(i for i, k in enumerate(kinds) if k == TARGET)
    unit_at = kinds.index(UNIT) if UNIT in kinds else None
    target = columns[target_at]
    out = []
    for row in rows:
        if len(row) != len(columns):
            continue
        metric_cell, target_cell = row[metric_at], row[target_at]
        metric_unit = _BRACKET.search(cell_key(metric_cell))
        metric = re.sub(r"\s+", "", _BRACKET.sub("", metric_cell) if metric_unit else metric_cell)
        read = _value(target_cell)
        if read is None:
            direction = _direction(cell_key(target_cell))
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
                    if _CUMULATIVE.match(cell_key(target_cell))
                    else "annual-average"
                    if "年均" in metric
                    else "by-end"
                ),
                hedged=False,
                raw=" | ".join(
                    cell.strip()
                    for cell, kind in zip(row, kinds, strict=True)
                    if cell and kind != SERIAL
                ),
                year=target.year or plan_end_year,
            )
        )
    return out


def read_targets(
    text: str, *, plan_end_year: int | None, tables: Sequence[TargetTable] = ()
) -> list[Indicator]:
    """Every target in `text`, in document order: a table of `tables` found in it row by row
    (`table_indicators`), the prose around it sentence by sentence (`read_indicators`)."""
    found: list[Indicator] = []
    for table in tables:
        before, inside, after = text.partition(table.text) if table.text else (text, "", "")
        if inside:
            found += read_indicators(before, plan_end_year=plan_end_year)
            found += table_indicators(table.header, table.rows, plan_end_year)
            text = after
    return found + read_indicators(text, plan_end_year=plan_end_year)
