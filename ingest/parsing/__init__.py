"""Parsing the action-plan genre (行动计划) into a `Plan`.

The parser works on a *stream*: the text's lines, cleaned of markdown and crawler noise and
joined with newlines, plus a *shadow* of the same length (half width, simplified script) in
which structure is searched. Structure is found as markers -- 一、 sections, （一） groups,
`1.` tasks, —— goal groups, 抄送 footers -- that must sit at a boundary (line start, after a
sentence end, or right after a heading) and must follow their sequence. Line breaks help
but are never required, so a plan whose line breaks were lost parses the same way.

Choices worth knowing (the JSON contract follows from them):

- Text fields drop line breaks and layout spaces (`到 2025 年` -> `到2025年`) but keep the
  document's wording, script and punctuation widths.
- A task's or measure's `text` leaves out its responsibility parenthetical (（责任单位：…）);
  `agencies` carries it, in document order, as written, first = lead.
- An item written as a heading line followed by a paragraph gets `title` = the heading and
  `text` = heading + 。 + paragraph, so `text` always starts with the title sentence.
- Tasks live only in a 重点任务/主要任务-style section; numbered items elsewhere (基本原则,
  重点发展产品) are not tasks. Numbers are kept as written.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ingest.errors import PlanError
from ingest.model import Action, Citation, Goal, Measure, Plan, SourceSpan, Task
from ingest.reading import read_text
from schema.normalize import (
    DOC_NUMBER_PATTERN,
    clean_pair,
    display_title,
    halfwidth,
    matching_shadow,
    normalise_doc_number,
    normalise_for_matching,
)

# ---------------------------------------------------------------------------------------
# Vocabulary of the genre (in the shadow: simplified, half width)

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUMERAL = "[一二三四五六七八九十]{1,3}"

_SECTION_RE = re.compile(rf"({_CN_NUMERAL})\s*[、.](?=\s*[\u4e00-\u9fff*])")
_PAREN_RE = re.compile(rf"\(\s*({_CN_NUMERAL})\s*\)")
_NUM_RE = re.compile(r"(?<![\d.A-Za-z%])(\d{1,9})\s*[.、](?!\s*\d)")  # tasks run past 99
_DASH_RE = re.compile(r"[—–―─]{2}")
# A footer marker sits within one line: `\s` would cross a line break and let a heading line
# followed by a stray date line read as the printing office and date.
_SP = r"[^\S\n\r]*"
_FOOTER_RE = re.compile(
    rf"抄{_SP}送{_SP}:|此页无正文|[\u4e00-\u9fff]{{2,30}}{_SP}\d{{4}}{_SP}年{_SP}\d{{1,2}}{_SP}月"
    rf"{_SP}\d{{1,2}}{_SP}日{_SP}印{_SP}发"
)

_STOPS = "。!?"
_STOP_RE = re.compile(f"[{_STOPS}]")
_ENDINGS = "。!?;)”」』】"
_BOUNDARY_BEFORE = "。;!?)”」』】"

_RESPONSIBILITY_LABELS = (
    "责任单位|责任部门|牵头单位|牵头部门|主责单位|主责部门|负责单位|负责部门|责任主体|实施单位|"
    "配合单位|配合部门|协同单位|参与单位"
)
_RESPONSIBILITY_RE = re.compile(
    rf"\(\s*(?:{_RESPONSIBILITY_LABELS})\s*:?\s*((?:[^()]|\([^()]*\))*)\)"
)
_UNCLOSED_RESPONSIBILITY_RE = re.compile(rf"\(\s*(?:{_RESPONSIBILITY_LABELS})\s*:?\s*([^)]*)$")
_SUB_LABEL_RE = re.compile(rf"^(?:{_RESPONSIBILITY_LABELS})\s*:?\s*")
# A bare trailing list such as （各有关单位） or （市科委、市教委）: every name ends like a body.
_AGENCY_SUFFIX_RE = re.compile(
    r"(单位|部门|政府|委员会|委|局|办|办公室|厅|中心|集团|公司|街道|街镇|镇|管委会|部|院|会|署|所|行|处|队)$"
)
_TRAILING_PAREN_RE = re.compile(r"\(([^()]{2,300})\)\s*$")

_SECTION_WORDS = (
    "主要目标|发展目标|总体目标|工作目标|重点任务|主要任务|工作任务|重点工作|主要工作|主要举措|"
    "重点举措|保障措施|保障机制|组织保障|实施保障|组织实施|总体要求|总体思路|指导思想|基本原则|"
    "发展现状|发展基础|重点发展产品|重点领域|重点方向"
)
_SECTION_WORD_RE = re.compile(rf"\s*({_SECTION_WORDS})")

_PLAN_TITLE_END = r"(计划|方案|意见|规划|纲要|措施|办法|细则|要点)"
_TITLE_LINE_RE = re.compile(rf"{_PLAN_TITLE_END}(\s*\(\s*\d{{4}}[^()]{{0,16}}\))?$")
_PERIOD_LINE_RE = re.compile(r"^\(\s*\d{4}\s*[-—–~至到]+\s*\d{4}\s*年?\s*\)$")
_PERIOD_RE = re.compile(r"(\d{4})\s*年?\s*[-—–~至到]+\s*(\d{4})")
_DATE_RE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日(?!\s*印)")
_ISSUER_LINE_RE = re.compile(
    r"^([\u4e00-\u9fff]{2,30}?(?:人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室|委员会|"
    r"管理委员会|局|委))(?:文件)?$"
)
_NOTICE_ISSUER_RE = re.compile(r"^\s*([\u4e00-\u9fff]{2,30}?)\s*关于\s*印\s*发")

# Noise lines: markdown rules, crawler metadata, page numbers, running headers.
_RULE_LINE_RE = re.compile(r"^[-*_=]{3,}$")
_META_LINE_RE = re.compile(r"^\*\*[^*]{1,16}\*\*\s*[:：]")
_LINK_LINE_RE = re.compile(r"^(?:[-*]\s*)?\[[^\]]*\]\([^)]*\)\s*$|^<?https?://\S+>?$")
_BRACKET_LABEL_RE = re.compile(r"^【[^】]{1,12}】$")
_PAGE_NUMBER_RE = re.compile(r"^(?:[-—–－]\s*\d{1,3}\s*[-—–－]|第\s*\d{1,3}\s*页.{0,8})$")
_RUNNING_HEADER_RE = re.compile(r"^[\u4e00-\u9fff]{2,24}文件$")
_INLINE_MARKUP_RE = re.compile(r"\*\*|`|#{1,6}\s*|-{3,}")
# In text whose line breaks were lost, crawler metadata runs on until the next markup.
_INLINE_META_RE = re.compile(r"\*\*[^*]{1,16}\*\*\s*:[^*#]*?(?=\*\*|-{3}|#|$)")
_META_LINE_MAX = 400

_HEADING_MAX = 40
_SOFT_BREAK = "\r"  # a page-break continuation: a line start for markers, not for headings
_SHORT_TITLE = 24  # a heading + first sentence shorter than this may be one wrapped sentence


# ---------------------------------------------------------------------------------------
# The prepared text


@dataclass
class _Stream:
    text: str  # cleaned lines joined by "\n"
    shadow: str
    # Where each kept line starts in `text`, and its 1-based source line (sorted by start; a
    # separator belongs to the line before it). Two entries per line, not one per character.
    line_starts: list[int]
    line_numbers: list[int]
    wrap_width: int | None  # the width PDF conversion wrapped paragraphs at, if it did
    running_headers: list[str]
    source: str | None

    def line(self, pos: int) -> int:
        if not self.line_starts:
            return 1
        at = bisect_right(self.line_starts, min(max(pos, 0), len(self.text) - 1)) - 1
        return self.line_numbers[max(at, 0)]

    def boundary(self, pos: int) -> str:
        """How the marker at `pos` is set off: 'line', 'sentence' or 'inline'."""
        i = pos - 1
        while i >= 0 and self.shadow[i].isspace() and self.shadow[i] not in "\n" + _SOFT_BREAK:
            i -= 1
        if i < 0 or self.shadow[i] in "\n" + _SOFT_BREAK:
            return "line"
        if self.shadow[i] in _BOUNDARY_BEFORE:
            return "sentence"
        return "inline"

    def error(self, message: str, pos: int | None) -> PlanError:
        return PlanError(message, path=self.source, line=None if pos is None else self.line(pos))


def _strip_noise(line: str) -> str | None:
    """The line without markdown; None if the whole line is noise."""
    s = line.strip().strip("\ufeff").strip()
    if not s:
        return None
    half = halfwidth(s)  # noise may come in either width
    if len(half) < _META_LINE_MAX and (
        _META_LINE_RE.match(half) or _LINK_LINE_RE.match(half) or _BRACKET_LABEL_RE.match(half)
    ):
        return None
    if _RULE_LINE_RE.match(half):
        return None
    # Cut the markup spans out by slicing: a flag and a one-character string per character
    # cost ~100 bytes per character, 1.6 GB on a 50 MB line (tests/test_hardening_input.py).
    spans = sorted(
        match.span()
        for pattern in (_INLINE_META_RE, _INLINE_MARKUP_RE)
        for match in pattern.finditer(half)
    )
    if spans:
        kept, pos = [], 0
        for start, end in spans:
            if start > pos:
                kept.append(s[pos:start])
            pos = max(pos, end)
        kept.append(s[pos:])
        s = "".join(kept)
    s = s.strip()
    s = s.lstrip(">＞").strip()
    if not s or _PAGE_NUMBER_RE.match(halfwidth(s)):
        return None
    return s


def _prepare(text: str, source: str | None) -> _Stream:
    pieces: list[str] = []
    line_starts: list[int] = []
    line_numbers: list[int] = []
    length = 0
    running_headers: list[str] = []
    lengths: list[int] = []
    raw_lines = text.splitlines()
    non_blank = [raw for raw in raw_lines if raw.strip()]
    indented = sum(1 for raw in non_blank if raw[:1].isspace())
    # A line that starts with a space continues the line before it across a page break --
    # unless the document indents every paragraph, when the space means nothing.
    page_break_marks = indented < 0.5 * len(non_blank)
    for number, raw in enumerate(raw_lines, start=1):
        s = _strip_noise(raw)
        if s is None:
            continue
        if _RUNNING_HEADER_RE.match(s):
            running_headers.append(s)
            continue
        if pieces:
            soft = page_break_marks and raw[:1].isspace()
            pieces.append(_SOFT_BREAK if soft else "\n")
            length += 1
        line_starts.append(length)
        line_numbers.append(number)
        pieces.append(s)
        length += len(s)
        lengths.append(len(s))
    joined = "".join(pieces)
    return _Stream(
        text=joined,
        shadow=matching_shadow(joined),
        line_starts=line_starts,
        line_numbers=line_numbers,
        wrap_width=_wrap_width(lengths),
        running_headers=running_headers,
        source=source,
    )


def _wrap_width(lengths: list[int]) -> int | None:
    """The common line length when paragraphs were hard-wrapped (PDF text), else None."""
    long_lines = [n for n in lengths if n >= 12]
    if len(long_lines) < 12:
        return None
    counts = Counter(long_lines)
    best, best_share = None, 0
    for width in counts:
        share = sum(counts.get(width + d, 0) for d in (-2, -1, 0, 1, 2))
        if share > best_share:
            best, best_share = width, share
    if best is None or best > 80 or best_share < 0.3 * len(long_lines):
        return None
    return best + 2


# ---------------------------------------------------------------------------------------
# Markers


@dataclass
class _Marker:
    kind: str  # "section" | "paren" | "num" | "dash"
    value: int
    start: int  # where the marker begins
    end: int  # where its content begins
    boundary: str


def _cn_value(numeral: str) -> int:
    if numeral == "十":
        return 10
    if numeral.startswith("十"):
        return 10 + _CN_DIGITS.get(numeral[1:], 0)
    if "十" in numeral:
        tens, _, units = numeral.partition("十")
        return _CN_DIGITS.get(tens, 0) * 10 + (_CN_DIGITS.get(units, 0) if units else 0)
    return _CN_DIGITS.get(numeral, 0) if len(numeral) == 1 else 0


def _find(stream: _Stream, kind: str, start: int, end: int) -> list[_Marker]:
    pattern = {"section": _SECTION_RE, "paren": _PAREN_RE, "num": _NUM_RE, "dash": _DASH_RE}[kind]
    found = []
    for match in pattern.finditer(stream.shadow, start, end):
        if kind in ("section", "paren"):
            value = _cn_value(match.group(1))
        elif kind == "num":
            value = int(match.group(1))
        else:
            value = 0
        if kind != "dash" and value <= 0:
            continue
        if kind == "section" and match.start() > 0:
            before = stream.shadow[match.start() - 1]
            if before in "一二三四五六七八九十第":
                continue
        found.append(
            _Marker(kind, value, match.start(), match.end(), stream.boundary(match.start()))
        )
    return found


def _first_footer(stream: _Stream, start: int) -> int:
    for match in _FOOTER_RE.finditer(stream.shadow, start):
        if stream.boundary(match.start()) in ("line", "sentence"):
            return match.start()
    return len(stream.shadow)


_AFTER_FOOTER_ITEMS = 3  # numbered items 1, 2, 3 after the footer make it plan-like


def _check_after_footer(stream: _Stream, footer: int, warnings: list[str]) -> None:
    """Warn when plan-like text follows the footer (a second copy of the plan, an appendix
    after 抄送): it is not read, and dropping it silently would hide that."""
    if footer >= len(stream.shadow):
        return
    found: tuple[int, str] | None = None
    for match in _SECTION_RE.finditer(stream.shadow, footer):
        if stream.boundary(match.start()) == "inline":
            continue
        word = _SECTION_WORD_RE.match(stream.shadow, match.end())
        if word:
            found = (match.start(), f"a section {match.group(1)}、{word.group(1)}")
            break
    expected, first = 1, 0
    limit = len(stream.shadow) if found is None else found[0]
    for match in _NUM_RE.finditer(stream.shadow, footer, limit):
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


# ---------------------------------------------------------------------------------------
# Title, cover and citations


@dataclass
class _Head:
    title: str
    title_start: int
    body_start: int


def _balanced_titles(shadow: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of every outermost 《…》 in shadow[start:end], content only."""
    spans, depth, open_at = [], 0, 0
    for i in range(start, end):
        ch = shadow[i]
        if ch == "《":
            if depth == 0:
                open_at = i + 1
            depth += 1
        elif ch == "》" and depth:
            depth -= 1
            if depth == 0 and i - open_at <= 160:
                spans.append((open_at, i))
    return spans


