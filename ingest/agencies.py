"""A plan's responsibility line (责任单位) → resolved `Owner`s, at every level of government.

Each unit keeps the role its line gives it (lead, co, support: see ingest/parsing/owners.py);
without roles the first listed unit leads and the rest are co-owners.

A written name is read, in this order, as

1. a row of the hand-made lexicon (schema/lexicons/agencies.csv: special units such as
   上海科创办 or 临港新片区管委会, and the names the bundled plans use) valid in the plan's region;
2. a collective line: 各区政府, 各区、县级市, 各街镇, 各省级人民政府 expand to the governments
   the gazetteer (schema/divisions.py) lists under the plan's government; 各有关部门 and
   松江新城范围内各街镇 stay collectives without members;
3. a national body written whole (交通运输部, 人民银行; 医保局 and the other bare short forms
   only in national plans);
4. a place followed by a bureau stem (schema/lexicons/bureaus.csv): 市 / 区 / 省 mean the
   plan's own government at that level, a division's name or short name means that division
   (广州市发展改革委, 松江区科委), 团市委 puts the place inside;
5. a division's bare name (越秀区, 九亭镇), meaning its government;
6. a collective no data enumerates (各有关部门, 有关部门和单位, 试点城市政府: no members);
7. what the ending says: X管委会 is a committee of the division X starts with; …集团 / …有限公司
   an enterprise, …大学 / …研究院 / …中心 an institution, …协会 an association (no government).

A double name (市发展改革委（市粮食和储备局）) is read by its main name, and a trailing 等 is
dropped.

Every owner carries the government it belongs to (a division code, or "CN" for national
bodies) and its function (the same key at every level: 区经委, 市经济信息化委 and 工业和信息化部
are all ``industry``), so that `owners_are_counterparts` can tell mirrors across levels. The
canonical name is qualified enough to tell units apart across plans: a district plan's 区经委 is
松江区经委, Guangzhou's 市发展改革委 is 广州市发展改革委; the lexicon's rows keep their names.

A collective line stays an owner of kind ``collective`` and is followed by its members, each
with ``via`` naming the collective and the collective's role. A unit listed directly is never
repeated through a collective. Names nothing matches are kept as written, with kind
``unknown``, and returned for reporting.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

from ingest.model import Owner
from schema.bureaus import (
    NATIONAL,
    AgencyFacts,
    BureauForm,
    Bureaus,
    NationalBody,
    are_counterparts,
    government_level,
    load_bureaus,
)
from schema.divisions import COUNTY, PREFECTURE, PROVINCE, TOWN, Division, Divisions, load_divisions
from schema.lexicon import AgencyEntry, Lexicon, fold, load_lexicon

__all__ = [
    "are_counterparts",
    "full_name",
    "owners_are_counterparts",
    "plan_government",
    "resolve_owners",
]

# A level guess for unknown names from how the genre writes them (市X / 区X / X镇 / X街道).
_LEVEL_HINTS = (
    (re.compile(r"^(?:各)?市"), "city"),
    (re.compile(r"^(?:各)?[区县]|[区县](?:人民)?政府$"), "district"),
    (re.compile(r"(?:镇|乡|街道)(?:人民政府|办事处)?$"), "town"),
)

# 市 / 区 / 省 in front of a stem: the plan's own government at that division level.
_OWN_LEVEL = {
    "省": PROVINCE,
    "自治区": PROVINCE,
    "市": PREFECTURE,
    "州": PREFECTURE,
    "自治州": PREFECTURE,
    "盟": PREFECTURE,
    "区": COUNTY,
    "县": COUNTY,
    "旗": COUNTY,
    "自治县": COUNTY,
    "镇": TOWN,
    "乡": TOWN,
    "街道": TOWN,
}
_OWNER_LEVEL = {PROVINCE: "province", PREFECTURE: "city", COUNTY: "district", TOWN: "town"}
_NATIONAL_PLACES = ("国家", "全国", "中央", "国务院")
_PARTY_PREFIXES = ("中国共产党", "中共")
# A national body's office in a place: 人民银行上海总部, 人民银行广州分行.
_BRANCHES = ("营业管理部", "中心支行", "监管分局", "监管局", "分行", "总部", "支行", "分局")

# Collective lines: 各 + level words (+ 人民政府): 各区政府, 各区、县级市, 各镇（街道）, 各省级人民
# 政府, 各省、自治区、直辖市人民政府; without 各 only with two levels or more (县（市）政府).
_COLLECTIVE_HEAD = re.compile(r"^各(?:有关|相关)?")
_COLLECTIVE_TAIL = re.compile(r"(?:人民政府|政府|党委和政府|党委|办事处)$")
_LEVEL_WORDS = (
    # longest first
    ("地级以上市", "prefecture"),
    ("设区的市", "prefecture"),
    ("设区市", "prefecture"),
    ("县级市", "county:市"),
    ("自治区", "province"),
    ("直辖市", "province"),
    ("自治州", "prefecture"),
    ("自治县", "county:县"),
    ("地级市", "prefecture"),
    ("省级", "province"),
    ("地市", "prefecture"),
    ("地区", "prefecture"),
    ("区县", "county:区|county:县"),
    ("县区", "county:区|county:县"),
    ("市区", "county:市|county:区"),
    ("街镇", "town:镇|town:街道|town:乡"),
    ("镇街", "town:镇|town:街道|town:乡"),
    ("乡镇", "town:镇|town:乡"),
    ("街道", "town:街道"),
    ("省", "province"),
    ("州", "prefecture"),
    ("盟", "prefecture"),
    ("区", "county:区"),
    ("县", "county:县"),
    ("旗", "county:旗"),
    ("市", "市"),
    ("镇", "town:镇"),
    ("乡", "town:乡"),
)
_SEPARATORS = set("、，,()（）和及与/")
# Collectives no data can enumerate: 各有关部门, 有关部门和单位, 各项目牵头单位, 试点城市政府.
_GROUP_HEAD = re.compile(r"^(?:各|有关|相关|其他|其它|所在|属地)")
_GROUP_WORDS = re.compile(r"各|有关|相关|各级|试点|城市|地方|所在地|属地|以上")
_GROUP_TAIL = re.compile(
    r"(?:部门|单位|机构|方面|企业|组织|委办局|部委|地区|城市|地方|政府|人民政府|主体|成员"
    r"|管委会|国企)$|^各地$"
)
# A zone's administrative committee: 嘉定新城管委会, 南沙开发区管理委员会.
_COMMITTEE = re.compile(r"(?:管委会|管理委员会|管委)$")
# Organisations named by what they are, last: enterprises, institutions, associations.
_ORGANISATIONS = (
    (re.compile(r"(?:集团|公司|集团有限公司|有限责任公司|股份有限公司|企业)$"), "enterprise"),
    (
        re.compile(r"(?:大学|学院|研究院|研究所|研究中心|科学院|医院|实验室|中心|学校)$"),
        "institution",
    ),
    (re.compile(r"(?:协会|商会|学会|促进会|联盟|联合会|基金会)$"), "association"),
)
# Towns, streets and the other town-level units of the gazetteer (开发区, 工业区, 农场...).
_TOWN_KINDS = (("街道", "street"), ("镇", "town"), ("乡", "town"), ("苏木", "town"))


class OwnerLike(Protocol):
    government: str | None
    function: str | None


def _clean(name: str) -> str:
    # PDF noise splits names across lines; the wording itself is kept.
    return "".join(name.split())


def _readings(key: str) -> list[str]:
    """The ways to read a folded name: as written, without a trailing 等, then the main name
    and the name in brackets of a double name (市发展改革委(市粮食和储备局))."""
    readings = [key]
    if key.endswith("等"):
        readings.append(key[:-1])
    match = re.fullmatch(r"(.+?)\((.+)\)", key)
    if match:
        readings += [match.group(1), match.group(2)]
    return list(dict.fromkeys(readings))


def _guess_level(name: str) -> str | None:
    for pattern, level in _LEVEL_HINTS:
        if pattern.search(name):
            return level
    return None


def plan_government(
    plan_region: str | None,
    plan_region_code: str | None = None,
    plan_level: str | None = None,
    divisions: Divisions | None = None,
) -> str | None:
    """The government a plan speaks for: "CN" for national plans, else the division code
    (given, or resolved from the region's name), None when unknown."""
    if plan_level == "national":
        return NATIONAL
    if plan_region_code:
        return plan_region_code
    if plan_region:
        divisions = divisions or load_divisions()
        key = fold(plan_region)
        division = divisions.resolve(key)
        for cut in range(2, len(key) - 1):  # 杭州市西湖区: the inner name read in the outer
            if division is not None:
                break
            outer = divisions.resolve(key[:cut])
            inner = divisions.resolve(key[cut:], outer.code) if outer is not None else None
            if outer is not None and inner is not None and divisions.within(inner.code, outer.code):
                division = inner
        return division.code if division else None
    return None


def owners_are_counterparts(a: OwnerLike, b: OwnerLike, divisions: Divisions | None = None) -> bool:
    """`are_counterparts` for two owners (anything with `government` and `function`)."""
    return are_counterparts(
        a.government, a.function, b.government, b.function, divisions or load_divisions()
    )


@dataclass
class _Unit:
    """What a written name resolved to; `members` only for collectives."""

    canonical: str
    level: str | None
    kind: str
    government: str | None
    function: str | None
    members: list[_Unit] = field(default_factory=list)


def _town_kind(name: str) -> str:
    for suffix, kind in _TOWN_KINDS:
        if name.endswith(suffix):
            return kind
    return "zone"


class _Resolver:
    """Reads names in the context of one plan."""

    def __init__(
        self,
        lexicon: Lexicon,
        bureaus: Bureaus,
        divisions: Divisions,
        plan_region: str | None,
        government: str | None,
    ) -> None:
        self.lexicon = lexicon
        self.bureaus = bureaus
        self.divisions = divisions
        self.plan_region = plan_region
        self.government = government
        self.national_plan = government == NATIONAL
        self.plan_division = (
            divisions.get(government) if government and government != NATIONAL else None
        )
        # Governments by division level as 市 / 区 / 省 mean them in this plan.
        self.own: dict[str, Division] = {}
        if self.plan_division is not None:
            self._own_levels(self.plan_division)

    def _own_levels(self, plan: Division) -> None:
        chain = [plan, *self.divisions.ancestors(plan.code)]
        for division in chain:
            self.own.setdefault(division.level, division)
        if plan.level == COUNTY and plan.name.endswith("市"):
            self.own[PREFECTURE] = plan  # a county-level city's plan: 市 is itself
        city = self.divisions.city_of(plan.code)
        if city is not None:
            self.own[PREFECTURE] = self.own.get(PREFECTURE) or city
            if city.municipality:
                self.own[PREFECTURE] = city

    # -- the whole name ----------------------------------------------------------------------

    def unit(self, name: str) -> _Unit | None:
        row = self._row(name)
        if row is not None:
            if row.kind == "collective":
                return self._collective(name, row)
            return self._row_unit(row)
        key = fold(name)
        for candidate in _readings(key):
            unit = (
                self._collective(candidate, None)
                or self._national(candidate)
                or self._stem(candidate)
                or self._division(candidate)
                or self._group(candidate)
            )
            if unit is not None:
                return unit
        row = next(filter(None, map(self._row, _readings(key)[1:])), None)
        if row is not None and row.kind != "collective":
            return self._row_unit(row)
        return self._committee(key) or self._organisation(key)

    # -- the lexicon's rows --------------------------------------------------------------------

    def _row(self, name: str) -> AgencyEntry | None:
        """The lexicon's row for a name, when its government fits the plan's: Shanghai's 市财政局
        is not a 杭州 plan's, and no city's bureau is a national plan's."""
        entry = self.lexicon.agency(name)
        if entry is None:
            return None
        government = self._facts(entry).government
        if government is None or government == NATIONAL or self.government is None:
            return entry
        if self.national_plan or self.plan_division is None:
            return None
        plan = self.plan_division.code
        if self.divisions.within(plan, government) or self.divisions.within(government, plan):
            return entry
        return None

    def _facts(self, entry: AgencyEntry) -> AgencyFacts:
        return self.bureaus.agencies.get(entry.name) or AgencyFacts(None, None)

    def _generic(self, entry: AgencyEntry) -> bool:
        """区经委 (a district bureau of any district of 上海市) or 各街镇, as opposed to 九亭镇,
        国投集团 or 市经济信息化委: the plan's own district (or towns) are meant."""
        if entry.level not in (None, "district", "town"):
            return False
        if entry.level is None and entry.kind != "collective":
            return False
        government = self._facts(entry).government
        return government is None or government_level(government, self.divisions) in (
            "national",
            "province",
            "city",
        )

    def _row_government(self, entry: AgencyEntry) -> str | None:
        if not self._generic(entry):
            return self._facts(entry).government
        if entry.kind == "collective" or entry.level is None:
            return self.government
        own = self.own.get(COUNTY) if entry.level == "district" else self.own.get(TOWN)
        return own.code if own else None

    def _qualified(self, name: str, entry: AgencyEntry | None) -> str:
        """区经委 in 松江区's plan is 松江区经委, 各街镇 is 松江区各街镇, as the graph qualifies."""
        own = self.own.get(COUNTY) if self.plan_division is not None else None
        if own is None or self.plan_division is None or self.plan_division.level != COUNTY:
            return name
        if entry is not None and not self._generic(entry):
            return name
        if name.startswith(own.name):
            return name
        return own.name + name[1:] if name.startswith("区") else own.name + name

    def _row_unit(self, entry: AgencyEntry) -> _Unit:
        government = self._row_government(entry)
        function = self._facts(entry).function
        if entry.kind in ("government", "town", "street"):
            function = None
        return _Unit(
            self._qualified(entry.name, entry),
            entry.level,
            entry.kind,
            government,
            function,
        )

    # -- collectives -----------------------------------------------------------------------------

    def _levels(self, text: str) -> list[str] | None:
        """The level words of a collective's middle (区、县级市 → county:区, county:市)."""
        found: list[str] = []
        at = 0
        while at < len(text):
            if text[at] in _SEPARATORS:
                at += 1
                continue
            for word, meaning in _LEVEL_WORDS:
                if text.startswith(word, at):
                    found.extend(meaning.split("|"))
                    at += len(word)
                    break
            else:
                return None
        return found or None

    def _collective(self, name: str, entry: AgencyEntry | None) -> _Unit | None:
        key = fold(entry.name if entry is not None else name)
        head = _COLLECTIVE_HEAD.match(key)
        middle = _COLLECTIVE_TAIL.sub("", key[head.end() if head else 0 :])
        levels = self._levels(middle) if middle else None
        if entry is None and (levels is None or (head is None and len(levels) < 2)):
            return None
        canonical = self._qualified(entry.name if entry else _clean(name), entry)
        if levels is None:
            members = self._listed_members(entry) if entry is not None else []
            return _Unit(
                canonical,
                entry.level if entry else None,
                "collective",
                self.government,
                None,
                members,
            )
        target, suffixes = self._target(levels)
        members, government = self._members(target, suffixes)
        level = _OWNER_LEVEL.get(target) if target else None
        if target == PROVINCE:
            level = "province"
        elif level is None and entry is not None:
            level = entry.level
        if entry is not None and entry.level:
            level = entry.level
        return _Unit(canonical, level, "collective", government, None, members)

    def _target(self, levels: list[str]) -> tuple[str | None, set[str]]:
        kinds = {level.split(":")[0] for level in levels}
        suffixes = {level.split(":")[1] for level in levels if ":" in level}
        if "province" in kinds:
            return PROVINCE, set()
        if "prefecture" in kinds:
            return PREFECTURE, set()
        if "county" in kinds:
            return COUNTY, suffixes | ({"市"} if "市" in kinds else set())
        if "town" in kinds:
            return TOWN, suffixes
        # 各市 alone: a province's cities, or a prefecture's county-level cities.
        plan = self.plan_division
        if plan is not None and plan.level == PROVINCE and not plan.municipality:
            return PREFECTURE, set()
        if plan is not None and plan.level == PREFECTURE:
            return COUNTY, {"市"}
        return None, set()

    def _members(self, target: str | None, suffixes: set[str]) -> tuple[list[_Unit], str | None]:
        divisions = self.divisions
        plan = self.plan_division
        if target == PROVINCE:
            found = [d for d in divisions.all(PROVINCE) if int(d.code) < 700000]  # not HK/MO/TW
            return [self._government_unit(d) for d in found], NATIONAL
        if plan is None or target is None:
            return [], self.government
        if target == PREFECTURE:
            base = self.own.get(PROVINCE)
            if base is None or base.municipality or plan.level != PROVINCE:
                return [], self.government
            found = [d for d in divisions.children(base.code) if d.level == PREFECTURE]
        elif target == COUNTY:
            if plan.level not in (PROVINCE, PREFECTURE):
                return [], self.government
            found = self._counties(plan)
        else:
            if plan.level != COUNTY:
                return [], self.government  # a city's plan: each district's own towns
            found = [d for d in divisions.children(plan.code) if d.level == TOWN]
        if suffixes:
            found = [d for d in found if any(d.name.endswith(s) for s in suffixes)]
        return [self._government_unit(d) for d in found], plan.code

    def _counties(self, plan: Division) -> list[Division]:
        below = self.divisions.children(plan.code)
        counties = [d for d in below if d.level == COUNTY]
        for prefecture in (d for d in below if d.level == PREFECTURE):
            counties += [d for d in self.divisions.children(prefecture.code) if d.level == COUNTY]
        return counties

    def _listed_members(self, entry: AgencyEntry) -> list[_Unit]:
        """Members the lexicon lists (`member_of`) for a collective no gazetteer level describes,
        inside the collective's government. None are listed for 松江新城范围内各街镇: no data says
        which towns lie in the new city."""
        within = self._row_government(entry)
        members = []
        for member in self.lexicon.agencies.values():
            government = self._facts(member).government
            if entry.name not in member.member_of or government is None:
                continue
            if within is None or self.divisions.within(government, within):
                members.append(self._row_unit(member))
        return members

    def _government_unit(self, division: Division) -> _Unit:
        level = government_level(division.code, self.divisions)
        if division.level == TOWN:
            return _Unit(division.name, level, _town_kind(division.name), division.code, None)
        return _Unit(division.name + "政府", level, "government", division.code, None)

    def _group(self, key: str) -> _Unit | None:
        """各有关部门, 有关部门和单位, 试点城市政府: a collective no data can enumerate."""
        if not _GROUP_TAIL.search(key):
            return None
        if not (_GROUP_HEAD.match(key) or _GROUP_WORDS.search(key)):
            return None
        level = "city" if "城市" in key else ("province" if "省" in key else None)
        return _Unit(self._qualified(key, None), level, "collective", self.government, None)

    # -- national bodies -------------------------------------------------------------------------

    def _national_unit(self, body: NationalBody) -> _Unit:
        return _Unit(body.name, "national", body.kind, NATIONAL, body.function)

    def _national(self, key: str) -> _Unit | None:
        body = self.bureaus.national(key)
        if body is not None:
            # 财政局, 统计局 written bare in a local plan are the plan's own.
            if not self.national_plan and self.bureaus.is_stem(key) and self.government:
                return None
            return self._national_unit(body)
        return self._branch(key)

    def _branch(self, key: str) -> _Unit | None:
        """人民银行上海总部: a national body's office for a place; 国家税务总局杭州市税务局: the
        national body's name in front of its local bureau."""
        for body in self.bureaus.national_bodies:
            for written in sorted((fold(n) for n in body.names), key=len, reverse=True):
                if not key.startswith(written) or len(key) <= len(written):
                    continue
                rest = key[len(written) :]
                local = self._stem(rest) if rest[0] not in _OWN_LEVEL else None
                if local is not None and local.government not in (None, NATIONAL):
                    return local
                for suffix in _BRANCHES:
                    if rest.endswith(suffix) and len(rest) > len(suffix):
                        place = self._place_division(rest[: -len(suffix)])
                        if place is not None:
                            level = government_level(place.code, self.divisions)
                            return _Unit(key, level, body.kind, place.code, body.function)
        return None

    # -- place + stem ----------------------------------------------------------------------------

    def _place_division(self, text: str) -> Division | None:
        """A division named by `text` (上海市, 松江, 上海市松江区), read near the plan."""
        if len(text) < 2:
            return None
        context = self.plan_division.code if self.plan_division is not None else None
        division = self.divisions.resolve(text, context)
        if division is not None:
            return division
        for cut in range(2, len(text) - 1):
            outer = self.divisions.resolve(text[:cut], context)
            if outer is None:
                continue
            inner = self.divisions.resolve(text[cut:], outer.code)
            if inner is not None and self.divisions.within(inner.code, outer.code):
                return inner
        return None

    def _place(self, text: str) -> tuple[bool, str | None, str | None, str | None]:
        """(read, government, owner level, place name for display) for a name's place part."""
        for prefix in _PARTY_PREFIXES:
            if text.startswith(prefix):
                text = text[len(prefix) :]
                break
        if text == "":
            level = government_level(self.government, self.divisions)
            name = self.plan_division.name if self.plan_division is not None else None
            return True, self.government, level, name
        if text in _NATIONAL_PLACES:
            return True, NATIONAL, "national", None
        for government in ("人民政府", "政府"):  # 市政府国资委, 省政府办公厅
            if text.endswith(government) and len(text) > len(government):
                text = text[: -len(government)]
                break
        if text in _OWN_LEVEL:
            division_level = _OWN_LEVEL[text]
            own = self.own.get(division_level)
            if own is None:
                return True, None, _OWNER_LEVEL[division_level], text
            return True, own.code, government_level(own.code, self.divisions), own.name
        division = self._place_division(text)
        if division is None:
            return False, None, None, None
        return True, division.code, government_level(division.code, self.divisions), division.name

    def _stem(self, key: str) -> _Unit | None:
        for split in self.bureaus.splits(key):
            read, government, level, place = self._place(split.place)
            if read:
                return self._stem_unit(key, split.form, government, level, place)
        return None

    def _stem_unit(
        self,
        key: str,
        form: BureauForm,
        government: str | None,
        level: str | None,
        place: str | None,
    ) -> _Unit:
        if government == NATIONAL:
            bodies = self.bureaus.national_for(form.function) if form.function else []
            if bodies:
                return self._national_unit(bodies[0])
            return _Unit(key, "national", form.kind, NATIONAL, form.function)
        division = self.divisions.get(government) if government else None
        if form.kind == "government":
            if division is not None:
                return self._government_unit(division)
            return _Unit(key, level, "government", None, None)
        canonical = form.display(place) if place is not None else key
        kind = form.kind
        row = self._row_for(government, form.function, kind)
        if row is not None:
            canonical = row.name
        return _Unit(canonical, level, kind, government, form.function)

    @cached_property
    def _rows_by_function(self) -> dict[tuple[str, str, str], AgencyEntry]:
        rows: dict[tuple[str, str, str], AgencyEntry] = {}
        for entry in self.lexicon.agencies.values():
            function, government = self._facts(entry).function, self._facts(entry).government
            if function is None or entry.level == "national" or self._generic(entry):
                continue
            if government is not None:
                rows.setdefault((government, function, entry.kind), entry)
        return rows

    def _row_for(
        self, government: str | None, function: str | None, kind: str
    ) -> AgencyEntry | None:
        """The lexicon's own row for a government's body with this function (上海市发展和改革
        委员会 written in full in a Shanghai plan is the row 市发展改革委)."""
        if government is None or function is None:
            return None
        return self._rows_by_function.get((government, function, kind))

    # -- what the name's ending says -------------------------------------------------------------

    def _lead_place(self, key: str) -> Division | None:
        """The division a name starts with (嘉定新城 → 嘉定区, 上海国际汽车城 → 上海市)."""
        for end in range(len(key) - 1, 1, -1):
            division = self._place_division(key[:end])
            if division is None:
                continue
            if division.level != TOWN or self._inside_plan(division):
                return division
        return None

    def _inside_plan(self, division: Division) -> bool:
        plan = self.plan_division
        return plan is not None and self.divisions.within(division.code, plan.code)

    def _committee(self, key: str) -> _Unit | None:
        """X管委会: the administrative committee of a zone, new city or park, under the division
        its name starts with (嘉定新城管委会: 嘉定区), else the special area's division
        (regions.csv). A committee of an area nothing knows stays unknown (reported)."""
        match = _COMMITTEE.search(key)
        if match is None or match.start() < 2:
            return None
        area = key[: match.start()]
        division = self._lead_place(area)
        government = division.code if division is not None else None
        if government is None:
            region = self.lexicon.canonical_region(area, self.plan_region)
            if region is None:
                return None
            located = getattr(self.lexicon.regions.get(region), "located", None)
            government = located if isinstance(located, str) else None
        level = government_level(government, self.divisions)
        return _Unit(key, level, "committee", government, None)

    def _organisation(self, key: str) -> _Unit | None:
        """An enterprise, institution or association named as such (…集团, …有限公司, …大学,
        …研究院, …协会). No government: a place in its name says where it is, not whose it is
        (浙江大学 is the Ministry of Education's)."""
        for pattern, kind in _ORGANISATIONS:
            if pattern.search(key) and len(key) > 3:
                return _Unit(key, None, kind, None, None)
        return None

    # -- a division written bare ---------------------------------------------------------------

    def _division(self, key: str) -> _Unit | None:
        """越秀区 or 九亭镇 written alone: the division's government."""
        division = self._place_division(key)
        if division is None or not division.current:
            return None
        return self._government_unit(division)


def full_name(
    owner: Owner,
    *,
    lexicon: Lexicon | None = None,
    divisions: Divisions | None = None,
    bureaus: Bureaus | None = None,
) -> str | None:
    """The unit's full name for display (松江区经委 → 松江区经济委员会, 广州市发展改革委 →
    广州市发展和改革委员会, 松江区政府 → 松江区人民政府, 医保局 → 国家医疗保障局); None for
    collectives, organisations and unknown names."""
    lexicon = lexicon or load_lexicon()
    divisions = divisions or load_divisions()
    bureaus = bureaus or load_bureaus()
    if owner.kind in ("collective", "unknown", "enterprise", "institution", "association"):
        return None
    if owner.government == NATIONAL:
        body = bureaus.national(owner.canonical)
        if body is not None:
            return body.full_name or body.name
    division = divisions.get(owner.government) if owner.government not in (None, NATIONAL) else None
    if owner.kind == "government" and division is not None:
        return division.name + "人民政府"
    if owner.kind in ("town", "street") and division is not None:
        return division.name + ("办事处" if owner.kind == "street" else "人民政府")
    entry = lexicon.agency(owner.name) or lexicon.agency(owner.canonical)
    facts = bureaus.agencies.get(entry.name) if entry is not None else None
    if entry is not None and entry.full_name and facts is not None:
        if facts.government == owner.government:
            return entry.full_name
        generic = facts.government not in (None, NATIONAL) and owner.government is not None
        if generic and entry.full_name.startswith(("区", "县")) and division is not None:
            inside = owner.government not in (None, NATIONAL) and divisions.within(
                str(owner.government), str(facts.government)
            )
            if inside:
                return division.name + entry.full_name[1:]
    for split in bureaus.splits(owner.canonical):
        if division is not None and split.place == fold(division.name) and split.form.full:
            return (
                split.form.full.replace("{}", division.name)
                if "{}" in split.form.full
                else (division.name + split.form.full)
            )
    return None


def resolve_owners(
    agencies: Iterable[str],
    *,
    roles: Sequence[str] = (),
    plan_region: str | None = None,
    plan_region_code: str | None = None,
    plan_level: str | None = None,
    lexicon: Lexicon | None = None,
    divisions: Divisions | None = None,
    bureaus: Bureaus | None = None,
) -> tuple[list[Owner], list[str]]:
    """Owners for a responsibility line in document order, and the names nothing matched.

    `plan_region` is the plan's region as written (上海市, 松江区), `plan_region_code` its
    division code when known (resolved from the name otherwise) and `plan_level` the plan's
    level ("national" makes the plan's government CN)."""
    lexicon = lexicon or load_lexicon()
    divisions = divisions or load_divisions()
    bureaus = bureaus or load_bureaus()
    government = plan_government(plan_region, plan_region_code, plan_level, divisions)
    resolver = _Resolver(lexicon, bureaus, divisions, plan_region, government)

    pairs = [
        (_clean(name), roles[i] if i < len(roles) else ("lead" if i == 0 else "co"))
        for i, name in enumerate(agencies)
    ]
    pairs = [(name, role) for name, role in pairs if name]
    units = [resolver.unit(name) for name, _ in pairs]
    direct = {unit.canonical for unit in units if unit is not None}

    owners: list[Owner] = []
    unknown: list[str] = []
    seen: set[tuple[str, str | None]] = set()

    def add(owner: Owner) -> None:
        key = (owner.canonical, owner.via)
        if key not in seen:
            seen.add(key)
            owners.append(owner)

    for (name, role), unit in zip(pairs, units, strict=True):
        if unit is None:
            unknown.append(name)
            add(Owner(name, name, role, _guess_level(name), "unknown"))
            continue
        add(
            Owner(
                name,
                unit.canonical,
                role,
                unit.level,
                unit.kind,
                government=unit.government,
                function=unit.function,
            )
        )
        for member in unit.members:
            if member.canonical not in direct:
                add(
                    Owner(
                        member.canonical,
                        member.canonical,
                        role,
                        member.level,
                        member.kind,
                        unit.canonical,
                        government=member.government,
                        function=member.function,
                    )
                )
    return owners, unknown
