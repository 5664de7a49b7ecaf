"""China's administrative divisions (the national gazetteer) as typed, read-only lookups.

The data is `schema/gazetteer/divisions.tsv.gz`, written by `scripts/build-gazetteer` from two
pinned, registry-published packages (see `schema/gazetteer/README.md`): the current divisions
down to towns and streets (国家统计局 codes, 2023), and the names each province, prefecture and
county has had since 1980, including divisions that no longer exist (闸北区, 卢湾区, 南汇区).

Codes: 6 digits for a province (310000), prefecture (440100) or county (310117); 9 digits for
a town or street (310117101). The four municipalities (北京 天津 上海 重庆) are provinces with
``municipality=True`` and their districts hang directly under them; the counties a province
governs directly (仙桃市, 济源市, Hainan's and Xinjiang's) hang directly under the province.

Standard library only; the file is read once per process (`load_divisions` is cached) and the
name and tree indexes are built on first use.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import hashlib
import io
import logging
import marshal
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import cache, cached_property
from importlib import resources
from typing import NamedTuple

from schema.cache_files import cache_dir, write_atomically

PROVINCE = "province"
PREFECTURE = "prefecture"
COUNTY = "county"
TOWN = "town"
LEVELS: tuple[str, ...] = (PROVINCE, PREFECTURE, COUNTY, TOWN)

COLUMNS: tuple[str, ...] = (
    "code",
    "name",
    "level",
    "parent",
    "short",
    "former",
    "until",
    "successor",
    "municipality",
)

# The 55 minority nationalities of GB/T 3304 as written inside autonomous-area names (蒙古 in
# 内蒙古自治区 and 巴音郭楞蒙古自治州, 维吾尔 in 新疆维吾尔自治区, ...), and 各 of 龙胜各族自治县.
# Only used to cut an autonomous area's name down to its place name (广西壮族自治区 -> 广西).
_ETHNIC_TEXT = """蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲
高山 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米
塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 各"""
ETHNIC: tuple[str, ...] = tuple(
    sorted(
        _ETHNIC_TEXT.split(),
        key=len,
        reverse=True,
    )
)

# Longest first: 浦东新区 is 浦东 + 新区, not 浦东新 + 区.
_SUFFIXES: tuple[str, ...] = (
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "新区",
    "林区",
    "特区",
    "地区",
    "省",
    "市",
    "区",
    "县",
    "盟",
)
_SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """The lookup key of a name: NFKC (full-width to half-width) and no whitespace at all."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def _strip_ethnic(stem: str) -> str:
    """广西壮族 -> 广西, 恩施土家族苗族 -> 恩施, 巴音郭楞蒙古 -> 巴音郭楞; keeps two characters."""
    changed = True
    while changed:
        changed = False
        for people in ETHNIC:
            for written in (people + "族", people):
                # A one-character nationality only counts with 族 (西藏 is not 西 + 藏).
                if written == people and len(people) < 2:
                    continue
                if stem.endswith(written) and len(stem) - len(written) >= 2:
                    stem = stem[: -len(written)]
                    changed = True
                    break
            if changed:
                break
    return stem


def short_name(name: str, level: str = COUNTY) -> str:
    """The common short form of a province, prefecture or county name, by rule from its
    suffix: 上海市 -> 上海, 松江区 -> 松江, 浦东新区 -> 浦东, 内蒙古自治区 -> 内蒙古,
    延边朝鲜族自治州 -> 延边, 香港特别行政区 -> 香港. Empty when the rule leaves fewer than two
    characters (沛县, 城区, 矿区), for towns, and for names with none of the suffixes (旗)."""
    if level == TOWN:
        return ""
    for suffix in _SUFFIXES:
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            if suffix.startswith("自治"):
                stem = _strip_ethnic(stem)
                if stem.endswith("族"):  # 东乡族自治县: nothing but the nationality is left
                    return ""
            return stem if len(stem) >= 2 else ""
    return ""


def _former(cell: str) -> tuple[tuple[str, int, int], ...]:
    if not cell:
        return ()
    out = []
    for part in cell.split("|"):
        name, _, years = part.rpartition(":")
        first, _, last = years.partition("-")
        out.append((name, int(first), int(last or first)))
    return tuple(out)