def _compact(stream: _Stream, start: int, end: int) -> tuple[str, list[int]]:
    """Matching form of stream[start:end] with the stream position of every kept char."""
    chars, positions = [], []
    for i in range(start, end):
        ch = stream.shadow[i]
        if ch.isspace() or ch in "《》<>〈〉“”\"'‘’":
            continue
        if ch in "—–―─":
            ch = "-"
        chars.append(ch)
        positions.append(i)
    return "".join(chars), positions


def _title_key(text: str) -> str:
    return "".join(
        ch for ch in normalise_for_matching(text) if not ch.isspace() and ch not in "《》“”\"'‘’"
    )


def _find_head(stream: _Stream) -> _Head:
    shadow = stream.shadow
    notice_title = None
    for open_at, close_at in _balanced_titles(shadow, 0, min(len(shadow), 4000)):
        around = shadow[max(0, open_at - 12) : open_at] + shadow[close_at : close_at + 10]
        inner = shadow[open_at:close_at]
        if "印发" in around and re.search(_PLAN_TITLE_END, inner):
            notice_title = (open_at, close_at)
            break

    first_section = _first_section_one(stream, 0)
    if notice_title:
        key = _title_key(stream.text[notice_title[0] : notice_title[1]])
        # The body title comes before the first section; searching further only costs time.
        search_end = len(shadow) if first_section is None else first_section
        compact, positions = _compact(stream, 0, search_end)
        at_line_start, unquoted = [], []
        at = compact.find(key)
        while at >= 0 and key:
            begin = positions[at]
            finish = positions[at + len(key) - 1] + 1
            if first_section is None or begin < first_section:
                if stream.boundary(begin) == "line":
                    at_line_start.append((begin, finish))
                elif not _quoted(shadow, begin, finish):
                    unquoted.append((begin, finish))  # a title in text whose breaks were lost
            at = compact.find(key, at + 1)
        occurrences = at_line_start or unquoted
        if occurrences:
            begin, finish = occurrences[-1]
            finish = _extend_period(stream, finish)
            return _Head(display_title(stream.text[begin:finish]), begin, finish)

    line_title = _title_line(stream, first_section)
    if line_title:
        return line_title
    if notice_title:
        begin, finish = notice_title
        return _Head(display_title(stream.text[begin:finish]), begin, finish)
    inline_title = _inline_title(stream, first_section)
    if inline_title:
        return inline_title
    # No recognisable title: the first line stands in, and the structure decides the rest.
    first_line_end = shadow.find("\n")
    first_line_end = len(shadow) if first_line_end < 0 else first_line_end
    first_line_end = min(first_line_end, _TITLE_MAX)
    return _Head(display_title(stream.text[:first_line_end]), 0, first_line_end)


