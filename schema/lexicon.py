"""The domain lexicons (agencies, regions, industries) as typed, read-only lookups.

The facts live in `schema/lexicons/*.csv`, one row per entry with a `source` column; this module
loads them once, checks that every cross-reference points at a row, and answers the questions
extraction, the graph builder and the queries ask: which agency a written name is, who sits in
a collective line, which bureau mirrors which across levels, which places and industries sit
above which.

Lookups match on a folded key (full/half width, traditional/simplified, spaces and quote marks
ignored), so callers can pass names as the documents write them.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from schema.normalize import normalise_for_matching

_LIST_SEP = "|"
# Quote marks are decoration around names (“专精特新”, “6+X”), never part of them.
_DROP = str.maketrans("", "", "“”‘’\"'「」『』")


def fold(text: str) -> str:
    """The matching key of a name or text: the project's matching normalisation (width,
    simplified characters, dashes, layout spaces) without quote marks or any spaces. Only for
    comparing; never shown to users."""
    return "".join(normalise_for_matching(text).split()).translate(_DROP)


def _split(cell: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (cell or "").split(_LIST_SEP) if part.strip())


def _opt(cell: str | None) -> str | None:
    cell = (cell or "").strip()
    return cell or None


@dataclass(frozen=True)
class AgencyEntry:
    """A responsible unit. `region` is where the name is valid and, for governments, towns,
    committees and zones, the area it governs; None means the name is generic (各有关单位)."""

    name: str
    full_name: str | None
    aliases: tuple[str, ...]
    level: str | None  # national | city | district | town
    region: str | None
    kind: str  # bureau | government | committee | town | street | zone | enterprise | party | ...
    counterpart: str | None
    member_of: tuple[str, ...]
    source: str

    @property
    def names(self) -> tuple[str, ...]:
        extra = (self.full_name,) if self.full_name else ()
        return (self.name, *self.aliases, *extra)


@dataclass(frozen=True)
class RegionEntry:
    """A special area (zone, new city, corridor, park, macro region, river): regions.csv. The
    divisions themselves (上海市, 松江区, 九亭镇) are the national gazetteer's
    (schema/divisions.py); region lookups here answer for both, by name. `part_of` is the name
    of the division or area the place lies in (regions.csv `in`, a code there, a name here).
    `local_aliases` are short names valid only in plans of that division (经开区 means
    松江经济技术开发区 only in a Songjiang plan)."""

    name: str
    aliases: tuple[str, ...]
    local_aliases: tuple[str, ...]
    kind: str
    part_of: str | None
    source: str
    located: str | None = None  # the division code when `in` gives one (南沙区: 440115)


@dataclass(frozen=True)
class IndustryEntry:
    """An industry, sub-industry or grouping. `part_of` is the taxonomy parent; `member_of`
    the groupings (三大先导产业, a district's cluster list) it is counted in. `scope` is the
    region whose own name it is: the name tags, and membership in a scoped grouping counts,
    only in plans of that region. `sense` says how a bare mention reads (see
    `INDUSTRY_SENSES` and schema/lexicons/README.md); groupings have none."""

    name: str
    aliases: tuple[str, ...]
    kind: str  # grouping | industry | sub-industry
    part_of: str | None
    member_of: tuple[str, ...]
    related: str | None
    scope: str | None
    source: str
    sense: str | None = None  # product | field | descriptive


# How a mention of an industry reads, by the entry's `sense` (industries.csv):
#   product      a made thing (机器人, 医疗器械): using it (机器人应用) is not the industry;
#   field        a technology or service field (北斗, 人工智能): its applications are the industry;
#   descriptive  also everyday wording (绿色低碳转型, 人民生命健康): counts only with evidence.
INDUSTRY_SENSES = ("product", "field", "descriptive")
# What a word next to a mention says about it (industry_context.csv); see the README.
CONTEXT_RULES = ("process", "neutral", "evidence", "use", "market", "instrument", "link")
CONTEXT_SIDES = ("after", "before")


@dataclass(frozen=True)
class ContextWord:
    """A word that, written right after (or before) an industry name, tells its sense:
    绿色低碳 + 转型 is a process, 机器人 + 应用 is use, 未来产业 + 基金 is a fund's name."""

    word: str
    side: str  # after | before
    rule: str  # one of CONTEXT_RULES
    senses: tuple[str, ...]  # the entry senses it applies to; "all" for every entry
    source: str

    def applies_to(self, sense: str | None) -> bool:
        return "all" in self.senses or (sense is not None and sense in self.senses)


class LexiconError(ValueError):
    """A lexicon file is inconsistent; names the file and line."""


def _rows(filename: str, key: str = "name") -> Iterable[tuple[int, dict[str, str]]]:
    text = resources.files("schema").joinpath("lexicons", filename).read_text(encoding="utf-8")
    reader = csv.DictReader(text.splitlines())
    for index, row in enumerate(reader, start=2):
        if not (row.get(key) or "").strip():
            raise LexiconError(f"{filename}:{index}: row without a {key}")
        if not (row.get("source") or "").strip():
            raise LexiconError(f"{filename}:{index}: row without a source")
        yield index, row


class Lexicon:
    def __init__(
        self,
        agencies: list[AgencyEntry],
        regions: list[RegionEntry],
        industries: list[IndustryEntry],
        industry_context: list[ContextWord] | None = None,
    ) -> None:
        self.agencies = {entry.name: entry for entry in agencies}
        self.regions = _Regions((entry.name, entry) for entry in regions)
        self.industries = {entry.name: entry for entry in industries}
        self._agency_keys: dict[str, list[AgencyEntry]] = {}
        for entry in agencies:
            for name in entry.names:
                bucket = self._agency_keys.setdefault(fold(name), [])
                if entry not in bucket:
                    bucket.append(entry)
        self._region_keys = {fold(n): e.name for e in regions for n in (e.name, *e.aliases)}
        self._region_local = {fold(n): e.name for e in regions for n in e.local_aliases}
        self._industry_keys = {fold(n): e.name for e in industries for n in (e.name, *e.aliases)}
        self.industry_context = list(industry_context or ())
        self._counterparts = self._pair_counterparts(agencies)

    def _pair_counterparts(self, agencies: list[AgencyEntry]) -> dict[str, str]:
        pairs: dict[str, str] = {}
        for entry in agencies:
            other = entry.counterpart
            # Where the file is silent, 区X mirrors 市X when both are known.
            if other is None and entry.level == "district" and entry.name.startswith("区"):
                guess = "市" + entry.name[1:]
                other = guess if guess in self.agencies else None
            if other:
                pairs[entry.name] = other
                pairs.setdefault(other, entry.name)
        return pairs

    # -- agencies ------------------------------------------------------------------------

    def agency(self, name: str, plan_region: str | None = None) -> AgencyEntry | None:
        """The entry for a name as written, or None. With `plan_region`, names valid only
        elsewhere (a Shanghai 市财政局 in a 杭州 plan) do not match."""
        key = fold(name)
        candidates = self._agency_keys.get(key)
        if not candidates and key.endswith("等"):
            candidates = self._agency_keys.get(key[:-1])
        for entry in candidates or ():
            if self._compatible(entry.region, plan_region):
                return entry
        return None

    def _compatible(self, entry_region: str | None, plan_region: str | None) -> bool:
        if entry_region is None or plan_region is None:
            return True
        return self.within(plan_region, entry_region) or self.within(entry_region, plan_region)

    def counterpart(self, name: str) -> str | None:
        """The mirror bureau at the other level (区经委 ↔ 市经济信息化委), by canonical name."""
        entry = self.agency(name)
        return self._counterparts.get(entry.name) if entry else None

    def collective_members(self, name: str, plan_region: str | None) -> list[AgencyEntry]:
        """Who a collective line (各区政府, 各街镇) means in a plan of `plan_region`: the
        members whose area lies directly under the plan's region. Empty when the plan's region
        is unknown or the lexicon holds no members there."""
        entry = self.agency(name, plan_region)
        if entry is None or entry.kind != "collective" or plan_region is None:
            return []
        plan_region = self.canonical_region(plan_region) or plan_region
        members = []
        for member in self.agencies.values():
            if entry.name not in member.member_of or member.region is None:
                continue
            if self.region_parent(member.region) == plan_region:
                members.append(member)
        return members

    def scope_of(self, name: str, plan_region: str | None) -> str | None:
        """The region an owner belongs to: its own region when specific, else the plan's.
        区经委 in a Songjiang plan is Songjiang's; the graph builder keys agencies on this."""
        entry = self.agency(name, plan_region)
        if entry is None:
            return plan_region
        if entry.level in ("district", "town") and entry.region in (None, "上海市"):
            return plan_region
        return entry.region

    # -- regions -------------------------------------------------------------------------
    # By name: a special area of regions.csv, or a division of the gazetteer called by its full
    # (or former) name. A name several divisions share is read as the Shanghai one, the
    # lexicon's home (agencies.csv's 中山街道 is 松江区's); elsewhere it is not a region here.

    def canonical_region(self, name: str, plan_region: str | None = None) -> str | None:
        key = fold(name)
        if key in self._region_keys:
            return self._region_keys[key]
        local = self._region_local.get(key)
        if local and plan_region is not None and self._local_ok(local, plan_region):
            return local
        division = _division_named(name)
        return division.name if division is not None else None

    def region_parent(self, name: str) -> str | None:
        """The name of the region `name` lies in: its regions.csv `in`, or the gazetteer's
        parent division."""
        ancestors = self.region_ancestors(name)
        return ancestors[0] if ancestors else None

    def _local_ok(self, region: str, plan_region: str) -> bool:
        parent = self.regions[region].part_of
        return parent is not None and self.within(plan_region, parent)

    def region_ancestors(self, name: str) -> list[str]:
        """Regions above `name`, nearest first, up to the province (九亭镇 → 松江区, 上海市;
        松江新城 → 松江区, 上海市)."""
        current = self.canonical_region(name)
        code: str | None = None  # the division `current` is, when known by code
        chain: list[str] = []
        while current is not None:
            if current in self.regions:
                entry = self.regions[current]
                parent, code = entry.part_of, entry.located
            else:
                division = _divisions().get(code) if code else _division_named(current)
                outer = _divisions().get(division.parent) if division and division.parent else None
                parent, code = (outer.name, outer.code) if outer else (None, None)
            if parent is None or parent in chain:
                break
            chain.append(parent)
            current = parent
        return chain

    def within(self, region: str, ancestor: str) -> bool:
        """True when `region` is `ancestor` or lies inside it."""
        here = self.canonical_region(region) or region
        there = self.canonical_region(ancestor) or ancestor
        return here == there or there in self.region_ancestors(here)

    # -- industries ----------------------------------------------------------------------

    def industry(self, name: str) -> IndustryEntry | None:
        canonical = self._industry_keys.get(fold(name))
        return self.industries.get(canonical) if canonical else None

    def industry_ancestors(self, name: str) -> list[str]:
        """Taxonomy parents, nearest first (燃料电池汽车 → 新能源汽车, 汽车)."""
        entry = self.industry(name)
        chain: list[str] = []
        while entry is not None and entry.part_of and entry.part_of not in chain:
            chain.append(entry.part_of)
            entry = self.industries.get(entry.part_of)
        return chain

    def industry_groupings(self, name: str) -> list[str]:
        """Every grouping the lexicon counts an industry in, its own or inherited (新能源汽车 →
        六大重点产业), whatever the plan: the catalogue's view. For an item of a plan use
        `industry_groupings_in`, which leaves out other regions' groupings."""
        entry = self.industry(name)
        if entry is None:
            return []
        found: list[str] = []
        for each in (entry.name, *self.industry_ancestors(entry.name)):
            for grouping in self.industries[each].member_of:
                if grouping not in found:
                    found.append(grouping)
        return found

    def industry_groupings_in(self, name: str, plan_region: str | None) -> list[str]:
        """Groupings an industry counts in for an item of a plan of `plan_region`: a grouping
        scoped to a region (松江区特色产业集群) only when the plan lies in it, so a city task on
        集成电路 is not in the district's cluster list. Without a region (a national plan, or
        unknown) only groupings without a scope count."""
        return [
            grouping
            for grouping in self.industry_groupings(name)
            if self.industry_in_scope(grouping, plan_region)
        ]

    def industry_in_scope(self, name: str, plan_region: str | None) -> bool:
        """True when the entry is valid in a plan of `plan_region`: it has no scope, or the
        plan lies inside the scope (松江区's 现代装备 is not a named industry elsewhere)."""
        entry = self.industry(name)
        if entry is None or entry.scope is None:
            return entry is not None
        return plan_region is not None and self.within(plan_region, entry.scope)

    def industry_names(
        self, plan_region: str | None = None, *, every_region: bool = False
    ) -> dict[str, str]:
        """Folded name or alias → canonical industry, for the names valid in a plan of
        `plan_region`: scoped names (a district's own cluster names, Shanghai's 四大新赛道) only
        inside their scope; without a region (a national plan), only names without a scope.
        `every_region` gives every name, for a text whose plan is not known."""
        if every_region:
            return dict(self._industry_keys)
        return {
            key: name
            for key, name in self._industry_keys.items()
            if self.industry_in_scope(name, plan_region)
        }

    def industry_context_words(self, side: str, rule: str, sense: str | None) -> dict[str, str]:
        """Folded context words of one `rule` on one `side` that apply to entries of `sense`,
        each mapped to itself (a dictionary to match against, longest first)."""
        return {
            fold(w.word): w.word
            for w in self.industry_context
            if w.side == side and w.rule == rule and w.applies_to(sense)
        }

    # -- all names -----------------------------------------------------------------------

    def dictionary_words(self) -> list[str]:
        """Every name and alias of every entry, for the tokenizer's user dictionary."""
        words: set[str] = set()
        for agency in self.agencies.values():
            words.update(agency.names)
        for region in self.regions.values():
            words.update((region.name, *region.aliases, *region.local_aliases))
        words.update(_home_division_words(agency.region for agency in self.agencies.values()))
        for industry in self.industries.values():
            words.update((industry.name, *industry.aliases))
        return sorted(words)


def _check(lexicon: Lexicon) -> None:
    def missing(kind: str, owner: str, ref: str | None, table: dict) -> None:
        if ref is not None and ref not in table:
            raise LexiconError(f"{kind} {owner!r} refers to unknown {ref!r}")

    def no_region(kind: str, owner: str, ref: str | None) -> None:
        if ref is not None and lexicon.canonical_region(ref) is None:
            raise LexiconError(f"{kind} {owner!r} refers to unknown region {ref!r}")

    for entry in lexicon.agencies.values():
        missing("agency", entry.name, entry.counterpart, lexicon.agencies)
        no_region("agency", entry.name, entry.region)
        for collective in entry.member_of:
            missing("agency", entry.name, collective, lexicon.agencies)
    for region in lexicon.regions.values():
        if region.located is None:
            no_region("region", region.name, region.part_of)
    for industry in lexicon.industries.values():
        missing("industry", industry.name, industry.part_of, lexicon.industries)
        missing("industry", industry.name, industry.related, lexicon.industries)
        no_region("industry", industry.name, industry.scope)
        for grouping in industry.member_of:
            missing("industry", industry.name, grouping, lexicon.industries)
        if industry.kind == "grouping" and industry.sense is not None:
            raise LexiconError(f"industry {industry.name!r}: a grouping has no sense")
        if industry.kind != "grouping" and industry.sense not in INDUSTRY_SENSES:
            raise LexiconError(
                f"industry {industry.name!r}: sense {industry.sense!r} is not one of "
                f"{', '.join(INDUSTRY_SENSES)}"
            )
    for word in lexicon.industry_context:
        if word.side not in CONTEXT_SIDES or word.rule not in CONTEXT_RULES:
            raise LexiconError(f"industry context {word.word!r}: {word.side} {word.rule}?")
        unknown = set(word.senses) - {"all", *INDUSTRY_SENSES}
        if not word.senses or unknown:
            raise LexiconError(f"industry context {word.word!r}: senses {word.senses}?")


# -- divisions, by name (the gazetteer is the source; the lexicon only names them) ---------

_HOME = "310000"  # 上海市: the hand lexicons are Shanghai's


def _divisions():  # type: ignore[no-untyped-def]
    from schema.divisions import load_divisions

    return load_divisions()


@cache
def _division_named(name: str):  # type: ignore[no-untyped-def]
    """The division called `name` by its full or former name (not a short form); a name
    several share is read in Shanghai."""
    key = fold(name)
    divisions = _divisions()
    named = [
        d
        for d in divisions.candidates(name, _HOME)
        if fold(d.name) == key or key in (fold(n) for n in d.former_names)
    ]
    return named[0] if len(named) == 1 else None


class _Regions(dict):
    """The special areas by name; `regions[name]` also answers a division's name (read as in
    `_division_named`) with an entry made from the gazetteer, for callers that look regions up
    by name (the graph builder, until it keys places by `ingest.places`)."""

    def __missing__(self, name: str) -> RegionEntry:
        division = _division_named(name)
        if division is None:
            raise KeyError(name)
        parent = _divisions().get(division.parent) if division.parent else None
        return RegionEntry(
            name=division.name,
            aliases=(),
            local_aliases=(),
            kind=division.level,
            part_of=parent.name if parent else None,
            source="schema/divisions.py (national gazetteer)",
            located=parent.code if parent else None,
        )


def _region_ref(ref: str | None) -> str | None:
    """regions.csv `in` as a name: a division code becomes the division's name."""
    if ref is None or not ref.isdigit():
        return ref
    division = _divisions().get(ref)
    if division is None:
        raise LexiconError(f"regions.csv: unknown division code {ref!r}")
    return division.name


def _home_division_words(regions: Iterable[str | None]) -> set[str]:
    """Names the tokenizer keeps whole: Shanghai's districts (full and short) and the
    divisions agencies.csv names, with a town's name without 镇/街道 (九亭)."""
    divisions = _divisions()
    words: set[str] = set()
    for district in divisions.children(_HOME):
        words.update(w for w in (district.name, district.short) if w)
    for region in regions:
        division = _division_named(region) if region else None
        if division is None:
            continue
        words.add(division.name)
        for suffix in ("街道", "镇"):
            stem = division.name.removesuffix(suffix)
            if division.level == "town" and stem != division.name and len(stem) >= 2:
                words.add(stem)
    return words


def _unique(filename: str, entries: list) -> list:
    seen: set[str] = set()
    for entry in entries:
        if entry.name in seen:
            raise LexiconError(f"{filename}: {entry.name!r} appears twice")
        seen.add(entry.name)
    return entries


@cache
def load_lexicon() -> Lexicon:
    """The bundled lexicons, loaded and checked once per process."""
    agencies = [
        AgencyEntry(
            name=row["name"].strip(),
            full_name=_opt(row.get("full_name")),
            aliases=_split(row.get("aliases")),
            level=_opt(row.get("level")),
            region=_opt(row.get("region")),
            kind=row["kind"].strip(),
            counterpart=_opt(row.get("counterpart")),
            member_of=_split(row.get("member_of")),
            source=row["source"].strip(),
        )
        for _, row in _rows("agencies.csv")
    ]
    regions = [
        RegionEntry(
            name=row["name"].strip(),
            aliases=_split(row.get("aliases")),
            local_aliases=_split(row.get("local_aliases")),
            kind=row["kind"].strip(),
            part_of=_region_ref(_opt(row.get("in"))),
            source=row["source"].strip(),
            located=_opt(row.get("in")) if (row.get("in") or "").strip().isdigit() else None,
        )
        for _, row in _rows("regions.csv")
    ]
    industries = [
        IndustryEntry(
            name=row["name"].strip(),
            aliases=_split(row.get("aliases")),
            kind=row["kind"].strip(),
            part_of=_opt(row.get("part_of")),
            member_of=_split(row.get("member_of")),
            related=_opt(row.get("related")),
            scope=_opt(row.get("scope")),
            source=row["source"].strip(),
            sense=_opt(row.get("sense")),
        )
        for _, row in _rows("industries.csv")
    ]
    industry_context = [
        ContextWord(
            word=row["word"].strip(),
            side=row["side"].strip(),
            rule=row["rule"].strip(),
            senses=_split(row.get("senses")),
            source=row["source"].strip(),
        )
        for _, row in _rows("industry_context.csv", key="word")
    ]
    lexicon = Lexicon(
        _unique("agencies.csv", agencies),
        _unique("regions.csv", regions),
        _unique("industries.csv", industries),
        industry_context,
    )
    _check(lexicon)
    return lexicon


# Module-level shortcuts over the bundled lexicon, for callers that need one answer.


def agency(name: str, plan_region: str | None = None) -> AgencyEntry | None:
    return load_lexicon().agency(name, plan_region)


def counterpart(name: str) -> str | None:
    return load_lexicon().counterpart(name)


def collective_members(name: str, plan_region: str | None) -> list[AgencyEntry]:
    return load_lexicon().collective_members(name, plan_region)


def region_ancestors(name: str) -> list[str]:
    return load_lexicon().region_ancestors(name)


def industry_ancestors(name: str) -> list[str]:
    return load_lexicon().industry_ancestors(name)


def dictionary_words() -> list[str]:
    return load_lexicon().dictionary_words()