class Division(NamedTuple):
    """One division: current (``until`` is None) or one that no longer exists. A named tuple:
    45,000 of them are made on every start, from the cache, at a quarter of a dataclass's
    cost."""

    code: str
    name: str
    level: str
    parent: str | None
    short: str | None
    # Earlier names of the same division: (name, first year, last year), oldest first.
    former: tuple[tuple[str, int, int], ...] = ()
    # Last year the division appears in the year-end code tables; None while it exists.
    until: int | None = None
    # The current division that took it over (or continues its lineage), when known.
    successor: str | None = None
    municipality: bool = False

    @property
    def current(self) -> bool:
        return self.until is None

    @property
    def former_names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(name for name, _, _ in self.former))


def _row(cells: list[str]) -> Division:
    code, name, level, parent, short, former, until, successor, municipality = cells
    return Division(
        code=code,
        name=name,
        level=level,
        parent=parent or None,
        short=short or None,
        former=_former(former),
        until=int(until) if until else None,
        successor=successor or None,
        municipality=municipality == "1",
    )


# Ranks of a name match: its current name, its short form, an earlier name (or its short form).
_FULL, _SHORT, _FORMER = 0, 1, 2
_LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}


class Divisions:
    """The gazetteer: every division by code, its tree, and name lookups."""

    def __init__(self, rows: Iterable[Division]) -> None:
        self._rows: tuple[Division, ...] = tuple(rows)
        by_code: dict[str, Division] = {}
        for division in self._rows:
            known = by_code.get(division.code)
            # A code of a vanished division may have been given again: the current one wins,
            # then the one that vanished last.
            if known is None or _precedence(division) > _precedence(known):
                by_code[division.code] = division
        self._by_code = by_code
        # names() by (levels, current): the scan tables are asked for once per build.
        self._names_for: dict[tuple[frozenset[str], bool], dict[str, list[str]]] = {}

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[Division]:
        return iter(self._rows)

    def all(self, level: str | None = None, *, current: bool | None = True) -> list[Division]:
        """Every division (of one level): current ones; vanished ones with ``current=False``;
        both with ``current=None``."""
        return [
            d
            for d in self._rows
            if (level is None or d.level == level) and (current is None or d.current == current)
        ]

    def get(self, code: str) -> Division | None:
        return self._by_code.get(code.strip())

    # --- the tree -----------------------------------------------------------------------

    @cached_property
    def _children(self) -> dict[str, list[Division]]:
        children: dict[str, list[Division]] = defaultdict(list)
        for division in self._rows:
            if division.parent:
                children[division.parent].append(division)
        return dict(children)

    def children(self, code: str, *, former: bool = False) -> list[Division]:
        """The divisions directly under ``code`` (by code); vanished ones only with ``former``."""
        return [d for d in self._children.get(code, []) if former or d.current]

    def ancestors(self, code: str) -> list[Division]:
        """The parent chain of ``code``, nearest first, up to the province."""
        chain: list[Division] = []
        division = self.get(code)
        seen = {code}
        while division is not None and division.parent and division.parent not in seen:
            seen.add(division.parent)
            division = self.get(division.parent)
            if division is not None:
                chain.append(division)
        return chain

    def within(self, code: str, ancestor: str) -> bool:
        """Whether ``code`` is ``ancestor`` or lies inside it."""
        return code == ancestor or any(d.code == ancestor for d in self.ancestors(code))

    def province_of(self, code: str) -> Division | None:
        for division in [self.get(code), *self.ancestors(code)]:
            if division is not None and division.level == PROVINCE:
                return division
        return None

    def city_of(self, code: str) -> Division | None:
        """The prefecture-level city (or municipality) containing ``code``, itself included.
        None for a province and for what a province governs directly (仙桃市 and its towns)."""
        for division in [self.get(code), *self.ancestors(code)]:
            if division is None:
                continue
            if division.level == PREFECTURE or division.municipality:
                return division
        return None

    # --- names --------------------------------------------------------------------------

    @cached_property
    def _names(self) -> dict[str, dict[str, int]]:
        """folded name -> {code: best rank of the match}."""
        index: dict[str, dict[str, int]] = defaultdict(dict)

        def add(name: str | None, code: str, rank: int) -> None:
            if name:
                slot = index[fold(name)]
                slot[code] = min(rank, slot.get(code, rank))

        for d in self._rows:
            add(d.name, d.code, _FULL if d.current else _FORMER)
            add(d.short, d.code, _SHORT if d.current else _FORMER)
            for name in d.former_names:
                add(name, d.code, _FORMER)
                add(short_name(name, d.level), d.code, _FORMER)
        return dict(index)

    def _matches(self, name: str) -> list[tuple[Division, int]]:
        found = []
        for code, rank in self._names.get(fold(name), {}).items():
            division = self._by_code[code]
            found.append((division, rank))
        found.sort(key=lambda m: (not m[0].current, m[1], _LEVEL_RANK[m[0].level], m[0].code))
        return found

    def named(self, name: str) -> list[Division]:
        """Every division called ``name``: current name, short form or an earlier name; current
        divisions first, then exact names before short forms before earlier names."""
        return [division for division, _ in self._matches(name)]

    def candidates(self, name: str, context: str | None = None) -> list[Division]:
        """What `resolve` chose among: the best-matching tier of ``named(name)`` (current
        divisions by their current or short name, else current ones by an earlier name, else
        vanished ones), narrowed to those inside ``context`` or, failing that, nearest to it
        (same city, then same province)."""
        matches = self._matches(name)
        if not matches:
            return []
        tier = min((not d.current, rank == _FORMER) for d, rank in matches)
        pool = [d for d, rank in matches if (not d.current, rank == _FORMER) == tier]
        if context is None or len(pool) == 1 or self.get(context) is None:
            return pool
        for near in (
            lambda d: self.within(d.code, context),
            lambda d: _same(self.city_of(d.code), self.city_of(context)),
            lambda d: _same(self.province_of(d.code), self.province_of(context)),
        ):
            narrowed = [d for d in pool if near(d)]
            if narrowed:
                return narrowed
        return pool

    def resolve(self, name: str, context: str | None = None) -> Division | None:
        """The one division ``name`` means, in a document about ``context`` (a division code);
        None when the name is unknown or still ambiguous (see `candidates`)."""
        pool = self.candidates(name, context)
        return pool[0] if len(pool) == 1 else None

    def names(
        self, levels: Iterable[str] = LEVELS, *, current: bool = False
    ) -> dict[str, list[str]]:
        """Every matchable name (current, short and earlier names) -> codes, for scanning text.
        Keys are folded names; codes are ordered as `named` orders them. With ``current``,
        only divisions that exist today."""
        wanted = frozenset(levels)
        memo = self._names_for.get((wanted, current))
        if memo is not None:
            return memo
        out: dict[str, list[str]] = {}
        for key, codes in self._names.items():
            ranked = sorted(
                (
                    (not d.current, rank, _LEVEL_RANK[d.level], d.code)
                    for code, rank in codes.items()
                    if (d := self._by_code[code]).level in wanted and (d.current or not current)
                ),
            )
            if ranked:
                out[key] = [code for *_, code in ranked]
        self._names_for[(wanted, current)] = out
        return out