_INLINE_TITLE_RE = re.compile(rf"{_PLAN_TITLE_END}(\s*\(\s*\d{{4}}[^()]{{0,16}}\))?")
_TITLE_MAX = 80


def _inline_title(stream: _Stream, limit: int | None) -> _Head | None:
    """A title inside a line that lost its breaks: from the last sentence end (or 附件 label)
    before the first plan-type word up to that word and its period."""
    shadow = stream.shadow
    limit = min(len(shadow), 2000) if limit is None else limit
    match = _INLINE_TITLE_RE.search(shadow, 0, limit)
    if not match:
        return None
    begin = max(shadow.rfind(stop, 0, match.start()) for stop in "。:;!?\n")
    begin = max(begin + 1, match.end() - _TITLE_MAX)
    attachment = re.match(r"\s*附件\s*\d*\s*", shadow[begin : match.start()])
    if attachment:
        begin += attachment.end()
    return _Head(display_title(stream.text[begin : match.end()]), begin, match.end())


def _quoted(shadow: str, begin: int, finish: int) -> bool:
    """Whether shadow[begin:finish] is a reference 《…》 rather than a heading."""
    before = shadow[max(0, begin - 2) : begin].strip()
    after = shadow[finish : finish + 2].strip()
    return before.endswith("《") or after.startswith("》")


