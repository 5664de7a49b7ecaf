"""The prepared text: a plan's lines cleaned of markup and crawler noise, joined into one
stream, with a same-length *shadow* (half width, simplified) in which structure is searched.

Line breaks help but are never required: markers are found at line starts *or* after a
sentence end, so a plan whose breaks were lost reads the same way.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field

from ingest.errors import PlanError
from schema.normalize import halfwidth, matching_shadow

STOPS = "。!?"
STOP_RE = re.compile(f"[{STOPS}]")
ENDINGS = "。!?;)”」』】"
BOUNDARY_BEFORE = "。;!?)”」』】"

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

HEADING_MAX = 40
SOFT_BREAK = "\r"  # a page-break continuation: a line start for markers, not for headings
SHORT_TITLE = 24  # a heading + first sentence shorter than this may be one wrapped sentence


# ---------------------------------------------------------------------------------------
# The prepared text


@dataclass
class Stream:
    text: str  # cleaned lines joined by "\n"
    shadow: str
    # Where each kept line starts in `text`, and its 1-based source line (sorted by start; a
    # separator belongs to the line before it). Two entries per line, not one per character.
    line_starts: list[int]
    line_numbers: list[int]
    wrap_width: int | None  # the width PDF conversion wrapped paragraphs at, if it did
    running_headers: list[str]
    source: str | None
    # Spans of tables that lost their grid (one cell per line): their cells (1.5, 2.) are
    # never numbering markers.
    tables: list[tuple[int, int]] = field(default_factory=list)

    def line(self, pos: int) -> int:
        if not self.line_starts:
            return 1
        at = bisect_right(self.line_starts, min(max(pos, 0), len(self.text) - 1)) - 1
        return self.line_numbers[max(at, 0)]

    def boundary(self, pos: int) -> str:
        """How the marker at `pos` is set off: 'line', 'sentence' or 'inline'."""
        i = pos - 1
        while i >= 0 and self.shadow[i].isspace() and self.shadow[i] not in "\n" + SOFT_BREAK:
            i -= 1
        if i < 0 or self.shadow[i] in "\n" + SOFT_BREAK:
            return "line"
        if self.shadow[i] in BOUNDARY_BEFORE:
            return "sentence"
        return "inline"

    def error(self, message: str, pos: int | None) -> PlanError:
        return PlanError(message, path=self.source, line=None if pos is None else self.line(pos))


def strip_noise(line: str) -> str | None:
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
    # cost ~100 bytes per character, 1.6 GB on a 50 MB line (tests/ingest/test_hardening_input.py).
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


def prepare(text: str, source: str | None) -> Stream:
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
        s = strip_noise(raw)
        if s is None:
            continue
        if _RUNNING_HEADER_RE.match(s):
            running_headers.append(s)
            continue
        if pieces:
            soft = page_break_marks and raw[:1].isspace()
            pieces.append(SOFT_BREAK if soft else "\n")
            length += 1
        line_starts.append(length)
        line_numbers.append(number)
        pieces.append(s)
        length += len(s)
        lengths.append(len(s))
    joined = "".join(pieces)
    return Stream(
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
