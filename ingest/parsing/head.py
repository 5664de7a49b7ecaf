"""The plan's own title (where the body starts) and the plans it cites."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.model import Citation
from ingest.parsing.markers import find_markers
from ingest.parsing.stream import STOPS, Stream
from schema.normalize import (
    display_title,
    find_doc_number,
    matching_shadow,
    normalise_for_matching,
)

PLAN_TITLE_END = r"(计划|方案|意见|规划|纲要|措施|办法|细则|要点)"
_TITLE_LINE_RE = re.compile(rf"{PLAN_TITLE_END}(\s*\(\s*\d{{4}}[^()]{{0,16}}\))?$")
_PERIOD_LINE_RE = re.compile(r"^\(\s*\d{4}\s*[-—–~至到]+\s*\d{4}\s*年?\s*\)$")
PERIOD_RE = re.compile(r"(\d{4})\s*年?\s*[-—–~至到]+\s*(\d{4})")
# A five-year plan by its ordinal: “十四五” is the 14th (2021–2025). Only 十一五 onwards: a
# two-character 八五 or 九五 reads as an ordinary number too often.
_ORDINAL = "一二三四五六七八九"
_FIVE_YEAR_RE = re.compile(rf"(?<![{_ORDINAL}十百零〇两\d])十([{_ORDINAL}])五(?![年个])")
_CITED_TITLE_RE = re.compile(r"《[^《》]*》")


def plan_period(title: str | None) -> tuple[int, int] | None:
    """The years a plan covers, from its title: the years it names (2023—2025年), else the
    five-year plan it belongs to (“十四五” → 2021–2025). A five-year plan only cited in the
    title (贯彻落实《“十四五”…规划》的实施意见) does not date this one."""
    shadow = matching_shadow(title or "")
    years = PERIOD_RE.search(shadow)
    if years:
        return int(years.group(1)), int(years.group(2))
    five_year = _FIVE_YEAR_RE.search(_CITED_TITLE_RE.sub("", shadow))
    if five_year:
        # The 3rd plan began in 1966 (after 1963–65's readjustment); every later one 5 years on.
        start = 1966 + 5 * (10 + _ORDINAL.index(five_year.group(1)) + 1 - 3)
        return start, start + 4
    return None


# ---------------------------------------------------------------------------------------
# Title, cover and citations


@dataclass
class Head:
    title: str | None  # None when the document shows no title
    title_start: int
    body_start: int


# A preamble that names what the document is about: 现就进一步做好稳就业工作提出如下意见,
# 就推进人才集聚工程（简称…），提出以下实施意见.
_PREAMBLE_SUBJECT_RE = re.compile(
    r"就(?P<subject>[^。;；,，:：()（）]{2,60}?)(?:\([^()]{0,30}\))?[,，]?(?:特|现)?提出(?:以下|如下)"
    r"(?P<kind>实施意见|指导意见|若干意见|意见|若干措施|措施|实施方案|工作方案|方案)"
)
_PREAMBLE_CHARS = 400  # the preamble is the body's first sentences


def preamble_title(body: str) -> str | None:
    """The title a document without a title line gives in its preamble: 就X提出以下实施意见 →
    关于X的实施意见, in the document's own characters. None when the preamble names none."""
    text = body[:_PREAMBLE_CHARS]
    match = _PREAMBLE_SUBJECT_RE.search(matching_shadow(text))
    if match is None:
        return None
    subject = re.sub(r"\s+", "", text[match.start("subject") : match.end("subject")])
    kind = text[match.start("kind") : match.end("kind")]
    # The words added are in the document's script: 關於 where it writes traditional.
    about = "关于" if matching_shadow(subject + kind) == subject + kind else "關於"
    return f"{about}{subject}的{kind}"


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


def _compact(stream: Stream, start: int, end: int) -> tuple[str, list[int]]:
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


def title_key(text: str) -> str:
    return "".join(
        ch for ch in normalise_for_matching(text) if not ch.isspace() and ch not in "《》“”\"'‘’"
    )


def find_head(stream: Stream) -> Head:
    shadow = stream.shadow
    notice_title = None
    for open_at, close_at in _balanced_titles(shadow, 0, min(len(shadow), 4000)):
        around = shadow[max(0, open_at - 12) : open_at] + shadow[close_at : close_at + 10]
        inner = shadow[open_at:close_at]
        if "印发" in around and re.search(PLAN_TITLE_END, inner):
            notice_title = (open_at, close_at)
            break

    first_section = first_section_one(stream, 0)
    if notice_title:
        key = title_key(stream.text[notice_title[0] : notice_title[1]])
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
            # The match skips quotes; a title that opens with one (“十四五”…) keeps it.
            while begin > 0 and shadow[begin - 1] in '“"‘「『':
                begin -= 1
            finish = _extend_period(stream, finish)
            return Head(display_title(stream.text[begin:finish]), begin, finish)

    line_title = _title_line(stream, first_section)
    if line_title:
        return line_title
    if notice_title:
        begin, finish = notice_title
        return Head(display_title(stream.text[begin:finish]), begin, finish)
    inline_title = _inline_title(stream, first_section)
    if inline_title:
        return inline_title
    # No recognisable title (a crawl that kept only the body): say so rather than promote the
    # first sentence; the structure decides the rest.
    return Head(None, 0, 0)