def _extend_period(stream: _Stream, finish: int) -> int:
    """Include a `（2023-2025年）` line that follows a title broken before its period."""
    rest = stream.shadow[finish : finish + 24]
    match = re.match(r"\s*\(\s*\d{4}[^()\n]{0,16}\)", rest)
    return finish + match.end() if match else finish


def _first_section_one(stream: _Stream, start: int) -> int | None:
    for marker in _find(stream, "section", start, len(stream.shadow)):
        if marker.value == 1 and marker.boundary in ("line", "sentence"):
            return marker.start
    return None


def _title_line(stream: _Stream, limit: int | None) -> _Head | None:
    """The first line before the first section that reads like a plan title."""
    shadow, pos = stream.shadow, 0
    limit = len(shadow) if limit is None else limit
    while pos < limit:
        found = re.compile(r"[\n\r]").search(shadow, pos)
        end = found.start() if found else len(shadow)
        line = shadow[pos:end].strip()
        if (
            len(line) <= 80
            and not any(stop in line for stop in _STOPS)
            and "印发" not in line
            and _TITLE_LINE_RE.search(line)
        ):
            finish = _extend_period(stream, end)
            return _Head(display_title(stream.text[pos:finish]), pos, finish)
        pos = end + 1
    return None


def _cover_facts(stream: _Stream, head: _Head) -> tuple[str | None, str | None, str | None]:
    """(issuer, doc_number, issued_on) from the cover, i.e. the text before the title."""
    cover = stream.shadow[: head.title_start]
    cover_original = stream.text[: head.title_start]

    issuer = None
    for line_shadow, line_original in zip(
        re.split(r"[\n\r]", cover), re.split(r"[\n\r]", cover_original), strict=True
    ):
        candidate = line_shadow.replace(" ", "")
        match = _ISSUER_LINE_RE.match(candidate)
        if match and not candidate.startswith("各"):
            issuer = line_original.replace(" ", "")[: match.end(1)]
            break
    if issuer is None:
        for header in stream.running_headers:
            issuer = header[: -len("文件")]
            break
    if issuer is None:
        for line_original in re.split(r"[\n\r]", cover_original):
            match = _NOTICE_ISSUER_RE.match(line_original)
            if match:
                issuer = match.group(1)
                break

    doc_number = None
    match = DOC_NUMBER_PATTERN.search(cover)
    if match:
        doc_number = normalise_doc_number(cover_original[match.start() : match.end()])

    issued_on = None
    date = _DATE_RE.search(cover)
    if date:
        year, month, day = (int(g) for g in date.groups())
        if 1 <= month <= 12 and 1 <= day <= 31:
            issued_on = f"{year:04d}-{month:02d}-{day:02d}"
    return issuer, doc_number, issued_on


_MUNICIPALITIES = ("北京", "上海", "天津", "重庆")


def _level_and_region(issuer: str | None, title: str) -> tuple[str | None, str | None]:
    for source in (issuer, title):
        if not source:
            continue
        s = matching_shadow(source)
        if s.startswith("国务院") or s.startswith("中共中央"):
            return "national", None
        district = re.match(
            r"^(?:[\u4e00-\u9fff]{2,3}?[省市])?([\u4e00-\u9fff]{1,4}?(?:新区|区|县))", s
        )
        prefixed = re.match(r"^[\u4e00-\u9fff]{2,3}?[省市]([\u4e00-\u9fff]{2,4}?(?:新区|区|县))", s)
        if prefixed and source is not issuer:
            district = prefixed  # 上海市闵行区… in a title names the district safely
        if district and (source is issuer or prefixed):
            start, end = district.span(1)
            return "district", source[start:end]
        city = re.match(r"^(?:[\u4e00-\u9fff]{2,3}?省)?([\u4e00-\u9fff]{1,4}?市)", s)
        if city:
            start, end = city.span(1)
            return "city", source[start:end]
        province = re.match(r"^([\u4e00-\u9fff]{1,4}?(?:省|自治区))", s)
        if province:
            start, end = province.span(1)
            return "province", source[start:end]
        for name in _MUNICIPALITIES:
            if s.startswith(name):
                return "city", name + "市"
        if district:
            start, end = district.span(1)
            return "district", source[start:end]
    return None, None


def _citations(stream: _Stream, start: int, end: int, own_title: str) -> list[Citation]:
    own_key = _title_key(own_title)
    cites: list[Citation] = []
    seen: set[str] = set()
    for open_at, close_at in _balanced_titles(stream.shadow, start, end):
        title = display_title(stream.text[open_at:close_at])
        key = _title_key(title)
        core = re.sub(r"\(.*\)$", "", matching_shadow(title).replace("（", "(").replace("）", ")"))
        if not re.search(_PLAN_TITLE_END + "$", core.strip()) or key == own_key or key in seen:
            continue
        seen.add(key)
        after = stream.shadow[close_at + 1 : close_at + 40]
        number = None
        match = re.match(r"\s*\(\s*([^()]{4,30})\)", after)
        if match:
            number = normalise_doc_number(
                stream.text[close_at + 1 + match.start(1) : close_at + 1 + match.end(1)]
            )
        cites.append(Citation(title=title, doc_number=number))
    return cites


# ---------------------------------------------------------------------------------------
# Items: cutting one marker's content into title, text and agencies


@dataclass
class _Item:
    marker: _Marker
    content_end: int
    title: str = ""
    text: str = ""
    agencies: list[str] = field(default_factory=list)
    has_responsibility: bool = False
    style: str = "inline"  # "inline" | "heading" | "ambiguous"
    heading: str = ""
    body: str = ""
    body_shadow: str = ""
    orphan: str = ""
    last_pos: int = 0
    unclosed: bool = False  # its responsibility parenthetical never closes (a lost line?)
    opened_at: int = 0  # where that unclosed parenthetical opens


