"""Cover facts of a policy document: its issuing bodies, level, region, number and date.

The cover is everything before the plan's title: red-header lines (上海市人民政府办公厅文件),
the document number, the notice (X关于印发《…》的通知), its addressees and its signature and
date. Documents without a notice sign at the end instead, so the last lines of the body (the
*closing*) are read for a signature block too.

Layout knowledge (body suffixes, national bodies, place endings, date numerals …) lives in
data/cover.toml. Matching runs in the shadow (half width, simplified script) and cuts the
original, so names come back as written: original script and width, spaces removed.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from schema.normalize import DOC_NUMBER_PATTERN, find_doc_number, matching_shadow

__all__ = ["CoverFacts", "read_cover"]


@dataclass
class CoverFacts:
    issuers: list[str] = field(default_factory=list)  # document order, as written, no spaces
    doc_number: str | None = None  # normalised with schema.normalize.find_doc_number
    issued_on: str | None = None  # ISO YYYY-MM-DD
    level: str | None = None  # "national" | "province" | "city" | "district"
    region: str | None = None  # 上海市, 松江区, 浙江省 …; None for national


# ---------------------------------------------------------------------------------------
# Vocabulary (from data/cover.toml)


@dataclass(frozen=True)
class _PlaceEnding:
    level: str
    ending: str
    max_name: int  # longest name before the ending, in characters


@dataclass(frozen=True)
class _Vocabulary:
    body_suffixes: tuple[str, ...]
    addressee_starts: tuple[str, ...]
    body_never_inside: tuple[str, ...]
    body_chars: re.Pattern[str]
    body_min: int
    body_max: int
    header_ending: str
    notice_lead: str
    notice: re.Pattern[str]
    separators: tuple[str, ...]
    national_names: frozenset[str]
    national_prefixes: tuple[str, ...]
    national_suffixes: tuple[str, ...]
    national_excludes: tuple[str, ...]
    party_prefix: str
    level_rank: dict[str, int]
    place_endings: tuple[tuple[str, tuple[_PlaceEnding, ...]], ...]  # per level, in order
    municipalities: tuple[str, ...]
    municipality_ending: str
    not_followed_by: dict[str, str]
    not_places: frozenset[str]
    zone_endings: tuple[str, ...]
    place_never_inside: tuple[str, ...]
    abbreviations: dict[str, str]
    date_line: re.Pattern[str]
    numerals: dict[str, int]
    ten: str
    print_mark: str
    sentence_ends: str
    line_markup: str
    closers: str


def _load() -> dict[str, Any]:
    with (Path(__file__).parent / "data" / "cover.toml").open("rb") as handle:
        return tomllib.load(handle)


@cache
def _vocabulary() -> _Vocabulary:
    data = _load()
    body, notice, national, places, dates = (
        data["body"],
        data["notice"],
        data["national"],
        data["places"],
        data["date"],
    )
    separators = tuple(notice["separators"])
    sender_chars = "".join(re.escape(s) for s in separators if len(s) == 1)
    verbs = "|".join(re.escape(v) for v in notice["verbs"])
    notice_re = re.compile(
        rf"(?P<senders>[\u4e00-\u9fff(){sender_chars}]{{2,120}}?)"
        rf"(?:{re.escape(notice['lead'])}(?:{verbs})|(?:{verbs})(?=[{re.escape(notice['title_opens'])}]))"
    )
    zeros, digits, ten = dates["zeros"], dates["digits"], dates["ten"]
    numerals = {ch: 0 for ch in zeros} | {ch: i + 1 for i, ch in enumerate(digits)}
    year = rf"(\d{{4}}|[{re.escape(zeros)}{digits}]{{4}})"
    small = rf"(\d{{1,2}}|[{digits}{ten}]{{1,3}})"
    # A date at the end of a line, perhaps after a signature, perhaps with a bracketed note.
    date_line = re.compile(rf"{year}年{small}月{small}日(?:\([^()]{{0,20}}\))?$")
    return _Vocabulary(
        body_suffixes=tuple(sorted(body["suffixes"], key=len, reverse=True)),
        addressee_starts=tuple(body["addressee_starts"]),
        body_never_inside=tuple(body["never_inside"]),
        body_chars=re.compile(rf"[\u4e00-\u9fff{re.escape(body['extra_chars'])}]+"),
        body_min=int(body["min_length"]),
        body_max=int(body["max_length"]),
        header_ending=data["header"]["ending"],
        notice_lead=notice["lead"],
        notice=notice_re,
        separators=separators,
        national_names=frozenset(national["names"]),
        national_prefixes=tuple(national["prefixes"]),
        national_suffixes=tuple(national["suffixes"]),
        national_excludes=tuple(national["suffix_rule_excludes"]),
        party_prefix=data["party"]["prefix"],
        level_rank={name: i for i, name in enumerate(data["levels"]["order"])},
        place_endings=tuple(
            (
                entry["level"],
                tuple(
                    _PlaceEnding(entry["level"], ending, int(longest))
                    for ending, longest in entry["endings"]
                ),
            )
            for entry in data["levels"]["place"]
        ),
        municipalities=tuple(places["municipalities"]),
        municipality_ending=places["municipality_ending"],
        not_followed_by=dict(places["not_followed_by"]),
        not_places=frozenset(places["not_places"]),
        zone_endings=tuple(places["zone_endings"]),
        place_never_inside=tuple(places["never_inside"]),
        abbreviations=dict(places["abbreviations"]),
        date_line=date_line,
        numerals=numerals,
        ten=ten,
        print_mark=dates["print_mark"],
        sentence_ends=dates["sentence_ends"],
        line_markup=data["layout"]["line_markup"],
        closers=data["layout"]["closers"],
    )


# ---------------------------------------------------------------------------------------
# Lines: the original and its shadow, whitespace and end markup removed, same length


@dataclass(frozen=True)
class _Line:
    text: str
    shadow: str
    parts: tuple[tuple[str, str], ...]  # whitespace-separated pieces (text, shadow)


def _lines(text: str) -> list[_Line]:
    vocab = _vocabulary()
    shadow = matching_shadow(text)
    lines: list[_Line] = []
    start = 0
    for raw_shadow in re.split(r"[\n\r]", shadow):
        end = start + len(raw_shadow)
        raw = text[start:end]
        start = end + 1
        # Markup only at the ends: a `#` or `*` inside a line is text.
        inner = raw_shadow.strip().strip(vocab.line_markup).strip()
        if not inner:
            continue
        offset = raw_shadow.index(inner)
        raw, raw_shadow = raw[offset : offset + len(inner)], inner
        parts = tuple(
            (raw[m.start() : m.end()], m.group()) for m in re.finditer(r"\S+", raw_shadow)
        )
        lines.append(_Line("".join(p[0] for p in parts), "".join(p[1] for p in parts), parts))
    return lines


# ---------------------------------------------------------------------------------------
# Bodies


def _is_body(shadow: str) -> bool:
    """A whole line (or piece of one) that reads as one issuing body's name."""
    vocab = _vocabulary()
    return (
        vocab.body_min <= len(shadow) <= vocab.body_max
        and vocab.body_chars.fullmatch(shadow) is not None
        and not shadow.startswith(vocab.addressee_starts)
        and not any(word in shadow for word in vocab.body_never_inside)
        and shadow.endswith(vocab.body_suffixes)
    )


