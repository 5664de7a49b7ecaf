"""The places a task is about: divisions from the national gazetteer, special areas, named parks.

`find_places(text, plan_region_code=…)` returns `Place`s in order of first mention, and warnings
for names the document's region could not settle. Sources:

* **Divisions** (province, prefecture, county, town) come from the national gazetteer,
  `schema/divisions.py`; a division's key is its code (310117 松江区, 310117107 九亭镇).
* **Special areas** that are not divisions (新片区, 高新区, 科学城, 新城, 科创走廊, named parks,
  macro regions such as 长三角) come from `schema/lexicons/regions.csv`, each located in the
  division (or special area) its `in` column names. Key: ``<code>/<name>`` of the division it
  lies in (310117/松江新城), or the bare name when it lies in no division (长三角).
* **Named parks and bases** in running text (G60星链产业基地, 宝武碳中和产业园) are found by
  pattern even when no data lists them (see "Named parks" below); kind ``base`` (…基地) or
  ``park``, keyed like special areas.

The word lists the rules use (organisation nouns, chunk boundaries, park suffixes, generic
modifiers and heads, phrases that are not places) are data: `schema/lexicons/place_words.csv`.

Rules
-----
Matching runs on the folded text (width, script, spaces ignored: 'G60 科创走廊' is G60科创走廊).
Book titles (《上海市…》) and responsibility lines (（责任单位：九亭镇）) are blanked first: a cited
document is not a place, and a task owned by 九亭镇 is not thereby about 九亭镇 (that is
ownership).

1. **Leftmost-longest.** At each position the longest name wins: 张江高新区 (a zone) over 张江,
   松江新城 over 松江, a named park (松江科学仪器产业园区) over the place in its name. On equal
   spans a special area beats a division, which beats a pattern park. A name that matches but
   is out of scope still consumes its characters (岳阳街道 in a national plan is not 岳阳市).
2. **Names inside a name are not places.** A place inside the name chunk of an organisation,
   fund, programme or document belongs to it: 上海市临床医学研究中心, 长三角分中心, 张江实验室,
   上海证券交易所, 上海市知识产权保护中心松江分中心. The chunk after a place runs to the first
   punctuation mark or ``boundary`` word (a verb such as 建设/打造/支持, a conjunction or
   particle, 内/范围内, 中心城区), at most 16 characters; the chunk before it runs back the same
   way. The place is an organisation's when the chunk after it holds an ``organisation`` noun
   (中心, 研究院, 实验室, 大学, 基金, 交易所, 委员会, 计划, 政策 …; a one-character one, 局 委
   办, only at the chunk's end), or the chunk before it holds a multi-character one
   (…指导中心上海分中心松江基地 is the centre's site, not 松江). A place inside quotation marks
   that hold more than the place (“上海品牌”, “工赋上海”) is part of a slogan or brand, not a
   place; “五个新城” is a place.
3. **Short forms and scope.** Full and former names of provinces, prefectures and counties
   count anywhere; a name several divisions share (鼓楼区) is settled by the document's region
   (`Divisions.candidates(name, context)`: inside it, else in its city, else its province) and
   reported as a warning, untagged, when it cannot be. Short forms count only where they are
   unambiguous and in the plan's own area: a province's (上海, 广东) anywhere; a prefecture's
   (深圳) in plans of the same province; a county's (松江, 浦东) in plans of the same city.
   Towns and streets count only inside the plan's region, or its city for a district plan (a
   national plan tags none); their short form without 镇/乡/街道 (九亭) only in a plan of their
   own district, and not when it is an everyday word (书院, 中山, 新桥: counted 200 or more in
   jieba's dictionary). A short form (or two-character alias) whose first character closes a common
   word with the character before it is inside that word, not a name: 推广东部经验 is not 广东,
   幸福建设 not 福建 (common: counted 500 or more in jieba's dictionary; after a function word
   such as 向 or 在 it still counts: 向上海集聚). Names that are also common words (城区,
   新城区, 开发区, 金山银山: role ``not a place``) never count on their own; two-character
   county names (范县, 和县) only in plans of their own city (防范县级, 省和县级).
4. **Chains.** A division written right after the division it lies in (上海市松江区九亭镇) is
   located by it (that settles 南京市鼓楼区, and lets a town of another city count when its
   city is written) and replaces it: the mention is of 九亭镇 alone.
5. **Former names.** An earlier name of a current division is that division (崇明县 → 310151);
   a division that no longer exists keeps its own code (南汇区 → 310119), as the gazetteer has it.
6. **Special areas.** Names and aliases count anywhere; local aliases (临港, 化工区, 经开区,
   新城) only in plans whose region lies inside the division the area is in.

Named parks
-----------
A park or base is named when the chunk before its suffix (``park suffix``: 产业基地, 基地,
产业园, 园区, 科技园, 科学城 …) has a proper name. The chunk runs back from the suffix to a
punctuation mark, a ``boundary`` word (建设, 打造, 依托, 推进, 支持, 聚焦, 鼓励, 和, 等 …) or a
number with its measure word (8个), at most 12 characters (longer means it is a clause, not a
name: no park). Leading ``modifier`` words (国家级, 市级, 各类, 一批, 特色, 专业化 …) are dropped.
The chunk is a name when it starts with

* a place (松江科学仪器产业园区, 临港微小卫星研制基地): the park lies there;
* a code of Latin letters and digits (G60星链产业基地, G60脑智科创基地);
* a word that is not common vocabulary: absent from jieba's general dictionary or rarer than
  50 in its counts (宝武 in 宝武碳中和产业园, 创远 in 创远6G产业基地, 马东) — company and brand
  names — unless it starts with a ``generic`` word or an industry name (产业, 中试, 碳中和,
  集成电路 …).

Anything else is generic: 产业基地建设, 各类园区, 特色产业园区, 生产基地, 国际算法创新基地. A chunk
holding an organisation noun is an organisation's site (…创新中心辰山园区), not a park. A park
without a place in its name lies in the plan's region (in no division in a national plan).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from schema.divisions import (
    COUNTY,
    PREFECTURE,
    PROVINCE,
    TOWN,
    Division,
    Divisions,
    load_divisions,
)
from schema.normalize import normalise_for_matching
from schema.segmenter import WordCounts, frequencies

__all__ = ["Place", "find_places", "place"]

_BOOK_TITLE = re.compile(r"《[^《》]*》")
_OWNER_LINE = re.compile(r"\((?:责任|牵头|配合|主要)[^()]*\)")
_QUOTE_OPEN = "“‘「『"
_QUOTE_CLOSE = "”’」』"
_QUOTE_BOTH = "\"'"
_QUOTE_MAX = 20  # a longer "quotation" is a quoted sentence, not a term
_ORG_CHUNK_MAX = 16
_PARK_CHUNK_MAX = 12
_RARE = 50  # jieba dictionary count below which a word reads as a name
_COMMON = 500  # jieba dictionary count from which a two-character word is common vocabulary
_TOWN_WORD = 200  # a town's stem counted this often is an everyday word (书院, 花木), no short form
_LATIN_CODE = re.compile(r"[A-Za-z]+\d+[A-Za-z0-9]*")
_COUNT = re.compile(r"[0-9一二三四五六七八九十百千两几多]+[个家批项类座处]")
_TOWN_SUFFIXES = ("街道", "镇", "乡")
# Single characters that never start a name (a function word before a generic chunk).
_FUNCTION_CHARS = frozenset("含在及和与等向对为把以其之各全本我该此每从由于将并同")


@dataclass(frozen=True)
class Place:
    """A place a task is about.

    `key`: the division code for a division (310117, 310117107); ``<code>/<name>`` for a
    special area or park located in that division (310117/松江新城, 310000/G60科创走廊); the bare
    name for one in no division (长三角). `parent`: the key of the place it lies in, for PART_OF
    chains up to the province (a division code or another key); None at the top."""

    key: str
    name: str
    kind: str
    parent: str | None


# -- data ---------------------------------------------------------------------------------


def _fold(text: str) -> str:
    return "".join(normalise_for_matching(text).split())


def _is_punct(ch: str) -> bool:
    return not (ch.isalnum() or "\u3400" <= ch <= "\u9fff")


@dataclass(frozen=True)
class _Area:
    name: str
    aliases: tuple[str, ...]
    local_aliases: tuple[str, ...]
    kind: str
    within: str | None  # a division code, another area's name, or None
    key: str = ""
    parent: str | None = None
    code: str | None = None  # the division it lies in, as precise as known


def _csv(filename: str) -> list[dict[str, str]]:
    text = resources.files("schema").joinpath("lexicons", filename).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def _cells(cell: str | None) -> tuple[str, ...]:
    return tuple(p.strip() for p in (cell or "").split("|") if p.strip())


class _Data:
    """Everything the matcher needs, built once per process."""

    def __init__(self, divisions: Divisions) -> None:
        self.divisions = divisions
        words: dict[str, set[str]] = {}
        self.park_suffixes: dict[str, str] = {}
        for row in _csv("place_words.csv"):
            name, role = _fold(row["name"]), row["role"].strip()
            words.setdefault(role, set()).add(name)
            if role == "park suffix":
                self.park_suffixes[name] = row["kind"].strip()
        self.organisation = sorted(words.get("organisation", ()), key=len, reverse=True)
        self.boundary = sorted(words.get("boundary", ()), key=len, reverse=True)
        self.modifiers = sorted(words.get("modifier", ()), key=len, reverse=True)
        self.generic = sorted(words.get("generic", ()), key=len, reverse=True)
        self.not_a_place = frozenset(words.get("not a place", ()))
        self.areas = self._areas()
        self.area_names: dict[str, _Area] = {}
        self.area_local: dict[str, _Area] = {}
        for area in self.areas.values():
            for name in (area.name, *area.aliases):
                self.area_names[_fold(name)] = area
            for name in area.local_aliases:
                self.area_local[_fold(name)] = area
        self.area_keys = {area.key: area for area in self.areas.values()}
        self.division_names = divisions.names()
        self.industry_names = self._industry_names()
        self.max_len = max(
            len(key) for key in (*self.division_names, *self.area_names, *self.area_local)
        )

    def _areas(self) -> dict[str, _Area]:
        raw = {
            row["name"].strip(): _Area(
                name=row["name"].strip(),
                aliases=_cells(row.get("aliases")),
                local_aliases=_cells(row.get("local_aliases")),
                kind=row["kind"].strip(),
                within=(row.get("in") or "").strip() or None,
            )
            for row in _csv("regions.csv")
        }
        done: dict[str, _Area] = {}

        def locate(name: str, seen: tuple[str, ...] = ()) -> _Area:
            if name in done:
                return done[name]
            area = raw[name]
            code: str | None = None
            parent: str | None = None
            if area.within is None:
                pass
            elif area.within in raw:
                if area.within in seen:
                    raise ValueError(f"regions.csv: {name!r} lies in itself")
                outer = locate(area.within, (*seen, name))
                code, parent = outer.code, outer.key
            else:
                division = self._division(area.within)
                code = parent = division.code
            key = f"{code}/{area.name}" if code else area.name
            located = _Area(**{**area.__dict__, "key": key, "parent": parent, "code": code})
            done[name] = located
            return located

        for name in raw:
            locate(name)
        return done

    def _division(self, ref: str) -> Division:
        division = self.divisions.get(ref) if ref.isdigit() else self.divisions.resolve(ref)
        if division is None:
            raise ValueError(f"regions.csv: 'in' {ref!r} is not one division of the gazetteer")
        return division

    @staticmethod
    def _industry_names() -> frozenset[str]:
        """Industry names and aliases (industries.csv): a park named by its industry is generic."""
        return frozenset(
            _fold(name)
            for row in _csv("industries.csv")
            for name in (row["name"], *_cells(row.get("aliases")))
            if name.strip()
        )


@cache
def _data() -> _Data:
    return _Data(load_divisions())


@cache
def _jieba_freq() -> WordCounts:
    # jieba's counts from the shared compact dictionary: the same numbers as jieba.dt.FREQ
    # without loading jieba's own ~70 MB copy (half a second) in every build.
    return frequencies()


# -- the text -----------------------------------------------------------------------------


def _prepare(text: str) -> tuple[str, list[int]]:
    """The folded, blanked text without quotation marks, and for each character the number
    of the quotation it sits in (0: none)."""
    folded = _fold(text)
    folded = _OWNER_LINE.sub("|", _BOOK_TITLE.sub("|", folded))
    out: list[str] = []
    group: list[int] = []
    current, count = 0, 0
    for ch in folded:
        if ch in _QUOTE_OPEN or (ch in _QUOTE_BOTH and not current):
            count += 1
            current = count
            continue
        if ch in _QUOTE_CLOSE or ch in _QUOTE_BOTH:
            current = 0
            continue
        if current and ch in "。;；!?|":
            current = 0
        out.append(ch)
        group.append(current)
    sizes: dict[int, int] = {}
    for g in group:
        sizes[g] = sizes.get(g, 0) + 1
    group = [g if g and sizes[g] <= _QUOTE_MAX else 0 for g in group]
    return "".join(out), group


# -- scope ------------------------------------------------------------------------------------


@dataclass
class _Scope:
    code: str | None  # the plan's region
    city: str | None  # its prefecture-level city (or municipality), itself for a city
    province: str | None
    level: str | None


def _scope(divisions: Divisions, code: str | None) -> _Scope:
    division = divisions.get(code) if code else None
    if division is None:
        return _Scope(None, None, None, None)
    city = divisions.city_of(division.code)
    province = divisions.province_of(division.code)
    return _Scope(
        division.code,
        city.code if city else None,
        province.code if province else None,
        division.level,
    )


def _how(division: Division, name: str) -> str:
    """How `name` names the division: its full (or an earlier full) name, or a short form."""
    if _fold(division.name) == name or name in map(_fold, division.former_names):
        return "full"
    return "short"


def _in_scope(divisions: Divisions, d: Division, how: str, scope: _Scope, name: str) -> bool:
    def inside(area: str | None) -> bool:
        return area is not None and divisions.within(d.code, area)

    if how == "short":
        if d.level == PROVINCE:
            return True
        if d.level == PREFECTURE:
            return inside(scope.province)
        if d.level == COUNTY:
            return inside(scope.city)
        return scope.level == COUNTY and inside(scope.code)  # 九亭 in a 松江区 plan
    if d.level == TOWN:
        home = scope.city if scope.level in (COUNTY, TOWN) else scope.code
        return inside(home)
    if len(name) <= 2:  # 范县, 和县, 东区: inside words (防范县级, 和县级), so only at home
        return inside(scope.city)
    return True


# -- matching ---------------------------------------------------------------------------------


@dataclass
class _Mention:
    start: int
    end: int
    place: Place | None  # None: a name that consumed its characters but is no place here
    division: Division | None = None
    source: int = 0  # 2 special area, 1 division, 0 pattern park
    warning: str | None = None  # an ambiguous name, reported if this mention is the one read


class _Matcher:
    def __init__(self, data: _Data, text: str, scope: _Scope) -> None:
        self.data = data
        self.divisions = data.divisions
        self.scope = scope
        self.text, self.quotes = _prepare(text)
        self.warnings: list[str] = []
        self.town_shorts = self._town_shorts()

    def _town_shorts(self) -> dict[str, Division]:
        """九亭 for 九亭镇: only in a plan of a county (district), for its own towns, and not
        when the stem is an everyday word (书院, 中山, 花木: counted `_TOWN_WORD` or more in
        jieba's dictionary)."""
        if self.scope.level != COUNTY or self.scope.code is None:
            return {}
        shorts: dict[str, Division] = {}
        seen: set[str] = set()
        freq = _jieba_freq()
        for town in self.divisions.children(self.scope.code):
            for suffix in _TOWN_SUFFIXES:
                if town.name.endswith(suffix) and len(town.name) - len(suffix) >= 2:
                    stem = _fold(town.name[: -len(suffix)])
                    if freq.get(stem, 0) >= _TOWN_WORD:
                        continue
                    if stem in seen:
                        shorts.pop(stem, None)
                    else:
                        shorts[stem] = town
                    seen.add(stem)
        return shorts

    # -- the pieces ---------------------------------------------------------------------------

    def _boundary_at(self, i: int) -> int:
        """Length of the boundary word starting at `i`, 0 when none."""
        for word in self.data.boundary:
            if self.text.startswith(word, i):
                return len(word)
        return 0

    def _boundary_ending_at(self, j: int) -> bool:
        """Whether a boundary word ends at `j`; a one-character one (和, 与, 等) only when it is
        not inside a word (碳中和, 参与, 高等 are words, not a conjunction)."""
        s = self.text
        for word in self.data.boundary:
            if not s.endswith(word, 0, j):
                continue
            if len(word) > 1:
                return True
            freq = _jieba_freq()
            around = (s[j - 2 : j], s[j - 3 : j], s[j - 1 : j + 1], s[j - 1 : j + 2])
            if not any(len(w) > 1 and freq.get(w) for w in around):
                return True
        return False

    def _owned(self, end: int) -> bool:
        """Whether the name chunk after a place ends with an organisation noun."""
        text, k = self.text, end
        while k < len(text) and k - end < _ORG_CHUNK_MAX:
            if _is_punct(text[k]) or self._boundary_at(k):
                break
            k += 1
        else:
            if k - end >= _ORG_CHUNK_MAX:
                return False
        chunk = text[end:k]
        return any(
            chunk.endswith(word) if len(word) == 1 else word in chunk
            for word in self.data.organisation
        )

    def _owned_before(self, start: int) -> bool:
        """Whether the name chunk before a place holds a multi-character organisation noun."""
        text, k = self.text, start
        while k > 0 and start - k < _ORG_CHUNK_MAX:
            if _is_punct(text[k - 1]) or self._boundary_ending_at(k):
                break
            k -= 1
        chunk = text[k:start]
        return any(len(word) > 1 and word in chunk for word in self.data.organisation)

    def _quoted_term(self, start: int, end: int) -> bool:
        group = self.quotes[start]
        if not group or any(g != group for g in self.quotes[start:end]):
            return False
        return self.quotes.count(group) > end - start

    def _glued(self, i: int) -> bool:
        """Whether the character at `i` closes a common word with the one before it (推广|东部,
        幸福|建设, 沿海|南部): a short form starting there is inside that word."""
        if i == 0 or self.text[i - 1] in _FUNCTION_CHARS:
            return False
        return _jieba_freq().get(self.text[i - 1 : i + 1], 0) >= _COMMON

    def _resolve(
        self, name: str, codes: list[str], before: _Mention | None, glued: bool = False
    ) -> _Mention | None:
        """The mention of a division name at the current position (place None: consumed but
        not a place here), or None when no candidate applies."""
        divisions = self.divisions
        context = before.division if before is not None and before.division else None
        if name in self.data.not_a_place and context is None:
            return _Mention(0, 0, None, source=1)
        candidates = [d for d in map(divisions.get, codes) if d is not None]
        if glued:
            candidates = [d for d in candidates if _how(d, name) == "full"]
            if not candidates:
                return None
        kept: list[Division] = []
        if context is not None:  # a chain: 南京市鼓楼区 is located by 南京市
            kept = [
                d
                for d in candidates
                if d.code != context.code and divisions.within(d.code, context.code)
            ]
        if not kept:
            context = None
            kept = [
                d for d in candidates if _in_scope(divisions, d, _how(d, name), self.scope, name)
            ]
        if not kept:
            return _Mention(0, 0, None, source=1)
        pool = divisions.candidates(name, context.code if context else self.scope.code)
        chosen = [d for d in pool if d in kept] or (kept if len(kept) == 1 else [])
        if len(chosen) != 1:
            warning = None
            if len(kept) > 1 and any(_how(d, name) != "short" for d in kept):
                options = ", ".join(f"{d.code} {self._path(d)}" for d in kept[:6])
                warning = (
                    f"ambiguous place {name!r} ({options}): the document's region does not "
                    "settle it; not tagged"
                )
            return _Mention(0, 0, None, source=1, warning=warning)
        d = chosen[0]
        return _Mention(0, 0, _division_place(d), division=d, source=1)

    def _path(self, d: Division) -> str:
        chain = [a.name for a in reversed(self.divisions.ancestors(d.code))]
        return "".join([*chain, d.name])

    def _area_at(self, i: int) -> tuple[int, _Area] | None:
        text = self.text
        for length in range(min(self.data.max_len, len(text) - i), 1, -1):
            piece = text[i : i + length]
            area = self.data.area_names.get(piece)
            if area is None:
                local = self.data.area_local.get(piece)
                if local is not None and self._local_ok(local):
                    area = local
            if area is not None:
                return length, area
        return None

    def _local_ok(self, area: _Area) -> bool:
        if self.scope.code is None:
            return False
        if area.code is None:  # in a macro region: plans of its provinces are not known
            return False
        return self.divisions.within(self.scope.code, area.code)

    def _division_at(self, i: int) -> tuple[int, str, list[str]] | None:
        text = self.text
        for length in range(min(self.data.max_len, len(text) - i), 1, -1):
            piece = text[i : i + length]
            codes = self.data.division_names.get(piece)
            if piece in self.town_shorts:
                codes = [*(codes or ()), self.town_shorts[piece].code]
            if codes is None and piece in self.data.not_a_place:
                codes = []
            if codes is not None:
                return length, piece, codes
        return None

    # -- named parks ----------------------------------------------------------------------------

    def _parks(self) -> dict[int, tuple[int, str, str]]:
        """start -> (end, name, kind) of every named park or base in the text."""
        text = self.data
        found: dict[int, tuple[int, str, str]] = {}
        suffixes = sorted(text.park_suffixes, key=len, reverse=True)
        s = self.text
        i = 0
        last_end = 0
        while i < len(s):
            suffix = next((x for x in suffixes if s.startswith(x, i)), None)
            if suffix is None:
                i += 1
                continue
            end = i + len(suffix)
            start = self._chunk_start(i, last_end)
            if start is not None:
                name = self._park_name(start, i)
                if name is not None:
                    first, chunk = name
                    found[first] = (end, chunk + suffix, text.park_suffixes[suffix])
            last_end = end
            i = end
        return found

    def _chunk_start(self, suffix_at: int, floor: int) -> int | None:
        s = self.text
        k = suffix_at
        while k > floor:
            if _is_punct(s[k - 1]) or self._boundary_ending_at(k):
                break
            if suffix_at - k >= _PARK_CHUNK_MAX:
                return None
            k -= 1
        return k

    def _park_name(self, start: int, suffix_at: int) -> tuple[int, str] | None:
        """(where the name starts, the name without its suffix) when the chunk names a park."""
        s = self.text
        chunk = s[start:suffix_at]
        first = start
        changed = True
        while changed and chunk:
            changed = False
            count = _COUNT.match(chunk)
            if count:
                first += count.end()
                chunk = chunk[count.end() :]
                changed = True
            for word in self.data.modifiers:
                if chunk.startswith(word):
                    first += len(word)
                    chunk = chunk[len(word) :]
                    changed = True
                    break
        if not chunk:
            return None
        if any(word in chunk for word in self.data.organisation):  # an organisation's site
            return None
        if self._area_at(first) is not None or self._named_division_at(first):
            return first, chunk
        if _LATIN_CODE.match(chunk):
            return first, chunk
        if any(chunk.startswith(w) for w in (*self.data.generic, *self.data.industry_names)):
            return None
        if _LATIN_CODE.match(chunk) is None and not ("\u3400" <= chunk[0] <= "\u9fff"):
            return None
        return (first, chunk) if self._rare_head(chunk) else None

    def _named_division_at(self, i: int) -> bool:
        hit = self._division_at(i)
        if hit is None:
            return False
        _, name, codes = hit
        mention = self._resolve(name, codes, None)
        return mention is not None and mention.place is not None

    def _rare_head(self, chunk: str) -> bool:
        """Whether the chunk starts with a word that is not common vocabulary (a company or
        brand name: 宝武, 创远): its first two characters are absent from jieba's dictionary or
        rarer than `_RARE`. Only in a plan with a region: national plans name kinds of base
        (驻训备勤保障基地), not one company's."""
        if self.scope.code is None or len(chunk) < 2 or chunk[0] in _FUNCTION_CHARS:
            return False
        return _jieba_freq().get(chunk[:2], 0) < _RARE

    def _park_place(self, name: str, kind: str, head: _Mention | None) -> Place:
        code: str | None = self.scope.code
        parent: str | None = self.scope.code
        if head is not None and head.place is not None:
            code, parent = _code_of(head.place), head.place.key
        key = f"{code}/{name}" if code else name
        return Place(key, name, kind, parent)

    # -- the scan -------------------------------------------------------------------------------

    def run(self) -> list[Place]:
        s = self.text
        parks = self._parks()
        mentions: list[_Mention] = []
        i = 0
        while i < len(s):
            before = mentions[-1] if mentions and mentions[-1].end == i else None
            options: list[_Mention] = []
            glued = self._glued(i)
            area = self._area_at(i)
            if area is not None and not (glued and area[0] <= 2):
                length, found = area
                options.append(_Mention(i, i + length, _area_place(found), source=2))
            division = self._division_at(i)
            if division is not None:
                length, name, codes = division
                mention = self._resolve(name, codes, before, glued)
                if mention is not None:
                    mention.start, mention.end = i, i + length
                    options.append(mention)
            if i in parks:
                end, name, kind = parks[i]
                head = self._head(i)
                options.append(_Mention(i, end, self._park_place(name, kind, head), source=0))
            if not options:
                i += 1
                continue
            best = max(options, key=lambda m: (m.end, m.source))
            if best.warning:
                self.warnings.append(best.warning)
            if best.place is not None and (
                self._owned(best.end)
                or self._owned_before(best.start)
                or self._quoted_term(best.start, best.end)
            ):
                best = _Mention(best.start, best.end, None)
            if (
                best.place is not None
                and before is not None
                and before.place is not None
                and self._inside(best.place, before.place)
            ):
                mentions.remove(before)
            mentions.append(best)
            i = best.end
        first: dict[str, Place] = {}
        for mention in mentions:
            if mention.place is not None:
                first.setdefault(mention.place.key, mention.place)
        return list(first.values())

    def _head(self, i: int) -> _Mention | None:
        area = self._area_at(i)
        if area is not None:
            return _Mention(i, i + area[0], _area_place(area[1]), source=2)
        division = self._division_at(i)
        if division is not None:
            mention = self._resolve(division[1], division[2], None)
            if mention is not None and mention.place is not None:
                return mention
        return None

    def _inside(self, inner: Place, outer: Place) -> bool:
        """Whether `inner` lies in the division `outer` (a chain: 上海市松江区)."""
        if not outer.key.isdigit():
            return False
        code = _code_of(inner)
        return code is not None and code != outer.key and self.divisions.within(code, outer.key)


def _division_place(d: Division) -> Place:
    return Place(d.code, d.name, d.level, d.parent)


def _area_place(area: _Area) -> Place:
    return Place(area.key, area.name, area.kind, area.parent)


def _code_of(p: Place) -> str | None:
    if p.key.isdigit():
        return p.key
    head = p.key.split("/", 1)[0]
    return head if "/" in p.key and head.isdigit() else None


# -- the API ----------------------------------------------------------------------------------


def find_places(
    text: str, *, plan_region_code: str | None = None, plan_region: str | None = None
) -> tuple[list[Place], list[str]]:
    """Places mentioned in `text`, in order of first mention, and warnings (an ambiguous name
    the document's region could not settle). `plan_region_code` is the plan's division code;
    without it `plan_region` (a name, 松江区) is resolved through the gazetteer."""
    data = _data()
    code = plan_region_code
    if code is None and plan_region:
        resolved = data.divisions.resolve(plan_region)
        code = resolved.code if resolved else None
    matcher = _Matcher(data, text, _scope(data.divisions, code))
    places = matcher.run()
    return places, list(dict.fromkeys(matcher.warnings))


def place(key: str) -> Place | None:
    """The place of any key `find_places` can return, to draw PART_OF chains: a division code,
    a special area's key, or a named park's (``<code>/<name>`` or a bare name)."""
    data = _data()
    key = key.strip()
    if key.isdigit():
        d = data.divisions.get(key)
        return _division_place(d) if d else None
    if key in data.area_keys:
        return _area_place(data.area_keys[key])
    code, _, name = key.rpartition("/")
    if code and (not code.isdigit() or data.divisions.get(code) is None):
        return None
    suffix = next(
        (s for s in sorted(data.park_suffixes, key=len, reverse=True) if name.endswith(s)), None
    )
    if suffix is None or len(name) <= len(suffix):
        return None
    # Re-read the name as find_places did: a place at its start is where it lies.
    parent: str | None = code or None
    matcher = _Matcher(data, "", _scope(data.divisions, code or None))
    matcher.text = name
    matcher.quotes = [0] * len(name)
    head = matcher._head(0)
    if head is not None and head.place is not None and _code_of(head.place) == (code or None):
        parent = head.place.key
    return Place(key, name, data.park_suffixes[suffix], parent)