def _split_agencies(listing: str, listing_shadow: str) -> list[str]:
    names: list[str] = []
    # Parts are split in the shadow (where both widths look alike) and cut from the original.
    pieces = re.split(r"[、,，;；]", listing_shadow)
    pos = 0
    for piece in pieces:
        original = listing[pos : pos + len(piece)]
        pos += len(piece) + 1
        shadow_piece = piece.strip()
        original = original.strip()
        sub = _SUB_LABEL_RE.match(shadow_piece)
        if sub:  # （牵头单位：A；配合单位：B） lists A then B
            original = original[sub.end() :]
            shadow_piece = shadow_piece[sub.end() :]
        for suffix in ("牵头", "配合", "负责"):
            if shadow_piece.endswith(suffix) and len(shadow_piece) > len(suffix) + 1:
                original = original[: -len(suffix)]
        original = original.strip()
        if original:
            names.append(original)
    return names


def _cut_item(stream: _Stream, item: _Item) -> None:
    start, end = item.marker.end, item.content_end
    raw, raw_shadow = stream.text[start:end], stream.shadow[start:end]
    original, shadow = clean_pair(raw, raw_shadow)

    # Responsibility parentheticals: labelled ones anywhere, or one bare agency list at the end.
    spans: list[tuple[int, int]] = []
    for match in _RESPONSIBILITY_RE.finditer(shadow):
        spans.append(match.span())
        item.agencies.extend(
            _split_agencies(original[match.start(1) : match.end(1)], match.group(1))
        )
    if not spans:
        match = _TRAILING_PAREN_RE.search(shadow)
        if match and match.start() > 0 and shadow[match.start() - 1] in _ENDINGS:
            names = [n.strip() for n in re.split(r"[、,;]", match.group(1))]
            if names and all(_AGENCY_SUFFIX_RE.search(n) for n in names if n):
                spans.append(match.span())
                item.agencies.extend(
                    _split_agencies(original[match.start(1) : match.end(1)], match.group(1))
                )
    if not spans:
        # （责任单位：A、B、 whose closing line was lost: the agencies run to the item's end, or
        # to a sentence end if text follows. Whether that is recoverable (another marker
        # follows) or a cut-off document is for _check_unclosed to say.
        match = _UNCLOSED_RESPONSIBILITY_RE.search(shadow)
        if match:
            stop = _STOP_RE.search(shadow, match.start(1))
            listing_end = stop.start() if stop else len(shadow)
            listing = slice(match.start(1), listing_end)
            item.agencies.extend(_split_agencies(original[listing], shadow[listing]))
            item.unclosed = True
            item.opened_at = start + max(raw_shadow.rfind("("), 0)
            spans.append((match.start(), listing_end))
    item.has_responsibility = bool(spans)

    if item.unclosed:
        item.orphan = original[spans[-1][1] :].lstrip("。!?！？").strip()
        body, body_shadow = original[: spans[-1][0]], shadow[: spans[-1][0]]
        item.last_pos = start + len(raw_shadow.rstrip()) - 1
    elif spans:
        last_end = spans[-1][1]
        item.orphan = original[last_end:].strip()
        kept_original, kept_shadow, cursor = [], [], 0
        for s, e in spans:
            kept_original.append(original[cursor:s])
            kept_shadow.append(shadow[cursor:s])
            cursor = e
        body, body_shadow = "".join(kept_original), "".join(kept_shadow)
        last_raw = raw_shadow.rfind(")")
        item.last_pos = start + (last_raw if last_raw >= 0 else len(raw_shadow) - 1)
    else:
        body, body_shadow = original, shadow
        item.last_pos = start + len(raw_shadow.rstrip()) - 1
    item.body, item.body_shadow = body.strip(), body_shadow.strip()

    # Heading or inline? Decided from the marker's own line; siblings settle ambiguous ones.
    newline = raw_shadow.find("\n")
    first_line_shadow = raw_shadow if newline < 0 else raw_shadow[:newline]
    first_line = clean_pair(raw[: len(first_line_shadow)], first_line_shadow)[0].strip()
    first_line_shadow_clean = matching_shadow(first_line)
    rest_is_empty = newline < 0 or not raw_shadow[newline:].strip()
    has_stop = any(stop in first_line_shadow_clean for stop in _STOPS)
    if has_stop or rest_is_empty or not first_line or len(first_line) > _HEADING_MAX:
        item.style = "inline"
    elif stream.wrap_width and len(first_line_shadow.strip()) >= stream.wrap_width - 3:
        item.style = "inline"  # a full-width line of a hard-wrapped paragraph
    else:
        first_sentence = _first_sentence(item.body, item.body_shadow)
        item.style = "heading" if len(first_sentence) > _SHORT_TITLE else "ambiguous"
        item.heading = first_line.rstrip("。;；,，:：")


def _first_sentence(text: str, shadow: str) -> str:
    cut = min((shadow.find(stop) for stop in _STOPS if stop in shadow), default=len(shadow))
    return text[:cut]


def _finish_items(stream: _Stream, items: list[_Item]) -> None:
    """Resolve ambiguous styles by the siblings' majority, then set title and text."""
    votes = Counter(item.style for item in items if item.style != "ambiguous")
    if votes["heading"] > votes["inline"]:
        default = "heading"
    elif votes["inline"] > votes["heading"]:
        default = "inline"
    else:
        default = "inline" if stream.wrap_width else "heading"
    for item in items:
        style = default if item.style == "ambiguous" else item.style
        if style == "heading" and item.heading and item.body.startswith(item.heading):
            rest = item.body[len(item.heading) :].lstrip("。;；,，:： ")
            item.title = item.heading
            item.text = f"{item.heading}。{rest}" if rest else item.heading
        else:
            item.title = _first_sentence(item.body, item.body_shadow)
            item.text = item.body
        item.title = item.title.strip().rstrip("。;；,，:：").strip()


# ---------------------------------------------------------------------------------------
# Sections


@dataclass
class _Section:
    marker: _Marker
    heading: str
    heading_end: int
    end: int
    kind: str  # "goals" | "tasks" | "measures" | "other"


def _classify(heading: str) -> str:
    if "保障" in heading or "组织实施" in heading or "实施机制" in heading:
        return "measures"
    if re.search(r"任务|重点工作|主要工作|举措|重点行动", heading) and "目标" not in heading:
        return "tasks"
    if "目标" in heading:
        return "goals"
    return "other"


