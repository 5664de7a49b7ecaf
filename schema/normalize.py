"""Normalising plan text: for matching (width, script, spacing) and for display (spacing only).

It lives in schema/ because "the same name" is part of the model: the parser, the lexicons
and the stores all match names through it, and every layer may depend on schema.

Two kinds of function live here. `normalise_for_matching` may change anything that does not
change meaning (full/half width, traditional/simplified, dashes, spaces) and is never shown to
a user. `matching_shadow` does the same character by character, so that offsets in the shadow
are offsets in the original: the parser finds structure in the shadow and cuts the original.
"""

from __future__ import annotations

import re
from functools import cache

import opencc

from schema.graph_model import doc_key

_T2S = opencc.OpenCC("t2s")

# Full-width ASCII block (！..～) sits at a fixed offset from ASCII.
_FULLWIDTH_OFFSET = 0xFEE0
_DASHES = "—–―─－‐‑‒"
_BOOK_OPEN = "〈<＜"
_BOOK_CLOSE = "〉>＞"
_DOC_BRACKETS_OPEN = "〔[［(（【〖"
_DOC_BRACKETS_CLOSE = "〕]］)）】〗"


def halfwidth_char(ch: str) -> str:
    code = ord(ch)
    if 0xFF01 <= code <= 0xFF5E:
        return chr(code - _FULLWIDTH_OFFSET)
    if ch == "\u3000":
        return " "
    return ch


@cache
def _simplified_char(ch: str) -> str:
    converted = _T2S.convert(ch)
    # Keep the shadow aligned with the original: one character in, one out.
    return converted if len(converted) == 1 else ch


def shadow_char(ch: str) -> str:
    ch = halfwidth_char(ch)
    if ord(ch) < 0x3400:  # below CJK ideographs: nothing to simplify
        return ch
    return _simplified_char(ch)


# str.translate tables: built once for the width block, grown per new ideograph seen.
_HALFWIDTH_TABLE = {code: code - _FULLWIDTH_OFFSET for code in range(0xFF01, 0xFF5F)} | {
    0x3000: 0x20
}
_SHADOW_TABLE: dict[int, int] = dict(_HALFWIDTH_TABLE)
_SHADOW_SEEN: set[int] = set(_SHADOW_TABLE)


def halfwidth(text: str) -> str:
    """`text` with full-width ASCII made half width (same length)."""
    return text.translate(_HALFWIDTH_TABLE)


def matching_shadow(text: str) -> str:
    """Half-width, simplified copy of `text` with exactly the same length and offsets."""
    for ch in set(text):
        code = ord(ch)
        if code >= 0x3400 and code not in _SHADOW_SEEN:
            _SHADOW_SEEN.add(code)
            simplified = _simplified_char(ch)
            if simplified != ch:
                _SHADOW_TABLE[code] = ord(simplified)
    return text.translate(_SHADOW_TABLE)


def _is_ascii_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


_WHITESPACE_RUN = re.compile(r"\s+")


def clean_pair(original: str, shadow: str) -> tuple[str, str]:
    """Join lines and drop layout whitespace, identically in the original and its shadow."""
    out_original: list[str] = []
    out_shadow: list[str] = []
    cursor, n = 0, len(shadow)
    for run in _WHITESPACE_RUN.finditer(shadow):
        i, j = run.span()
        out_original.append(original[cursor:i])
        out_shadow.append(shadow[cursor:i])
        cursor = j
        before = shadow[i - 1] if i > 0 else ""
        after = shadow[j] if j < n else ""
        if (
            i > 0
            and _is_ascii_word_char(before)
            and _is_ascii_word_char(after)
            and not (before.isdigit() and after.isdigit())
        ):
            out_original.append(" ")
            out_shadow.append(" ")
    out_original.append(original[cursor:])
    out_shadow.append(shadow[cursor:])
    return "".join(out_original), "".join(out_shadow)


def clean_spacing(text: str) -> str:
    """`text` with line breaks and layout spaces removed (see `clean_pair`)."""
    return clean_pair(text, matching_shadow(text))[0]


def display_title(text: str) -> str:
    """A title as written, minus layout: spaces dropped, ASCII brackets made full width."""
    return clean_spacing(text).replace("(", "（").replace(")", "）").strip()


# After width and script: every dash to '-', angle brackets to book-title marks.
_MARKS_TABLE = (
    {ord(dash): "-" for dash in _DASHES}
    | {ord(ch): "《" for ch in _BOOK_OPEN}
    | {ord(ch): "》" for ch in _BOOK_CLOSE}
)


def normalise_for_matching(text: str) -> str:
    """Canonical form for comparing plan text: never shown, only compared.

    Full width -> half width, traditional -> simplified, every dash -> '-', angle brackets ->
    book-title marks, and whitespace removed except one space between two Latin words.
    """
    half = text.translate(_HALFWIDTH_TABLE)
    simplified = _T2S.convert(half)
    marked = simplified.translate(_MARKS_TABLE)
    return clean_pair(marked, marked)[0]


_DOC_PREFIX_STOP = re.compile(r"通知|文件|的|日|号|印发|根据|按照|依据")
_DOC_PREFIX_MAX = 6
_DOC_NUMBER = re.compile(
    # Issuer abbreviation (a page break may sit inside it), year in brackets, serial, 号.
    r"([\u4e00-\u9fff](?:[\u4e00-\u9fff]|\r[ \t]*){0,9})"
    r"\s*[〔\[［(（【〖]\s*(\d{4})\s*[〕\]］)）】〗]\s*第?\s*(\d{1,4})\s*号"
)


def find_doc_number(text: str) -> str | None:
    """The document number in `text` (`…的通知沪松府〔2023〕138 号` -> `沪松府〔2023〕138号`), in
    the one canonical form `graph_model.doc_key` gives; None if `text` holds none."""
    half = halfwidth(text)
    simplified = "".join(shadow_char(ch) for ch in half)
    match = _DOC_NUMBER.search(simplified)
    if not match:
        return None
    # The issuer abbreviation keeps its original characters (it may be traditional).
    start, end = match.span(1)
    prefix = "".join(ch for ch in half[start:end] if not ch.isspace())
    # Text run together with the number (…的通知沪宝府〔2023〕66号) is not part of it.
    tail = _DOC_PREFIX_STOP.split("".join(simplified[start:end].split()))[-1]
    prefix = prefix[len(prefix) - min(len(tail), _DOC_PREFIX_MAX) :]
    return doc_key(f"{prefix}〔{match.group(2)}〕{match.group(3)}号")


DOC_NUMBER_PATTERN = _DOC_NUMBER