def _place_name_ok(name: str, place: str, ending: _PlaceEnding, follow: str) -> bool:
    vocab = _vocabulary()
    return (
        1 <= len(name) <= ending.max_name
        and place not in vocab.not_places
        and not place.endswith(vocab.zone_endings)
        and not any(word in name for word in vocab.place_never_inside)
        and not (follow and follow in vocab.not_followed_by.get(ending.ending, ""))
    )


def _place_chain(shadow: str) -> list[tuple[str, int, int]]:
    """Places named at the start of `shadow`, outermost first: (level, start, end)."""
    vocab = _vocabulary()
    chain: list[tuple[str, int, int]] = []
    pos = 0
    for level, endings in vocab.place_endings:
        if level == "city":
            municipality = next(
                (m for m in vocab.municipalities if shadow.startswith(m, pos)), None
            )
            if municipality is not None and not chain:
                end = pos + len(municipality)
                if shadow.startswith(vocab.municipality_ending, end):
                    end += len(vocab.municipality_ending)
                chain.append(("city", pos, end))
                pos = end
                continue
        found = _place_at(shadow, pos, endings)
        if found is not None:
            chain.append((level, pos, found))
            pos = found
    return chain


def _place_at(shadow: str, pos: int, endings: tuple[_PlaceEnding, ...]) -> int | None:
    """End of the shortest place name at `pos` with one of `endings`, if any."""
    longest = max(e.max_name for e in endings)
    for size in range(1, longest + 1):
        name_end = pos + size
        if name_end >= len(shadow):
            return None
        for ending in endings:
            if shadow.startswith(ending.ending, name_end):
                end = name_end + len(ending.ending)
                follow = shadow[end : end + 1]
                if _place_name_ok(shadow[pos:name_end], shadow[pos:end], ending, follow):
                    return end
    return None