def _heading_extent(stream: _Stream, marker: _Marker, limit: int) -> tuple[str, int]:
    """(heading shadow text, position where the heading ends) for a section or group."""
    shadow = stream.shadow
    line_end = shadow.find("\n", marker.end, limit)
    line_end = limit if line_end < 0 else line_end
    line = shadow[marker.end : line_end]
    known = _SECTION_WORD_RE.match(shadow, marker.end, limit)
    if (
        marker.kind == "section"
        and line.strip()
        and len(line.strip()) <= _HEADING_MAX
        and not any(stop in line for stop in _STOPS)
        and not _PAREN_RE.search(line)
    ):
        return line.strip(), line_end
    if known:
        return known.group(1), known.end()
    cut = marker.end
    while cut < limit and shadow[cut] not in "。!?\n(":
        cut += 1
    return shadow[marker.end : cut].strip(), cut


def _sequence(
    stream: _Stream,
    candidates: list[_Marker],
    what: str,
    warnings: list[str],
    *,
    strict: bool,
    region_start: int | None = None,
) -> list[_Marker]:
    """Keep the candidates that continue the numbering 1, 2, 3…; report breaks.

    `strict` numbering (tasks) treats a repeated number at a line start as an error; looser
    sequences (sections, groups) only accept what fits.
    """
    accepted: list[_Marker] = []
    expected = 1
    first = _skip_space(stream, region_start) if region_start is not None else -1
    for marker in candidates:
        if marker.boundary == "inline" and marker.start != first:
            continue
        if marker.value == expected:
            accepted.append(marker)
            expected += 1
        elif expected < marker.value <= expected + 3 and marker.boundary == "line" and accepted:
            warnings.append(
                f"line {stream.line(marker.start)}: {what} numbers skip from {expected - 1} "
                f"to {marker.value}"
            )
            accepted.append(marker)
            expected = marker.value + 1
        elif strict and marker.boundary == "line" and accepted and marker.value < expected:
            raise stream.error(
                f"duplicate {what} number {marker.value} (after {expected - 1})", marker.start
            )
    return accepted


def _skip_space(stream: _Stream, pos: int) -> int:
    while pos < len(stream.shadow) and stream.shadow[pos].isspace():
        pos += 1
    return pos


def _sections(stream: _Stream, body_start: int, end: int, warnings: list[str]) -> list[_Section]:
    candidates = _find(stream, "section", body_start, end)
    markers = _sequence(stream, candidates, "section", warnings, strict=False)
    sections = []
    for i, marker in enumerate(markers):
        limit = markers[i + 1].start if i + 1 < len(markers) else end
        heading, heading_end = _heading_extent(stream, marker, limit)
        sections.append(_Section(marker, heading, heading_end, limit, _classify(heading)))
    return sections


# ---------------------------------------------------------------------------------------
# Goals


def _goals(stream: _Stream, start: int, end: int, warnings: list[str]) -> tuple[str, list[Goal]]:
    dashes = [m for m in _find(stream, "dash", start, end) if m.boundary != "inline"]
    markers = dashes
    if not dashes:
        markers = _sequence(
            stream, _find(stream, "num", start, end), "goal", warnings, strict=False
        )
    first = markers[0].start if markers else end
    overview = clean_pair(stream.text[start:first], stream.shadow[start:first])[0].strip()
    goals = []
    for i, marker in enumerate(markers):
        limit = markers[i + 1].start if i + 1 < len(markers) else end
        text, shadow = clean_pair(
            stream.text[marker.end : limit], stream.shadow[marker.end : limit]
        )
        text, shadow = text.strip(), shadow.strip()
        title = _first_sentence(text, shadow).strip().rstrip("。;；,，:：")
        goals.append(Goal(order=i + 1, title=title, text=text))
    return overview, goals


# ---------------------------------------------------------------------------------------
# Tasks


def _task_markers(
    stream: _Stream, start: int, end: int, warnings: list[str]
) -> tuple[list[_Marker], list[_Marker]]:
    """(groups, tasks) in a task section, each following its own numbering."""
    candidates = sorted(
        _find(stream, "paren", start, end) + _find(stream, "num", start, end),
        key=lambda m: m.start,
    )
    groups: list[_Marker] = []
    tasks: list[_Marker] = []
    next_group, next_task = 1, 1
    last_heading: _Marker | None = None  # the group whose heading text we may be inside
    region_start = start
    while region_start < end and stream.shadow[region_start].isspace():
        region_start += 1
    for marker in candidates:
        boundary = marker.boundary
        if marker.start == region_start:
            boundary = "line"
        elif boundary == "inline" and last_heading is not None:
            between = stream.shadow[last_heading.end : marker.start]
            if len(between) <= _HEADING_MAX and not any(s in between for s in _STOPS + ";"):
                boundary = "heading"
        if boundary == "inline":
            continue
        if marker.kind == "paren":
            if marker.value == next_group or (
                next_group < marker.value <= next_group + 2 and boundary == "line" and groups
            ):
                if marker.value != next_group:
                    warnings.append(
                        f"line {stream.line(marker.start)}: group numbers skip from "
                        f"{next_group - 1} to {marker.value}"
                    )
                groups.append(marker)
                next_group = marker.value + 1
                last_heading = marker
            elif boundary == "line" and groups and marker.value == next_group - 1:
                raise stream.error(f"duplicate group number （{marker.value}）", marker.start)
            continue
        # A numbered task.
        restarted = marker.value == 1 and groups and tasks and groups[-1].start > tasks[-1].start
        if marker.value == next_task or restarted:
            tasks.append(marker)
            next_task = marker.value + 1
        elif next_task < marker.value <= next_task + 5 and boundary in ("line", "sentence"):
            if not tasks:
                warnings.append(
                    f"line {stream.line(marker.start)}: task numbering starts at {marker.value}"
                )
            else:
                warnings.append(
                    f"line {stream.line(marker.start)}: task numbers skip from {next_task - 1} "
                    f"to {marker.value}"
                )
            tasks.append(marker)
            next_task = marker.value + 1
        elif boundary == "line" and tasks and marker.value < next_task:
            raise stream.error(
                f"duplicate task number {marker.value} (task {next_task - 1} came before it)",
                marker.start,
            )
        else:
            continue
        last_heading = None
    return groups, tasks