_INLINE_TITLE_RE = re.compile(rf"{PLAN_TITLE_END}(\s*\(\s*\d{{4}}[^()]{{0,16}}\))?")
_TITLE_MAX = 80


def _inline_title(stream: Stream, limit: int | None) -> Head | None:
    """A title inside a line that lost its breaks: from the last sentence end (or 附件 label)
    before the first plan-type word up to that word and its period."""
    shadow = stream.shadow
    limit = min(len(shadow), 2000) if limit is None else limit
    match = _INLINE_TITLE_RE.search(shadow, 0, limit)
    # 提出以下实施意见。 ends a sentence: a title is never closed by a sentence end or colon.
    while match and shadow[match.end() : match.end() + 1] in ("。", "!", "?", ":", ",", ";"):
        match = _INLINE_TITLE_RE.search(shadow, match.end(), limit)
    if not match:
        return None
    begin = max(shadow.rfind(stop, 0, match.start()) for stop in "。:;!?\n")
    begin = max(begin + 1, match.end() - _TITLE_MAX)
    attachment = re.match(r"\s*附件\s*\d*\s*", shadow[begin : match.start()])
    if attachment:
        begin += attachment.end()
    return Head(display_title(stream.text[begin : match.end()]), begin, match.end())


def _quoted(shadow: str, begin: int, finish: int) -> bool:
    """Whether shadow[begin:finish] is a reference 《…》 rather than a heading."""
    before = shadow[max(0, begin - 2) : begin].strip()
    after = shadow[finish : finish + 2].strip()
    return before.endswith("《") or after.startswith("》")


def _extend_period(stream: Stream, finish: int) -> int:
    """Include a `（2023-2025年）` line that follows a title broken before its period."""
    rest = stream.shadow[finish : finish + 24]
    match = re.match(r"\s*\(\s*\d{4}[^()\n]{0,16}\)", rest)
    return finish + match.end() if match else finish


def first_section_one(stream: Stream, start: int) -> int | None:
    for marker in find_markers(stream, "section", start, len(stream.shadow)):
        if marker.value == 1 and marker.boundary in ("line", "sentence"):
            return marker.start
    return None


def _title_first_line(shadow: str, pos: int) -> int:
    """Where a title broken across lines starts: a line just before it that opens the title
    (X关于…, with no sentence end, no colon and no notice wording) belongs to it."""
    before = shadow.rfind("\n", 0, max(pos - 1, 0))
    previous = shadow[before + 1 : pos].strip()
    if (
        previous
        and "关于" in previous
        and "印发" not in previous
        and not any(mark in previous for mark in STOPS + ":;,")
        and len(previous) <= _TITLE_MAX // 2
    ):
        return before + 1
    return pos


def _title_line(stream: Stream, limit: int | None) -> Head | None:
    """The first line before the first section that reads like a plan title."""
    shadow, pos = stream.shadow, 0
    limit = len(shadow) if limit is None else limit
    while pos < limit:
        found = re.compile(r"[\n\r]").search(shadow, pos)
        end = found.start() if found else len(shadow)
        line = shadow[pos:end].strip()
        if (
            len(line) <= 80
            and not any(stop in line for stop in STOPS)
            and "印发" not in line
            and _TITLE_LINE_RE.search(line)
        ):
            finish = _extend_period(stream, end)
            pos = _title_first_line(shadow, pos)
            return Head(display_title(stream.text[pos:finish]), pos, finish)
        pos = end + 1
    return None


def citations(stream: Stream, start: int, end: int, own_title: str) -> list[Citation]:
    own_key = title_key(own_title)
    cites: list[Citation] = []
    seen: set[str] = set()
    for open_at, close_at in _balanced_titles(stream.shadow, start, end):
        title = display_title(stream.text[open_at:close_at])
        key = title_key(title)
        core = re.sub(r"\(.*\)$", "", matching_shadow(title).replace("（", "(").replace("）", ")"))
        if not re.search(PLAN_TITLE_END + "$", core.strip()) or key == own_key or key in seen:
            continue
        seen.add(key)
        after = stream.shadow[close_at + 1 : close_at + 40]
        number = None
        match = re.match(r"\s*\(\s*([^()]{4,30})\)", after)
        if match:
            number = find_doc_number(
                stream.text[close_at + 1 + match.start(1) : close_at + 1 + match.end(1)]
            )
        cites.append(Citation(title=title, doc_number=number))
    return cites