def _is_national(shadow: str) -> bool:
    vocab = _vocabulary()
    return shadow in vocab.national_names or shadow.startswith(vocab.national_prefixes)


def _anchored(shadow: str) -> bool:
    """A body whose name says where it sits: national, or led by a place (or 中共 + place)."""
    if _is_national(shadow):
        return True
    party = _vocabulary().party_prefix
    core = shadow[len(party) :] if shadow.startswith(party) else shadow
    return bool(_place_chain(core))


def _split_bodies(text: str, shadow: str) -> list[str] | None:
    """The bodies one piece of a line names: several run together (a co-issued red header,
    上海市科学技术委员会上海市松江区人民政府), or one. None when it is not bodies."""
    if len(shadow) > 4 * _vocabulary().body_max:
        return None  # a paragraph, not a header: spare the segmentation
    best = _segment(shadow, 0, {}, whole=False)
    if best is not None:
        return [text[i:j] for i, j in best]
    return [text] if _is_body(shadow) else None


def _segment(
    shadow: str, pos: int, memo: dict[int, list[tuple[int, int]] | None], *, whole: bool = True
) -> list[tuple[int, int]] | None:
    """Fewest anchored bodies covering shadow[pos:], separators allowed between them; with
    `whole` False, at least two."""
    if whole and pos in memo:
        return memo[pos]
    best: list[tuple[int, int]] | None = None
    for end in range(len(shadow) if whole else len(shadow) - 1, pos, -1):
        piece = shadow[pos:end]
        if not (_is_body(piece) and _anchored(piece)):
            continue
        if end == len(shadow):
            rest: list[tuple[int, int]] | None = []
        else:
            rest = None
            for sep in ("", *_vocabulary().separators):
                if shadow.startswith(sep, end):
                    rest = _segment(shadow, end + len(sep), memo)
                    if rest is not None:
                        break
        if rest is not None and (best is None or len(rest) + 1 < len(best)):
            best = [(pos, end), *rest]
    if whole:
        memo[pos] = best
    return best


def _line_bodies(line: _Line) -> list[str] | None:
    """Bodies filling a whole line: one, several side by side, or several run together."""
    if len(line.parts) > 1:
        # Side by side only if every piece says where it sits: 上海市人民政府 办公厅 is one name.
        found: list[str] = []
        for text, shadow in line.parts:
            bodies = _split_bodies(text, shadow)
            if bodies is None or not all(_anchored(matching_shadow(b)) for b in bodies):
                break
            found.extend(bodies)
        else:
            return found
    return _split_bodies(line.text, line.shadow)


def _header_bodies(line: _Line) -> list[str] | None:
    """The bodies of a red-header or running-header line (…人民政府办公厅文件)."""
    ending = _vocabulary().header_ending
    if not line.shadow.endswith(ending) or len(line.shadow) <= len(ending):
        return None
    stem = len(line.shadow) - len(ending)
    return _split_bodies(line.text[:stem], line.shadow[:stem])


# ---------------------------------------------------------------------------------------
# Dates