def _items(stream: _Stream, markers: list[_Marker], ends: list[int], kind: str) -> list[_Item]:
    items = [_Item(marker=m, content_end=e) for m, e in zip(markers, ends, strict=True)]
    for item in items:
        _cut_item(stream, item)
    _finish_items(stream, items)
    for item in items:
        if not item.title.strip() and not item.text.strip():
            # A number with nothing after it (a lost page, or a footer match cut it off): an
            # empty task or measure in the graph would hide the damage.
            raise stream.error(
                f"{kind} {item.marker.value} is empty: nothing follows its number "
                "(is the text damaged or cut off here?)",
                item.marker.start,
            )
    return items


def _ends(markers: list[_Marker], others: list[_Marker], end: int) -> list[int]:
    """Each marker's content runs to the next marker of either list, or to `end`."""
    starts = sorted({m.start for m in markers} | {m.start for m in others})
    result = []
    for marker in markers:
        at = bisect_right(starts, marker.start)
        result.append(starts[at] if at < len(starts) else end)
    return result


def _check_unclosed(
    stream: _Stream, items: list[_Item], what: str, ends_document: bool, warnings: list[str]
) -> None:
    """An unclosed responsibility line is a lost line when another item follows, and a
    cut-off document when the text ends inside it."""
    for i, item in enumerate(items):
        if not item.unclosed:
            continue
        if ends_document and i == len(items) - 1:
            raise stream.error(
                f"the responsibility line of {what} {item.marker.value} is never closed and the "
                "document ends there: the text is cut off",
                item.last_pos,
            )
        listed = "、".join(item.agencies) or "none"
        warnings.append(
            f"line {stream.line(item.opened_at)}: the responsibility line of {what} "
            f"{item.marker.value} is never closed (a lost line?); its agencies are read up to "
            f"the next item or heading: {listed}"
        )


def _check_orphans(stream: _Stream, items: list[_Item], what: str, warnings: list[str]) -> None:
    for item in items[:-1]:
        if item.orphan:
            warnings.append(
                f"line {stream.line(item.last_pos)}: text after the responsibility line of "
                f"{what} {item.marker.value} is not part of any item: {item.orphan[:30]}"
            )


def _actions(
    stream: _Stream, section: _Section, warnings: list[str], ends_document: bool
) -> list[Action]:
    start, end = section.heading_end, section.end
    groups, tasks = _task_markers(stream, start, end, warnings)
    if not tasks and not groups:
        return []
    if not tasks:
        # （一）…（十） are themselves the tasks (no numbered layer below them).
        items = _items(stream, groups, _ends(groups, [], end), "task")
        _check_unclosed(stream, items, "task", ends_document, warnings)
        _check_cut_off(stream, items, "task", ends_document, warnings)
        _check_orphans(stream, items, "task", warnings)
        return [Action(order=1, title=None, tasks=[_task(stream, it) for it in items])]

    task_items = _items(stream, tasks, _ends(tasks, groups, end), "task")
    _check_unclosed(stream, task_items, "task", ends_document, warnings)
    _check_cut_off(stream, task_items, "task", ends_document, warnings)
    _check_orphans(stream, task_items, "task", warnings)
    by_start = {item.marker.start: item for item in task_items}

    actions: list[Action] = []
    loose = [t for t in tasks if not groups or t.start < groups[0].start]
    if loose:
        actions.append(Action(order=1, title=None, tasks=[]))
        actions[0].tasks = [_task(stream, by_start[t.start]) for t in loose]
    for i, group in enumerate(groups):
        limit = groups[i + 1].start if i + 1 < len(groups) else end
        members = [t for t in tasks if group.start < t.start < limit]
        title_end = members[0].start if members else limit
        text, shadow = clean_pair(
            stream.text[group.end : title_end], stream.shadow[group.end : title_end]
        )
        title = _first_sentence(text.strip(), shadow.strip()).strip().rstrip("。;；,，:：")
        if not members:
            warnings.append(
                f"line {stream.line(group.start)}: group （{group.value}）{title} has no tasks"
            )
        action = Action(order=len(actions) + 1, title=title or None)
        action.tasks = [_task(stream, by_start[t.start]) for t in members]
        actions.append(action)
    return actions


def _task(stream: _Stream, item: _Item) -> Task:
    return Task(
        number=item.marker.value,
        title=item.title,
        text=item.text,
        agencies=item.agencies,
        source=SourceSpan(stream.line(item.marker.start), stream.line(item.last_pos)),
    )


def _check_cut_off(
    stream: _Stream, items: list[_Item], what: str, ends_document: bool, warnings: list[str]
) -> None:
    """A document that stops inside its last item is an error, not a short item."""
    if not items or not ends_document:
        return
    last = items[-1]
    if last.has_responsibility:
        if what == "task" and not last.orphan:
            # Real plans close with 保障措施, a closing paragraph or a footer; this one stops.
            warnings.append(
                f"line {stream.line(last.last_pos)}: the document ends right after task "
                f"{last.marker.value}, with no 保障措施, closing text or footer: it may be cut off"
            )
        return
    ending = last.body_shadow.rstrip()[-1:] if last.body_shadow.strip() else ""
    if not ending or ending not in _ENDINGS:
        raise stream.error(
            f"document ends in the middle of {what} {last.marker.value}: its text stops "
            f"without a closing 。",
            last.last_pos,
        )
    others = items[:-1]
    if len(others) >= 3 and all(item.has_responsibility for item in others):
        raise stream.error(
            f"document looks cut off: {what} {last.marker.value} has no responsibility line "
            "while every other one does",
            last.last_pos,
        )


# ---------------------------------------------------------------------------------------
# Measures