def _same(a: Division | None, b: Division | None) -> bool:
    return a is not None and b is not None and a.code == b.code


def _precedence(division: Division) -> tuple[bool, int]:
    return (division.current, division.until or 0)


def read_rows(data: bytes) -> list[Division]:
    """The rows of a ``divisions.tsv.gz`` file's bytes."""
    text = gzip.decompress(data).decode("utf-8")
    reader = csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(reader)
    if tuple(header) != COLUMNS:
        raise ValueError(f"divisions.tsv.gz: unexpected columns {header}")
    return [_row(cells) for cells in reader]


# Bump when the cache file's layout changes, so an old file is never read as a new one.
_CACHE_FORMAT = 1


@cache
def load_divisions() -> Divisions:
    """The bundled gazetteer, loaded once per process: from the user's cache when one was made
    from the same data (~0.05 s), else read and indexed (~0.3 s) and the cache written."""
    data = resources.files("schema").joinpath("gazetteer", "divisions.tsv.gz").read_bytes()
    stamp = hashlib.sha256(data).hexdigest()[:16]
    path = cache_dir() / f"divisions-{_CACHE_FORMAT}-{stamp}.marshal"
    with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
        rows, names, scan = marshal.loads(path.read_bytes())
        divisions = Divisions(map(Division._make, rows))
        divisions.__dict__["_names"] = names  # the cached_property, already computed
        divisions._names_for[(frozenset(LEVELS), False)] = scan
        return divisions
    divisions = Divisions(read_rows(data))
    payload = (list(map(tuple, divisions)), divisions._names, divisions.names())
    try:
        write_atomically(path, marshal.dumps(payload))
    except OSError as error:  # a read-only home: every process indexes the gazetteer itself
        logging.getLogger(__name__).warning("gazetteer cache not written to %s: %s", path, error)
    return divisions
