"""Numbering markers (一、 （一） 1. （1） ① 第一条 ——) found in the shadow, and the footer."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ingest.parsing.stream import Stream

# A footer marker sits within one line: `\s` would cross a line break and let a heading line
# followed by a stray date line read as the printing office and date.
_SP = r"[^\S\n\r]*"
_FOOTER_RE = re.compile(
    rf"抄{_SP}送{_SP}:|此页无正文|[\u4e00-\u9fff]{{2,30}}{_SP}\d{{4}}{_SP}年{_SP}\d{{1,2}}{_SP}月"
    rf"{_SP}\d{{1,2}}{_SP}日{_SP}印{_SP}发"
)


_SECTION_WORDS = (
    "主要目标|发展目标|总体目标|工作目标|重点任务|主要任务|工作任务|重点工作|主要工作|主要举措|"
    "重点举措|保障措施|保障机制|组织保障|实施保障|组织实施|总体要求|总体思路|指导思想|基本原则|"
    "发展现状|发展基础|重点发展产品|重点领域|重点方向"
)
SECTION_WORD_RE = re.compile(rf"\s*({_SECTION_WORDS})")

# Numbering styles come from data/outline.toml (layout knowledge as data).
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUMERAL = "[一二三四五六七八九十]{1,3}"
DASH_RE = re.compile(r"[—–―─]{2}")


@dataclass(frozen=True)
class Style:
    name: str
    rank: int
    pattern: re.Pattern[str]
    numeral: str  # "chinese" | "arabic" | "circled"
    not_after: str
    loose: re.Pattern[str] | None  # a looser form, taken only where its number is due next


@cache
def layout() -> dict[str, Any]:
    """The outline data file, parsed once."""
    with (Path(__file__).parent / "data" / "outline.toml").open("rb") as handle:
        return tomllib.load(handle)


@cache
def styles() -> dict[str, Style]:
    return {
        entry["name"]: Style(
            name=entry["name"],
            rank=int(entry["rank"]),
            pattern=re.compile(entry["pattern"].replace("{cn}", _CN_NUMERAL)),
            numeral=entry["numeral"],
            not_after=entry.get("not_after", ""),
            loose=re.compile(entry["loose_pattern"]) if "loose_pattern" in entry else None,
        )
        for entry in layout()["style"]
    }


@cache
def box_pattern() -> re.Pattern[str]:
    return re.compile(layout()["box"]["pattern"])


SECTION_RE = re.compile(rf"({_CN_NUMERAL})\s*[、.](?=\s*[\u4e00-\u9fff*])")
NUM_RE = re.compile(r"(?<![\d.A-Za-z%])(\d{1,9})\s*[.、](?!\s*\d)")  # tasks run past 99

# ---------------------------------------------------------------------------------------
# Markers


@dataclass
class Marker:
    kind: str  # a numbering style's name (data/outline.toml), "dash" or "box"
    value: int
    start: int  # where the marker begins
    end: int  # where its content begins
    boundary: str
    loose: bool = False  # read by a style's looser pattern: only a continuation may use it


def cn_value(numeral: str) -> int:
    if numeral == "十":
        return 10
    if numeral.startswith("十"):
        return 10 + _CN_DIGITS.get(numeral[1:], 0)
    if "十" in numeral:
        tens, _, units = numeral.partition("十")
        return _CN_DIGITS.get(tens, 0) * 10 + (_CN_DIGITS.get(units, 0) if units else 0)
    return _CN_DIGITS.get(numeral, 0) if len(numeral) == 1 else 0


def _value(style: Style, number: str) -> int:
    if style.numeral == "chinese":
        return cn_value(number)
    if style.numeral == "circled":
        return ord(number) - 0x2460 + 1
    return int(number)


def find_markers(stream: Stream, kind: str, start: int, end: int) -> list[Marker]:
    """Markers of one numbering style (or "dash") in [start, end), with their boundary; none
    inside a table's cells."""
    found = _find_markers(stream, kind, start, end)
    if not stream.tables:
        return found
    return [m for m in found if not any(a <= m.start < b for a, b in stream.tables)]


def _find_markers(stream: Stream, kind: str, start: int, end: int) -> list[Marker]:
    if kind == "dash":
        return [
            Marker("dash", 0, m.start(), m.end(), stream.boundary(m.start()))
            for m in DASH_RE.finditer(stream.shadow, start, end)
        ]
    style = styles()[kind]
    found = []
    for match in style.pattern.finditer(stream.shadow, start, end):
        value = _value(style, match.group(1))
        if value <= 0:
            continue
        before = stream.shadow[match.start() - 1] if match.start() > 0 else ""
        if before and before in style.not_after:
            continue
        found.append(
            Marker(kind, value, match.start(), match.end(), stream.boundary(match.start()))
        )
    if style.loose is not None:
        for match in style.loose.finditer(stream.shadow, start, end):
            if stream.boundary(match.start()) == "line":
                value = _value(style, match.group(1))
                found.append(Marker(kind, value, match.start(), match.end(), "line", loose=True))
        found.sort(key=lambda m: m.start)
    return found


def find_outline_markers(stream: Stream, start: int, end: int) -> list[Marker]:
    """Every numbering marker of every style, and box captions, in document order."""
    found = [m for name in styles() for m in find_markers(stream, name, start, end)]
    for match in box_pattern().finditer(stream.shadow, start, end):
        if stream.boundary(match.start()) == "line":
            found.append(Marker("box", 0, match.start(), match.start(), "line"))
    # Two styles can claim one spot (第一条 is also a 一、-less numeral): keep the first found.
    found.sort(key=lambda m: (m.start, -m.end))
    kept: list[Marker] = []
    for marker in found:
        if kept and marker.start < kept[-1].end and marker.kind != "box":
            continue
        kept.append(marker)
    return kept


def first_footer(stream: Stream, start: int) -> int:
    for match in _FOOTER_RE.finditer(stream.shadow, start):
        if stream.boundary(match.start()) in ("line", "sentence"):
            return match.start()
    return len(stream.shadow)


_AFTER_FOOTER_ITEMS = 3  # numbered items 1, 2, 3 after the footer make it plan-like


def check_after_footer(stream: Stream, footer: int, warnings: list[str]) -> None:
    """Warn when plan-like text follows the footer (a second copy of the plan, an appendix
    after 抄送): it is not read, and dropping it silently would hide that."""
    if footer >= len(stream.shadow):
        return
    found: tuple[int, str] | None = None
    for match in SECTION_RE.finditer(stream.shadow, footer):
        if stream.boundary(match.start()) == "inline":
            continue
        word = SECTION_WORD_RE.match(stream.shadow, match.end())
        if word:
            found = (match.start(), f"a section {match.group(1)}、{word.group(1)}")
            break
    expected, first = 1, 0
    limit = len(stream.shadow) if found is None else found[0]
    for match in NUM_RE.finditer(stream.shadow, footer, limit):
        if int(match.group(1)) != expected or stream.boundary(match.start()) == "inline":
            continue
        first = match.start() if expected == 1 else first
        expected += 1
        if expected > _AFTER_FOOTER_ITEMS:
            found = (first, f"numbered items 1 to {_AFTER_FOOTER_ITEMS}")
            break
    if found is None:
        return
    at, what = found
    warnings.append(
        f"line {stream.line(at)}: text after the footer at line {stream.line(footer)} is not "
        f"read as part of this plan, though it holds {what} (a second plan or an appendix?)"
    )