def _measures(
    stream: _Stream, section: _Section, warnings: list[str], ends_document: bool
) -> list[Measure]:
    start, end = section.heading_end, section.end
    # Measures are numbered （一） in most plans, 1. in some: the first style present wins.
    for style in ("paren", "num"):
        markers = _sequence(
            stream,
            _find(stream, style, start, end),
            "measure",
            warnings,
            strict=True,
            region_start=start,
        )
        if markers:
            break
    items = _items(stream, markers, _ends(markers, [], end), "measure")
    _check_unclosed(stream, items, "measure", ends_document, warnings)
    _check_cut_off(stream, items, "measure", False, warnings)
    if ends_document and items:
        last = items[-1]
        ending = last.body_shadow.rstrip()[-1:]
        if not last.has_responsibility and (not ending or ending not in _ENDINGS):
            raise stream.error(
                f"document ends in the middle of measure {last.marker.value}: its text stops "
                "without a closing 。",
                last.last_pos,
            )
    _check_orphans(stream, items, "measure", warnings)
    return [
        Measure(order=i + 1, title=item.title, text=item.text, agencies=item.agencies)
        for i, item in enumerate(items)
    ]


# ---------------------------------------------------------------------------------------
# The plan


def parse_text(text: str, *, source: str | None = None, encoding: str | None = None) -> Plan:
    """Parse one plan's decoded text. Raise PlanError when it is not (a whole) plan."""
    if not text.strip():
        raise PlanError("empty file: no text to parse", path=source)
    stream = _prepare(text, source)
    if not stream.shadow.strip():
        raise PlanError("no plan text: the file holds only markup or crawler noise", path=source)
    warnings: list[str] = []

    head = _find_head(stream)
    issuer, doc_number, issued_on = _cover_facts(stream, head)
    footer = _first_footer(stream, head.body_start)
    _check_after_footer(stream, footer, warnings)
    sections = _sections(stream, head.body_start, footer, warnings)
    body_end = sections[0].marker.start if sections else footer
    cites = _citations(stream, head.title_start, body_end, head.title)
    # The title itself may name the plan it implements (关于贯彻落实《…规划》的实施意见).
    for cite in _citations(stream, head.title_start, head.body_start, ""):
        if all(_title_key(c.title) != _title_key(cite.title) for c in cites):
            cites.append(cite)

    plan = Plan(title=head.title, doc_number=doc_number, issuer=issuer, issued_on=issued_on)
    plan.level, plan.region = _level_and_region(issuer, head.title)
    period = _PERIOD_RE.search(matching_shadow(head.title))
    if period:
        plan.period = (int(period.group(1)), int(period.group(2)))
    plan.cites = cites
    plan.source_file = source
    plan.encoding = encoding
    plan.warnings = warnings

    ends_document = footer == len(stream.shadow)
    task_sections = [s for s in sections if s.kind == "tasks"]
    if not task_sections:
        task_sections = _fallback_task_sections(stream, sections, head.body_start, footer)
    goal_region = _goal_region(stream, sections, warnings)
    if goal_region:
        plan.overview, plan.goals = _goals(stream, *goal_region, warnings)

    for section in task_sections:
        is_last = section is sections[-1] if sections else True
        for action in _actions(stream, section, warnings, ends_document and is_last):
            action.order = len(plan.actions) + 1
            if section.kind == "other" and action.title is None:
                action.title = display_title(stream.text[section.marker.end : section.heading_end])
            plan.actions.append(action)
    if not plan.tasks:
        hint = ""
        if task_sections:
            where = task_sections[0].marker.start
        else:
            # Point into the file anyway: at numbered lines outside any task section (a lost
            # 二、重点任务 heading), else at the first section, else where the body starts.
            numbered = [
                m for m in _find(stream, "num", head.body_start, footer) if m.boundary == "line"
            ]
            if numbered:
                where = numbered[0].start
                hint = "; the numbered items from here on sit in no such section (heading lost?)"
            else:
                where = sections[0].marker.start if sections else head.body_start
        raise stream.error(
            "not a plan: found no numbered tasks (expected a 重点任务/主要任务 section with "
            f"tasks such as `1.…` or `（一）…`){hint}",
            where,
        )
    for section in sections:
        if section.kind == "measures":
            is_last = section is sections[-1]
            plan.measures.extend(_measures(stream, section, warnings, ends_document and is_last))
    for i, measure in enumerate(plan.measures, start=1):
        measure.order = i
    for item in (*plan.tasks, *plan.measures):
        if len(item.title) > _HEADING_MAX:
            warnings.append(
                f"unusually long title ({len(item.title)} chars) for "
                f"{'task ' + str(item.number) if isinstance(item, Task) else 'a measure'}: "
                "its heading may have lost its line break"
            )
    return plan


def _goal_region(
    stream: _Stream, sections: list[_Section], warnings: list[str]
) -> tuple[int, int] | None:
    for section in sections:
        if section.kind == "goals":
            return section.heading_end, section.end
    # 一、总体要求 …（三）主要目标: goals as a subsection.
    for section in sections:
        if section.kind != "other":
            continue
        parens = _sequence(
            stream,
            _find(stream, "paren", section.heading_end, section.end),
            "subsection",
            [],
            strict=False,
        )
        for i, paren in enumerate(parens):
            limit = parens[i + 1].start if i + 1 < len(parens) else section.end
            heading, heading_end = _heading_extent(stream, paren, limit)
            if "目标" in heading:
                return heading_end, limit
    return None


def _fallback_task_sections(
    stream: _Stream, sections: list[_Section], body_start: int, footer: int
) -> list[_Section]:
    """Without a 重点任务 section: sections holding a numbered sequence, or the whole body."""
    preliminary = re.compile(r"总体|指导|原则|思路|目标|现状|基础|背景|意义|产品")
    chosen = []
    for section in sections:
        if section.kind != "other" or preliminary.search(section.heading):
            continue
        nums = _sequence(
            stream, _find(stream, "num", section.heading_end, section.end), "task", [], strict=False
        )
        if nums:
            chosen.append(section)
    if chosen or sections:
        return chosen
    whole = _Marker("section", 0, body_start, body_start, "line")
    return [_Section(whole, "", body_start, footer, "tasks")]


def parse_file(path: str | Path) -> Plan:
    """Read and parse the plan at `path` (UTF-8 with or without BOM, or GB18030/GBK)."""
    text, encoding = read_text(path)
    return parse_text(text, source=str(path), encoding=encoding)
