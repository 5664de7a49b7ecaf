"""Responsibility parentheticals: who does a task, and in what role.

A task or measure may end with a parenthetical naming its owners: （责任单位：A、B）,
（牵头单位：A，配合单位：B）, （A牵头，B参与）, （A、B负责。列第一位者为牵头单位，下同）,
（A、B指导）, or a bare （A、B） at the very end. This module finds them and reads the units
with their roles (lead, co, support).

Matching happens in `matching_shadow` of the text with whitespace squeezed out, so width and
script never matter; names are cut from the original at the same offsets and keep the
document's characters. The wording itself (labels, role words, separators, rule phrases)
is data: data/owners.toml.
"""

from __future__ import annotations

import re
import tomllib
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from schema.normalize import matching_shadow

__all__ = ["Assignment", "Responsibility", "find_responsibilities", "read_listing"]

_DATA_FILE = Path(__file__).resolve().parent / "data" / "owners.toml"

# Kinds a unit can have while reading; "owner" becomes lead or co once the whole list is read.
_LEAD, _SUPPORT, _OWNER = "lead", "support", "owner"
_SCOPE, _OTHER = "scope", "other"
_UNIT_KINDS = (_LEAD, _SUPPORT, _OWNER)


@dataclass(frozen=True)
class Assignment:
    name: str  # the unit as written, whitespace removed
    role: str  # "lead" | "co" | "support"


@dataclass
class Responsibility:
    start: int  # span of the whole parenthetical in the given text, brackets included
    end: int
    assignments: list[Assignment]
    lead_rule: str | None = None  # a stated rule such as 列第一位者为牵头单位
    scope: str | None = None  # a scope clause's content (适用范围：…), not an owner
    problems: list[str] = field(default_factory=list)  # odd brackets and the like, one line each
    bracketed: bool = True  # False for a label closing the text without brackets

    @property
    def names(self) -> list[str]:
        return [assignment.name for assignment in self.assignments]


# --- the data file ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rules:
    opens: frozenset[str]
    closes: frozenset[str]
    set_off_after: frozenset[str]
    trailing: frozenset[str]
    max_chars: int
    name_seps: frozenset[str]
    sentence_seps: frozenset[str]
    colons: tuple[str, ...]
    labels: tuple[tuple[str, str], ...]  # (word, kind), longest word first
    generic_label: re.Pattern[str]
    colonless_min_chars: int
    roles: tuple[tuple[str, str], ...]  # (word, kind), longest word first
    role_words: dict[str, str]
    modifiers: tuple[str, ...]
    rule_markers: tuple[str, ...]
    rule_trailers: tuple[str, ...]
    strip_prefixes: tuple[str, ...]
    etc: str
    etc_kept_tails: frozenset[str]
    etc_dropped_tails: frozenset[str]
    collective_prefixes: tuple[str, ...]
    level_piece: re.Pattern[str]
    name_max_chars: int
    not_in_names: frozenset[str]
    body_suffixes: tuple[str, ...]
    body_prefixes: tuple[str, ...]
    body_names: frozenset[str]


def _folded(words: list[str]) -> tuple[str, ...]:
    # Longest first, so that 牵头负责 wins over 负责 and 委员会 over 会.
    return tuple(sorted({matching_shadow(word) for word in words}, key=len, reverse=True))


def _alternation(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(word) for word in words)