def _numeral(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    vocab = _vocabulary()
    if vocab.ten in token:
        tens, _, units = token.partition(vocab.ten)
        if len(tens) > 1 or len(units) > 1:
            return None
        high = vocab.numerals.get(tens, -1) if tens else 1
        low = vocab.numerals.get(units, -1) if units else 0
        return None if high < 0 or low < 0 else high * 10 + low
    if len(token) == 1:
        return vocab.numerals.get(token)
    # A year spelt digit by digit: 二〇二三.
    value = 0
    for ch in token:
        digit = vocab.numerals.get(ch)
        if digit is None:
            return None
        value = value * 10 + digit
    return value


def _iso(year: str, month: str, day: str) -> str | None:
    y, m, d = _numeral(year), _numeral(month), _numeral(day)
    if y is None or m is None or d is None or y < 1900:
        return None
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


@dataclass(frozen=True)
class _DateLine:
    iso: str | None  # None when the date is not a real one (13月)
    signers: list[str]  # bodies written before the date on the same line


def _date_line(line: _Line) -> _DateLine | None:
    """A line that is a signature date: the date alone, or after the signing bodies, or after
    a sentence (line breaks lost). A date inside a sentence (到2025年…) is not one."""
    vocab = _vocabulary()
    match = vocab.date_line.search(line.shadow)
    if match is None:
        return None
    before = line.shadow[: match.start()]
    signers: list[str] = []
    if before:
        stop = max(before.rfind(ch) for ch in vocab.sentence_ends)
        head_start = stop + 1
        if head_start < len(before):
            bodies = _split_bodies(line.text[head_start : match.start()], before[head_start:])
            if bodies is None:
                return None
            signers = bodies
        elif stop < 0:
            return None
    return _DateLine(_iso(*match.groups()), signers)


# ---------------------------------------------------------------------------------------
# Issuers


@dataclass(frozen=True)
class _Found:
    order: tuple[int, ...]
    text: str


def _is_block(line: _Line) -> bool:
    """Lines of the cover's furniture: bodies, headers, a number, a date."""
    return (
        _line_bodies(line) is not None
        or _header_bodies(line) is not None
        or line.shadow == _vocabulary().header_ending
        or _date_line(line) is not None
        or _number_line(line)
    )


def _stands_alone(lines: list[_Line], i: int) -> bool:
    """A name line after a finished sentence or block, not the tail of a wrapped sentence or
    of a wrapped list of addressees."""
    if i == 0:
        return True
    previous = lines[i - 1]
    return previous.shadow.endswith(tuple(_vocabulary().closers)) or _is_block(previous)


def _printed_by(lines: list[_Line], i: int) -> bool:
    """Line `i` names the office of a footer's printing line (…办公厅 / 2023年5月19日印发)."""
    if i + 1 >= len(lines):
        return False
    following = lines[i + 1].shadow
    vocab = _vocabulary()
    return following.endswith(vocab.print_mark) and (
        vocab.date_line.search(following[: -len(vocab.print_mark)]) is not None
    )


def _signature_block(lines: list[_Line], i: int) -> list[tuple[int, str]]:
    """Bodies signing above the date line `i` (one per line, or side by side), with it."""
    found: list[tuple[int, str]] = []
    j = i - 1
    while j >= 0:
        bodies = _line_bodies(lines[j])
        if bodies is None:
            break
        found[:0] = [(j, b) for b in bodies]
        j -= 1
    dated = _date_line(lines[i])
    if dated is not None:
        found.extend((i, b) for b in dated.signers)
    return found


def signature_start(text: str) -> int | None:
    """Where the signature closing `text` begins, as an offset into it: the signing bodies on
    their own lines above a date line (a printing line …2023年5月19日印发 counts), with nothing
    after it but bracketed notes (（此件公开发布）). None when `text` does not end so, or when the
    lines above the date continue a sentence rather than sign it."""
    vocab = _vocabulary()
    spans = [m.span() for m in re.finditer(r"[^\n\r]+", text) if m.group().strip()]
    read: dict[int, list[_Line]] = {}

    def line(k: int) -> _Line | None:
        # Read from the end, and only as far as the signature goes: not the whole body.
        if k not in read:
            read[k] = _lines(text[slice(*spans[k])])
        return read[k][0] if read[k] else None

    k = len(spans) - 1
    while k >= 0 and ((at := line(k)) is None or re.fullmatch(r"\(.*\)", at.shadow)):
        k -= 1  # blank or markup-only lines and notes after the signature
    last = line(k) if k >= 0 else None
    if last is None:
        return None
    shadow = last.shadow.removesuffix(vocab.print_mark)
    date = vocab.date_line.search(shadow)
    if date is None:
        return None
    before = shadow[: date.start()]
    if before and (any(ch in before for ch in vocab.sentence_ends) or _date_line(last) is None):
        return None  # a sentence that ends in a date, not a signature
    top = k
    while top > 0 and (signer := line(top - 1)) is not None and _line_bodies(signer) is not None:
        top -= 1
    above = line(top - 1) if top > 0 else None
    if above is not None and not (above.shadow.endswith(tuple(vocab.closers)) or _is_block(above)):
        return None
    return spans[top][0]


def _cover_issuers(lines: list[_Line]) -> list[_Found]:
    """Red-header lines, lone name lines, signature blocks and notice senders, in order."""
    found: list[_Found] = []
    for i, line in enumerate(lines):
        bodies = _header_bodies(line)
        if bodies is None and _stands_alone(lines, i) and not _printed_by(lines, i):
            bodies = _line_bodies(line)
            if bodies is not None and not all(_anchored(matching_shadow(b)) for b in bodies):
                bodies = None  # a lone name away from a signature must say where it sits
        found.extend(_Found((1, i, k), b) for k, b in enumerate(bodies or ()))
        if _date_line(line) is not None:
            block = _signature_block(lines, i)
            found.extend(_Found((1, j, k), b) for k, (j, b) in enumerate(block))
        found.extend(_Found((1, i, 100 + k), b) for k, b in enumerate(_notice_senders(lines, i)))
    return found


def _notice_senders(lines: list[_Line], i: int) -> list[str]:
    """Senders of a notice whose title starts on line `i` (it may wrap over a few lines)."""
    vocab = _vocabulary()
    text = "".join(line.text for line in lines[i : i + 4])
    shadow = "".join(line.shadow for line in lines[i : i + 4])
    match = vocab.notice.match(shadow)
    if match is None:
        return []
    first = lines[i].shadow
    if "关于" not in first and not _is_body(first):
        return []  # a crawler's label line (政策全文) above the notice is not a sender
    senders: list[str] = []
    start = 0
    span_end = match.end("senders")
    # Split at a separator only where both sides are whole bodies (上海市经济和信息化委员会 is one).
    bodies = _split_bodies(text[:span_end], shadow[:span_end])
    if bodies is not None:
        return bodies
    for k in range(span_end + 1):
        if k == span_end or shadow[k] in vocab.separators:
            piece = _split_bodies(text[start:k], shadow[start:k])
            if piece is None:
                return []
            senders.extend(piece)
            start = k + 1
    return senders


def _closing_issuers(lines: list[_Line]) -> list[_Found]:
    """The signature at the end of a document without a notice: bodies above its last date,
    or name lines ending the text after a finished sentence."""
    last_date = next(
        (i for i in range(len(lines) - 1, -1, -1) if _date_line(lines[i]) is not None), None
    )
    if last_date is not None:
        return [_Found((2, j, k), b) for k, (j, b) in enumerate(_signature_block(lines, last_date))]
    end = len(lines)
    while end > 0 and re.fullmatch(r"\(.*\)", lines[end - 1].shadow):
        end -= 1  # a note after the signature: （此件公开发布）
    start = end
    while start > 0 and _line_bodies(lines[start - 1]) is not None:
        start -= 1
    if start == end or not _stands_alone(lines, start):
        return []
    return [
        _Found((2, j, k), b)
        for j in range(start, end)
        for k, b in enumerate(_line_bodies(lines[j]) or ())
    ]


def _title_senders(title: str) -> list[str]:
    """国务院关于做好…的若干意见: a title naming its own issuer before 关于."""
    line = _lines(title)
    if not line:
        return []
    text, shadow = line[0].text, line[0].shadow
    at = shadow.find(_vocabulary().notice_lead)
    if at <= 0:
        return []
    bodies = _split_bodies(text[:at], shadow[:at])
    if bodies is None or not all(_anchored(matching_shadow(b)) for b in bodies):
        return []
    return bodies


def _merge(found: list[_Found]) -> list[str]:
    """Document order, one entry per body. A name that ends another is the same body written
    shorter (松江区人民政府 under 上海市松江区人民政府, or a lost first character): keep the
    fuller wording at the first place either appears."""
    issuers: list[str] = []
    keys: list[str] = []
    for item in sorted(found, key=lambda f: f.order):
        key = matching_shadow(item.text)
        for n, seen in enumerate(keys):
            if seen.endswith(key) or key.endswith(seen):
                if len(key) > len(seen):
                    issuers[n], keys[n] = item.text, key
                break
        else:
            issuers.append(item.text)
            keys.append(key)
    return issuers


# ---------------------------------------------------------------------------------------
# Number, date, level


def _number_line(line: _Line) -> bool:
    match = DOC_NUMBER_PATTERN.search(line.shadow)
    return match is not None and match.start() == 0 and match.end() == len(line.shadow)


def _first_number(lines: list[_Line], *, loose: bool) -> str | None:
    """A number on a line of its own first; with `loose`, else the first not cited in
    brackets (…（国发〔2021〕29号）)."""
    for line in lines:
        if _number_line(line):
            return find_doc_number(line.text)
    if not loose:
        return None
    for line in lines:
        for match in DOC_NUMBER_PATTERN.finditer(line.shadow):
            before = line.shadow[: match.start()]
            if before.count("(") > before.count(")") or before.count("《") > before.count("》"):
                continue
            return find_doc_number(line.text[match.start() : match.end()])
    return None


def _first_date(lines: list[_Line], *, last: bool) -> str | None:
    order = range(len(lines) - 1, -1, -1) if last else range(len(lines))
    for i in order:
        dated = _date_line(lines[i])
        if dated is not None and dated.iso is not None:
            return dated.iso
    return None


def _locate(text: str) -> tuple[str | None, str | None]:
    """(level, region) of one issuing body's name."""
    vocab = _vocabulary()
    shadow = matching_shadow(text)
    if _is_national(shadow):
        return "national", None
    offset = len(vocab.party_prefix) if shadow.startswith(vocab.party_prefix) else 0
    chain = _place_chain(shadow[offset:])
    if chain:
        return _region(text[offset:], shadow[offset:], chain[-1])
    abbreviated = vocab.abbreviations.get(shadow[:1])
    if abbreviated is not None:
        return abbreviated, None
    if shadow.endswith(vocab.national_suffixes) and not any(
        word in shadow for word in vocab.national_excludes
    ):
        return "national", None
    return None, None


def _region(text: str, shadow: str, place: tuple[str, int, int]) -> tuple[str, str]:
    vocab = _vocabulary()
    level, start, end = place
    region = text[start:end]
    # 上海关于… names the city without its 市; the region is still 上海市.
    if shadow[start:end] in vocab.municipalities:
        region += vocab.municipality_ending
    return level, region


def _title_place(title: str) -> tuple[str | None, str | None]:
    line = _lines(title)
    if not line:
        return None, None
    text, shadow = line[0].text, line[0].shadow
    chain = _place_chain(shadow)
    return _region(text, shadow, chain[-1]) if chain else (None, None)


def _level_and_region(issuers: list[str], title: str) -> tuple[str | None, str | None]:
    rank = _vocabulary().level_rank
    best: tuple[str, str | None] | None = None
    for issuer in issuers:
        level, region = _locate(issuer)
        if level is not None and (best is None or rank[level] > rank[best[0]]):
            best = (level, region)
    if best is None:
        return _title_place(title)
    level, region = best
    if region is None and level != "national":
        # A body named without its place (市政府办公厅): the title may name the place.
        title_level, title_region = _title_place(title)
        if title_level == level:
            region = title_region
    return level, region


# ---------------------------------------------------------------------------------------
# The cover


def read_cover(
    cover: str,
    closing: str,
    title: str,
    *,
    running_headers: Sequence[str] = (),
    after_title: str = "",
) -> CoverFacts:
    """Issuers, number, date, level and region of one document.

    cover: the text before the plan's title (red header, number, the notice with its
    addressees, signature and date); closing: the last lines of the body before any 抄送/印发
    footer (where documents without a notice sign); title: the plan's title; running_headers:
    lines like 上海市松江区人民政府文件 the caller removed from the text; after_title: the few
    lines right under the title (a number printed there when the document has no cover).
    """
    cover_lines, closing_lines = _lines(cover), _lines(closing)

    found: list[_Found] = []
    # Running headers print the issuer on every page, the first above everything else.
    for n, line in enumerate(line for header in running_headers for line in _lines(header)):
        found.extend(_Found((0, n, k), body) for k, body in enumerate(_header_bodies(line) or ()))
    found.extend(_cover_issuers(cover_lines))
    found.extend(_closing_issuers(closing_lines))
    issuers = _merge(found)
    if not issuers:
        issuers = _title_senders(title)

    doc_number = (
        _first_number(cover_lines, loose=True)
        or _first_number(_lines(title), loose=True)
        or _first_number(_lines(after_title)[:3], loose=False)
    )
    issued_on = _first_date(cover_lines, last=False) or _first_date(closing_lines, last=True)
    level, region = _level_and_region(issuers, title)
    return CoverFacts(issuers, doc_number, issued_on, level, region)


_GOVERNMENT_IN_TEXT = re.compile(
    r"(?:中共)?([\u4e00-\u9fff]{2,6}?(?:省|自治区|市|区|县))(?:委|人民政府)(?![\u4e00-\u9fff]{0,2}办)"
)


def locate_from_text(text: str) -> tuple[str | None, str | None]:
    """(level, region) of the government a text names most often (中共广州市委、广州市人民政府
    in a preamble): the last resort for a crawl that kept neither cover nor signature."""
    counts: dict[str, int] = {}
    for match in _GOVERNMENT_IN_TEXT.finditer(matching_shadow(text)):
        counts[match.group(1)] = counts.get(match.group(1), 0) + 1
    if not counts:
        return None, None
    place = max(counts, key=lambda name: (counts[name], -len(name)))
    return _locate(place + "人民政府")