def _kinds(table: dict[str, Any], kinds: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    pairs = {matching_shadow(word): kind for kind in kinds for word in table[kind]}
    return tuple(sorted(pairs.items(), key=lambda pair: len(pair[0]), reverse=True))


@cache
def _rules() -> _Rules:
    with _DATA_FILE.open("rb") as handle:
        raw = tomllib.load(handle)
    brackets, seps, labels = raw["brackets"], raw["separators"], raw["labels"]
    roles, rule, names, bodies = raw["roles"], raw["lead_rule"], raw["names"], raw["bodies"]
    generic = _alternation(_folded(labels["generic_suffixes"]))
    level = _alternation(_folded(names["level_nouns"]))
    level_suffix = _alternation(_folded(names["level_suffixes"]))
    role_pairs = _kinds(roles, _UNIT_KINDS)
    return _Rules(
        opens=frozenset(_folded(brackets["open"])),
        closes=frozenset(_folded(brackets["close"])),
        set_off_after=frozenset(_folded(brackets["set_off_after"])),
        trailing=frozenset(_folded(brackets["trailing"])),
        max_chars=int(brackets["max_chars"]),
        name_seps=frozenset(_folded(seps["name"])),
        sentence_seps=frozenset(_folded(seps["sentence"])),
        colons=_folded(seps["colon"]),
        labels=_kinds(labels, (*_UNIT_KINDS, _SCOPE, _OTHER)),
        generic_label=re.compile(
            rf"[\u3400-\u9fff]{{0,{int(labels['generic_max_chars'])}}}(?:{generic}):"
        ),
        colonless_min_chars=int(labels["colonless_min_chars"]),
        roles=role_pairs,
        role_words=dict(role_pairs),
        modifiers=_folded(roles["modifiers"]),
        rule_markers=_folded(rule["markers"]),
        rule_trailers=_folded(rule["trailers"]),
        strip_prefixes=_folded(names["strip_prefixes"]),
        etc=matching_shadow(names["etc"]),
        etc_kept_tails=frozenset(_folded(names["etc_kept_tails"])),
        etc_dropped_tails=frozenset(_folded(names["etc_dropped_tails"])),
        collective_prefixes=_folded(names["collective_prefixes"]),
        level_piece=re.compile(rf"(?:{level})(?:{level_suffix})?"),
        name_max_chars=int(names["max_chars"]),
        not_in_names=frozenset(_folded(names["not_in_names"])),
        body_suffixes=_folded(bodies["suffixes"]),
        body_prefixes=_folded(bodies["prefixes"]),
        body_names=frozenset(_folded(bodies["names"])),
    )


# --- text with whitespace squeezed out ----------------------------------------------------


@dataclass(frozen=True)
class _Squeezed:
    original: str  # the text without whitespace
    shadow: str  # its matching shadow, same length
    offsets: Sequence[int]  # offsets[k]: where squeezed character k sits in the given text

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Offsets in the given text of squeezed [start, end) (end > start)."""
        return self.offsets[start], self.offsets[end - 1] + 1


def _squeeze(text: str) -> _Squeezed:
    shadow = matching_shadow(text)
    if not _SPACE.search(text) and not _SPACE.search(shadow):
        # Callers pass text whose whitespace is already gone: no copy, no offset table (a
        # 50 MB paragraph would otherwise cost ~36 bytes per character in int objects).
        return _Squeezed(original=text, shadow=shadow, offsets=range(len(text)))
    keep = array("q", (i for i, ch in enumerate(text) if not (ch.isspace() or shadow[i].isspace())))
    return _Squeezed(
        original="".join(text[i] for i in keep),
        shadow="".join(shadow[i] for i in keep),
        offsets=keep,
    )


_SPACE = re.compile(r"\s")


# --- reading the content between the brackets ---------------------------------------------


@dataclass
class _Item:
    start: int
    end: int
    kind: str | None = None  # lead | support | owner; None until its run's role word is read
    explicit: bool = False  # set by a role note on this unit alone (A（牵头）)


@dataclass
class _Piece:
    start: int
    end: int
    after_broken_open: bool  # follows a bracket that is never closed: 区经委（牵头…


@dataclass
class _Reading:
    items: list[_Item]
    lead_rule: str | None
    scope: str | None
    problems: list[str]


class _ContentReader:
    """Reads squeezed [start, end) as the inside of a responsibility parenthetical.

    `lenient` is for a label the caller already knows is one (read_listing): units
    with no role word and no label are owners rather than a reason to refuse.
    """

    def __init__(self, squeezed: _Squeezed, start: int, end: int, *, lenient: bool) -> None:
        self.sq = squeezed
        self.sh = squeezed.shadow
        self.start, self.end = start, end
        self.lenient = lenient
        self.r = _rules()
        self.items: list[_Item] = []
        self.pending: list[_Item] = []  # units read since the last role word
        self.loose: list[_Item] = []  # units no role word or label covers
        self.segment: str | None = None  # kind of the label in force, None before any
        self.previous: _Item | None = None  # unit read from the piece just before
        self.saw_unit_label = False
        self.saw_role = False
        self.saw_note = False  # a unit marked alone: 区经委（牵头）
        self.rules: list[str] = []
        self.scopes: list[list[int]] = []
        self.problems: list[str] = []

    # The structure: brackets, pieces, sentences.

    def _unmatched_brackets(self) -> set[int]:
        stack: list[int] = []
        stray: set[int] = set()
        for j in range(self.start, self.end):
            ch = self.sh[j]
            if ch in self.r.opens:
                stack.append(j)
            elif ch in self.r.closes:
                if stack:
                    stack.pop()
                else:
                    stray.add(j)
        content = self.sq.original[self.start : self.end]
        if stack:
            self.problems.append(f"bracket opened inside the label is never closed: {content}")
        if stray:
            self.problems.append(f"stray closing bracket inside the label: {content}")
        return stray | set(stack)

    def _sentences(self) -> list[list[_Piece]]:
        # A bracket that never pairs up separates units, so the units around it survive.
        broken = self._unmatched_brackets()
        sentences: list[list[_Piece]] = [[]]
        depth, piece_start, after_open = 0, self.start, False
        for j in range(self.start, self.end):
            ch = self.sh[j]
            cut = new_sentence = False
            if j in broken:
                cut = True
            elif ch in self.r.opens:
                depth += 1
            elif ch in self.r.closes:
                depth -= 1
            elif depth == 0 and ch in self.r.name_seps:
                cut = True
            elif depth == 0 and ch in self.r.sentence_seps:
                cut = new_sentence = True
            if cut:
                sentences[-1].append(_Piece(piece_start, j, after_open))
                piece_start = j + 1
                after_open = j in broken and ch in self.r.opens
            if new_sentence:
                sentences.append([])
        sentences[-1].append(_Piece(piece_start, self.end, after_open))
        return [[piece for piece in sentence if piece.start < piece.end] for sentence in sentences]

    # Reading.

    def read(self) -> _Reading | None:
        for sentence in self._sentences():
            for piece in self._take_rule(sentence):
                self._piece(piece)
            self._flush()
            self.previous = None
        if self.loose and not self._settle_loose():
            return None
        # Without a label only units make it ours, and prose must not pass for units.
        if not (self.lenient or self.saw_unit_label) and not (self.items and self._all_unit_like()):
            return None
        if not self.items:
            self.problems.append("the label names no unit")
        self._note_brackets_in_names()
        scope = "；".join(self._cut_trimmed(s, e) for s, e in self.scopes) or None
        return _Reading(self.items, "。".join(self.rules) or None, scope, self.problems)

    @property
    def is_bare(self) -> bool:
        """Only units, no label or role word: counts only as the last thing in a text."""
        return not (self.saw_role or self.saw_unit_label or self.saw_note)

    def _settle_loose(self) -> bool:
        """Units that no role word or label covers: owners, or a reason to refuse."""
        bare_bodies = (
            not self.saw_role
            and not self.saw_unit_label
            and not self.scopes
            and all(self._reads_as_body(item) for item in self.items)
        )
        if self.lenient or (self.saw_note and not self.saw_role) or bare_bodies:
            # （A（牵头）、B）, a bare list of bodies （A、B） or a caller's known label.
            for item in self.loose:
                item.kind = _OWNER
            return True
        return False

    def _take_rule(self, sentence: list[_Piece]) -> list[_Piece]:
        """The sentence's pieces before a stated rule; the rule itself is kept."""
        for index, piece in enumerate(sentence):
            shadow = self.sh[piece.start : piece.end]
            if any(marker in shadow for marker in self.r.rule_markers):
                self.rules.append(self._rule_text(piece.start, sentence[-1].end))
                return sentence[:index]
        return sentence

    def _rule_text(self, start: int, end: int) -> str:
        dropped = [False] * (end - start)
        for trailer in self.r.rule_trailers:
            at = self.sh.find(trailer, start, end)
            while at != -1:
                dropped[at - start : at - start + len(trailer)] = [True] * len(trailer)
                at = self.sh.find(trailer, at + len(trailer), end)
        kept = [(j, self.sq.original[j]) for j in range(start, end) if not dropped[j - start]]
        text = "".join(ch for _, ch in kept)
        trimmed = self._strip_punctuation(text, [self.sh[j] for j, _ in kept])
        # A rule that is only 下同 still says something: keep it rather than nothing.
        return trimmed or self._cut_trimmed(start, end)

    def _piece(self, piece: _Piece) -> None:
        start, end = piece.start, piece.end
        label = _label_at(self.sq, start, end)
        if label is not None:
            kind, start, problem = label
            if problem:
                self.problems.append(problem)
            self._flush()
            self.segment, self.previous = kind, None
            if kind == _SCOPE:
                self.scopes.append([start, end])
                return
            if kind in _UNIT_KINDS:
                self.saw_unit_label = True
        elif self.segment == _SCOPE:
            self.scopes[-1][1] = end
            return
        if self.segment != _OTHER:
            self._unit(start, end, piece)

    def _unit(self, start: int, end: int, piece: _Piece) -> None:
        start, end = self._trim(start, end)
        if start >= end:
            self.previous = None
            return
        note, end = self._role_note(start, end)
        role, end = self._role_suffix(start, end)
        if role is not None and start >= end:
            # Only a role word: after a broken bracket it notes the unit before (区经委（牵头);
            # otherwise it closes the run (A、B，按职责分工负责).
            if piece.after_broken_open and self.previous is not None:
                self.previous.kind, self.previous.explicit = role, True
                self.saw_note = True
            else:
                self._close_run(role)
            self.previous = None
            return
        start = self._strip_prefixes(start, end)
        item = None
        for span_start, span_end in self._split_etc(start, end):
            item = self._add(span_start, span_end)
        if item is not None and note is not None:
            item.kind, item.explicit = note, True
            self.saw_note = True
        self.previous = item
        if role is not None:
            self._close_run(role)

    def _add(self, start: int, end: int) -> _Item | None:
        start, end = self._trim(start, end)
        if start >= end:
            return None
        previous = self.previous
        if (
            previous is not None
            and self.r.level_piece.fullmatch(self.sh, start, end)
            and any(self.sh.startswith(p, previous.start) for p in self.r.collective_prefixes)
        ):
            # 各区、县级市: the bare level belongs to the collective before it.
            previous.end = end
            return previous
        item = _Item(start, end)
        self.items.append(item)
        self.pending.append(item)
        return item

    def _close_run(self, kind: str) -> None:
        self.saw_role = True
        for item in self.pending:
            if not item.explicit:
                item.kind = kind
        self.pending.clear()

    def _flush(self) -> None:
        """End of a label's segment or a sentence: units still waiting take the label's kind."""
        for item in self.pending:
            if item.kind is None:
                if self.segment in _UNIT_KINDS:
                    item.kind = self.segment
                else:
                    self.loose.append(item)
        self.pending.clear()

    # Pieces of a unit's text.

    def _role_note(self, start: int, end: int) -> tuple[str | None, int]:
        """A trailing bracket holding only a role word: 区经委（牵头）."""
        if self.sh[end - 1] not in self.r.closes:
            return None, end
        depth = 0
        for j in range(end - 1, start - 1, -1):
            ch = self.sh[j]
            if ch in self.r.closes:
                depth += 1
            elif ch in self.r.opens:
                depth -= 1
                if depth == 0:
                    kind = self.r.role_words.get(self.sh[j + 1 : end - 1])
                    return (kind, self._trim(start, j)[1]) if kind else (None, end)
        return None, end

    def _role_suffix(self, start: int, end: int) -> tuple[str | None, int]:
        for word, kind in self.r.roles:
            if self.sh.endswith(word, start, end):
                return kind, self._strip_modifiers(start, end - len(word))
        return None, end

    def _strip_modifiers(self, start: int, end: int) -> int:
        stripped = True
        while stripped:
            stripped = False
            for word in self.r.modifiers:
                if end - len(word) >= start and self.sh.endswith(word, start, end):
                    end -= len(word)
                    stripped = True
        return end

    def _strip_prefixes(self, start: int, end: int) -> int:
        for word in self.r.strip_prefixes:
            if self.sh.startswith(word, start, end) and start + len(word) < end:
                return start + len(word)
        return start

    def _split_etc(self, start: int, end: int) -> list[tuple[int, int]]:
        etc = self.r.etc
        if self.sh.endswith(etc, start, end):
            return [(start, end - len(etc))]
        at = self.sh.find(etc, start, end)
        while at != -1:
            tail = self.sh[at + len(etc) : end]
            if tail in self.r.etc_kept_tails:
                return [(start, at), (at + len(etc), end)]
            if tail in self.r.etc_dropped_tails:
                return [(start, at)]
            at = self.sh.find(etc, at + 1, end)  # 等 inside a name: 高等教育处
        return [(start, end)]

    def _trim(self, start: int, end: int) -> tuple[int, int]:
        junk = self.r.name_seps | self.r.sentence_seps | {":", "."}
        while start < end and self.sh[start] in junk:
            start += 1
        while end > start and self.sh[end - 1] in junk:
            end -= 1
        return start, end

    def _strip_punctuation(self, text: str, shadow: list[str]) -> str:
        junk = self.r.name_seps | self.r.sentence_seps | {":", ".", ","}
        start, end = 0, len(text)
        while start < end and shadow[start] in junk:
            start += 1
        while end > start and shadow[end - 1] in junk:
            end -= 1
        return text[start:end]

    def _cut_trimmed(self, start: int, end: int) -> str:
        return self._strip_punctuation(self.sq.original[start:end], list(self.sh[start:end]))

    # Checks on the units read.

    def _without_groups(self, item: _Item) -> str:
        """The unit's shadow with bracketed groups taken out: 市科委（市知识产权局） -> 市科委."""
        out: list[str] = []
        depth = 0
        for ch in self.sh[item.start : item.end]:
            if ch in self.r.opens:
                depth += 1
            elif ch in self.r.closes:
                depth = max(depth - 1, 0)
            elif depth == 0:
                out.append(ch)
        return "".join(out)

    def _reads_as_body(self, item: _Item) -> bool:
        name = self._without_groups(item)
        return (
            name in self.r.body_names
            or name.endswith(self.r.body_suffixes)
            or (name.startswith(self.r.body_prefixes) and len(name) > 1)
        )

    def _all_unit_like(self) -> bool:
        """Without a label, prose in brackets must not pass for a list of units."""
        for item in self.items:
            name = self.sh[item.start : item.end]
            if len(name) > self.r.name_max_chars or any(ch in self.r.not_in_names for ch in name):
                return False
        return True

    def _note_brackets_in_names(self) -> None:
        for item in self.items:
            name = self.sh[item.start : item.end]
            if any(ch in self.r.opens for ch in name) and not self._only_levels_inside(item):
                written = self.sq.original[item.start : item.end]
                self.problems.append(f"bracket kept inside a unit's name: {written}")

    def _only_levels_inside(self, item: _Item) -> bool:
        # 各区（县级市） is ordinary writing, not an oddity worth reporting.
        parts = [
            part for group in self._groups(item) for part in _split_on(group, self.r.name_seps)
        ]
        return bool(parts) and all(self.r.level_piece.fullmatch(part) for part in parts)

    def _groups(self, item: _Item) -> list[str]:
        """Shadow contents of the outermost bracketed groups in a unit's name."""
        groups: list[str] = []
        depth = begin = 0
        for j in range(item.start, item.end):
            ch = self.sh[j]
            if ch in self.r.opens:
                if depth == 0:
                    begin = j + 1
                depth += 1
            elif ch in self.r.closes and depth:
                depth -= 1
                if depth == 0:
                    groups.append(self.sh[begin:j])
        return groups


def _split_on(text: str, separators: frozenset[str]) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    for ch in text:
        if ch in separators:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


def _label_at(squeezed: _Squeezed, start: int, end: int) -> tuple[str, int, str | None] | None:
    """A label at `start` (责任单位：): its kind, where its units begin, and any problem."""
    r, shadow = _rules(), squeezed.shadow
    for word, kind in r.labels:
        if shadow.startswith(word, start, end):
            after = start + len(word)
            for colon in r.colons:
                if shadow.startswith(colon, after, end):
                    return kind, after + len(colon), None
            # A full label word with its colon lost (责任单位 市经委, spaces squeezed out).
            if len(word) >= r.colonless_min_chars and after < end:
                label = squeezed.original[start:after]
                return kind, after, f"label {label} has no colon"
    generic = r.generic_label.match(shadow, start, end)
    if generic:
        label = squeezed.original[start : generic.end() - 1]
        return _OWNER, generic.end(), f"unknown label {label} read as naming owners"
    return None


# --- finding the parentheticals -----------------------------------------------------------


def _is_set_off(shadow: str, at: int) -> bool:
    return at == 0 or shadow[at - 1] in _rules().set_off_after


def _at_end(shadow: str, end: int) -> bool:
    trailing = _rules().trailing
    return all(ch in trailing for ch in shadow[end:])


@dataclass(frozen=True)
class _Cut:
    content_start: int
    content_end: int
    end: int  # exclusive end of the whole parenthetical, brackets included
    problems: tuple[str, ...] = ()


def _cuts(squeezed: _Squeezed, at: int) -> list[_Cut]:
    """Where the parenthetical opening at `at` may end, most likely first."""
    r, shadow = _rules(), squeezed.shadow
    n = len(shadow)
    limit = min(n, at + r.max_chars + 2)
    depth = 0
    fallback: int | None = None  # a close that leaves a bracket open but ends a list
    swallowed = False  # a sentence ended inside an inner bracket: that bracket was never closed
    for j in range(at, limit):
        ch = shadow[j]
        if ch in r.opens:
            depth += 1
        elif ch in r.closes:
            depth -= 1
            if depth == 0:
                if swallowed and fallback is not None:
                    break
                return _balanced_cuts(squeezed, at, j)
            if fallback is None and (j + 1 >= n or shadow[j + 1] not in r.name_seps):
                fallback = j
        elif depth > 1 and ch in r.sentence_seps:
            swallowed = True
    if fallback is not None:
        return [_Cut(at + 1, fallback, fallback + 1)]
    # The closing bracket was lost: only a label word makes the rest of the sentence ours.
    if _label_at(squeezed, at + 1, n) is None:
        return []
    end = next((j for j in range(at + 1, limit) if shadow[j] in r.sentence_seps), limit)
    if end <= at + 1:
        return []
    return [_Cut(at + 1, end, end, ("closing bracket missing",))]


def _balanced_cuts(squeezed: _Squeezed, at: int, close: int) -> list[_Cut]:
    r, shadow = _rules(), squeezed.shadow
    n = len(shadow)
    plain = _Cut(at + 1, close, close + 1)
    after = close + 1
    if after < n and shadow[after] in r.closes:
        return [_Cut(at + 1, close, after + 1, ("extra closing bracket after the label",)), plain]
    if after < n and shadow[after] in r.name_seps:
        # （责任单位：A）、B）: a stray close inside; the list goes on to the real one.
        for j in range(after + 1, min(n, after + r.max_chars)):
            ch = shadow[j]
            if ch in r.opens or ch in r.sentence_seps:
                break
            if ch in r.closes:
                return [_Cut(at + 1, j, j + 1), plain]
    return [plain]


def _read_at(squeezed: _Squeezed, at: int) -> tuple[Responsibility, int] | None:
    for cut in _cuts(squeezed, at):
        reader = _ContentReader(squeezed, cut.content_start, cut.content_end, lenient=False)
        reading = reader.read()
        if reading is None:
            continue
        if reader.is_bare and not _at_end(squeezed.shadow, cut.end):
            continue  # a bare list of bodies counts only as the last thing in the text
        start, end = squeezed.span(at, cut.end)
        return _responsibility(squeezed, start, end, reading, list(cut.problems)), cut.end
    return None


def _responsibility(
    squeezed: _Squeezed, start: int, end: int, reading: _Reading, problems: list[str]
) -> Responsibility:
    has_lead = any(item.kind == _LEAD for item in reading.items)
    assignments: list[Assignment] = []
    for item in reading.items:
        role = item.kind
        if role == _OWNER or role is None:
            # Owners: the first leads unless a unit was named lead; the others share the task.
            role = "co" if has_lead else _LEAD
            has_lead = True
        assignments.append(Assignment(squeezed.original[item.start : item.end], role))
    return Responsibility(
        start=start,
        end=end,
        assignments=assignments,
        lead_rule=reading.lead_rule,
        scope=reading.scope,
        problems=problems + reading.problems,
    )


def find_responsibilities(text: str, *, at_end_only: bool = False) -> list[Responsibility]:
    """Every responsibility parenthetical in `text`, in order.

    `text` is one item's text (whitespace already removed; width and script as written).
    A parenthetical counts only when set off (at the start of the text or after a sentence
    end or a closing bracket/quote) and when its content reads as units: a label
    (责任单位：…), runs closed by role words (A牵头，B参与), or — only as the last thing in the
    text — a bare list of bodies (各有关单位). With `at_end_only`, only parentheticals followed
    by nothing but sentence punctuation are returned.
    """
    squeezed = _squeeze(text)
    shadow, opens = squeezed.shadow, _rules().opens
    found: list[Responsibility] = []
    at = 0
    opener = re.compile("[" + re.escape("".join(sorted(opens))) + "]")
    while at < len(shadow):
        # Jump from bracket to bracket: a long paragraph is scanned by the regex engine.
        next_open = opener.search(shadow, at)
        if next_open is None:
            break
        at = next_open.start()
        if _is_set_off(shadow, at):
            hit = _read_at(squeezed, at)
            if hit is not None:
                responsibility, at = hit
                if not at_end_only or _at_end(shadow, at):
                    found.append(responsibility)
                continue
        at += 1
    if not found:
        trailing = _trailing_label(text)
        if trailing is not None:
            found.append(trailing)
    return found


def closing_responsibility(heading: str) -> Responsibility | None:
    """A responsibility parenthetical closing a heading (推进智能工厂建设（牵头单位：A；配合单位：
    B））. A heading has no sentence end to set it off, so the last bracket's content is read
    alone, and counts only when it reads as units and runs to the end."""
    shadow = matching_shadow(heading).rstrip()
    if not shadow or shadow[-1] not in _rules().closes:
        return None
    opened = max(shadow.rfind(ch) for ch in _rules().opens)
    if opened < 0:
        return None
    found = find_responsibilities(heading[opened : len(shadow)])
    if len(found) != 1 or found[0].start != 0 or found[0].end != len(shadow) - opened:
        return None
    read = found[0]
    read.start, read.end = read.start + opened, read.end + opened
    return read


_BARE_LABEL_MIN = 4  # characters: 责任单位, 牵头部门; 负责 and 牵头 start ordinary phrases
_SENTENCE_ENDS = "。!?！？"


@cache
def _bare_label() -> re.Pattern[str]:
    """A unit label long enough to stand without brackets, with its colon."""
    rules = _rules()
    words = [w for w, kind in rules.labels if kind in _UNIT_KINDS and len(w) >= _BARE_LABEL_MIN]
    return re.compile(f"(?:{_alternation(tuple(words))})[{re.escape(''.join(rules.colons))}]")


def _trailing_label(text: str) -> Responsibility | None:
    """A label closing `text` without brackets, set off by a sentence end (…。责任单位：A、B。,
    …。牵头单位：A；配合单位：B): read as if it were bracketed. Labels joined by ；or ，count as
    one run; one after a sentence end starts a new run, so only the last run is read."""
    shadow = matching_shadow(text)
    starts = [
        m.start()
        for m in _bare_label().finditer(shadow)
        if m.start() == 0 or shadow[m.start() - 1] in _SENTENCE_ENDS + ";；,，"
    ]
    best: Responsibility | None = None
    for start in reversed(starts):
        if best is not None and any(ch in _SENTENCE_ENDS for ch in shadow[start : best.start]):
            break  # an earlier run, not part of this one
        content = text[start:].rstrip("。;；,， ")
        if any(ch in _SENTENCE_ENDS for ch in matching_shadow(content)):
            continue  # the units run to the end of the text, never over a sentence
        wrapped = find_responsibilities(f"（{content}）")
        if wrapped and wrapped[0].start == 0 and wrapped[0].end == len(content) + 2:
            read = wrapped[0]
            best = Responsibility(
                start, len(text), read.assignments, read.lead_rule, read.scope, read.problems, False
            )
    if best is not None and best.start > 0 and shadow[best.start - 1] not in _SENTENCE_ENDS:
        return None  # joined to a clause (…，责任单位：…), not set off from the text
    return best


def read_listing(listing: str) -> Responsibility:
    """The units of a label's content with no brackets around it.

    For a label whose closing bracket was lost (`（责任单位：A、B` at an item's end) the caller
    passes what follows the bracket (a leading bracket is tolerated and reported). Units with
    no role word are owners: the first leads, the rest are co. start/end are 0/len(listing).
    """
    squeezed = _squeeze(listing)
    shadow, r = squeezed.shadow, _rules()
    start, end = 0, len(shadow)
    problems: list[str] = []
    if start < end and shadow[start] in r.opens:
        start += 1
        opens = sum(ch in r.opens for ch in shadow)
        closes = sum(ch in r.closes for ch in shadow)
        if closes >= opens and shadow[end - 1] in r.closes:
            end -= 1
        else:
            problems.append("opening bracket without a closing one")
    reading = _ContentReader(squeezed, start, end, lenient=True).read()
    if reading is None:  # a lenient reading always yields; this keeps the type checker content
        reading = _Reading([], None, None, ["the label names no unit"])
    return _responsibility(squeezed, 0, len(listing), reading, problems)
