"""Responsible units by function: the bureau stems every level of government uses, the national
bodies, and when two units mirror each other across levels.

Three files under `schema/lexicons/` hold the facts (see the README there):

* `bureaus.csv` — one row per way local governments name a body with a given function: the
  stem (发展改革委, 经济信息化委, 人力资源社会保障局), its full form (发展和改革委员会) and short
  forms (发改委), the levels that use it, its kind. A written name is a place (省/市/区, a
  division's name or short name, nothing) followed by a stem; templates with ``{}`` mark where
  the place goes when it is not in front (共青团{}委, 团{}委 for 团市委).
* `national.csv` — national bodies, written whole (工业和信息化部, 人民银行, 国务院办公厅, 全国
  总工会), each with the same function key as its local counterparts.
* `agencies.csv` — the hand-made lexicon of special units (schema/lexicon.py loads it); its
  `function` and `government` columns are read here (`AgencyFacts`).

The function key is shared across levels: 区经委, 上海市经济和信息化委员会, 广州市工业和信息化局
and 工业和信息化部 are all ``industry``. Two units are counterparts when they share a function
and one's government is the other's direct parent government (`are_counterparts`).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from schema.divisions import PREFECTURE, PROVINCE, TOWN, Divisions
from schema.lexicon import LexiconError, fold

NATIONAL = "CN"  # the government of national bodies
LEVELS = ("national", "province", "city", "district", "town")
_PLACE = "{}"
_LIST_SEP = "|"


def _split(cell: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (cell or "").split(_LIST_SEP) if part.strip())


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for item in items if item))


@dataclass(frozen=True)
class BureauForm:
    """One way of naming a body with a function below the national level."""

    function: str | None  # None for governments: they relate through the division tree
    levels: tuple[str, ...]  # where the form is used (informational; the place decides)
    stem: str  # the short form shown after the place (发展改革委); may hold {} (共青团{}委)
    full: str | None  # the full form (发展和改革委员会)
    aliases: tuple[str, ...]
    kind: str
    source: str

    @property
    def forms(self) -> tuple[str, ...]:
        return _unique((self.stem, self.full or "", *self.aliases))

    def display(self, place: str) -> str:
        """The canonical name of this body of `place` (广州市 → 广州市发展改革委)."""
        return self.stem.replace(_PLACE, place) if _PLACE in self.stem else place + self.stem


@dataclass(frozen=True)
class NationalBody:
    """A national body, written whole (工业和信息化部, 人民银行, 全国总工会)."""

    name: str
    full_name: str | None
    aliases: tuple[str, ...]
    function: str | None
    kind: str
    source: str

    @property
    def names(self) -> tuple[str, ...]:
        return _unique((self.name, *self.aliases, self.full_name or ""))


@dataclass(frozen=True)
class AgencyFacts:
    """What bureaus.py reads of an agencies.csv row: its function and its government (a division
    code, "CN", or None for lines valid anywhere such as 各有关单位). A district- or town-level
    row whose government is a city (区经委: 310000) is generic: the district of the plan."""

    function: str | None
    government: str | None


@dataclass(frozen=True)
class Split:
    """A written name read as place + form: 团市委 → place 市, form 共青团{}委."""

    place: str
    form: BureauForm
    matched: str  # the form as it matched (folded)


class Bureaus:
    """The bureau forms and national bodies, with name lookups on folded keys."""

    def __init__(
        self,
        forms: list[BureauForm],
        national: list[NationalBody],
        agencies: dict[str, AgencyFacts],
    ) -> None:
        self.forms = tuple(forms)
        self.national_bodies = tuple(national)
        self.agencies = dict(agencies)
        self._national: dict[str, NationalBody] = {}
        for body in national:
            for name in body.names:
                self._national.setdefault(fold(name), body)
        # Every (pattern, form) pair, longest written form first so that 委组织部 wins over 委.
        patterns: list[tuple[int, re.Pattern[str], str, BureauForm]] = []
        for form in forms:
            for written in form.forms:
                key = fold(written)
                if _PLACE in key:
                    head, _, tail = key.partition(_PLACE)
                    pattern = re.compile(f"^{re.escape(head)}(?P<place>.+){re.escape(tail)}$")
                else:
                    pattern = re.compile(f"^(?P<place>.*){re.escape(key)}$")
                patterns.append((len(key), pattern, key, form))
        patterns.sort(key=lambda item: -item[0])
        self._patterns = [(pattern, key, form) for _, pattern, key, form in patterns]
        self._stems = {fold(w) for form in forms for w in form.forms if _PLACE not in w}

    @property
    def functions(self) -> set[str]:
        found = {form.function for form in self.forms if form.function}
        found |= {body.function for body in self.national_bodies if body.function}
        return found

    def national(self, name: str) -> NationalBody | None:
        """The national body a name means as written whole (交通运输部, 医保局, 共青团中央)."""
        return self._national.get(fold(name))

    def national_for(self, function: str) -> list[NationalBody]:
        """National bodies with `function`, current ones first (the file lists them first)."""
        return [body for body in self.national_bodies if body.function == function]

    def is_stem(self, name: str) -> bool:
        """Whether a name is a bare local stem (财政局, 发展改革委) with no place in front."""
        return fold(name) in self._stems

    def splits(self, name: str) -> list[Split]:
        """Every reading of `name` as place + form, longest form first. The place is folded
        text still to be resolved (市, 上海市, 中共松江区, or empty)."""
        key = fold(name)
        found = []
        for pattern, written, form in self._patterns:
            match = pattern.match(key)
            if match:
                found.append(Split(match.group("place"), form, written))
        return found


def _rows(filename: str) -> Iterable[tuple[int, dict[str, str]]]:
    text = resources.files("schema").joinpath("lexicons", filename).read_text(encoding="utf-8")
    for index, row in enumerate(csv.DictReader(text.splitlines()), start=2):
        if None in row:
            raise LexiconError(f"{filename}:{index}: more cells than columns (a comma in a cell?)")
        if not (row.get("source") or "").strip():
            raise LexiconError(f"{filename}:{index}: row without a source")
        yield index, row


def _forms() -> list[BureauForm]:
    forms = []
    for index, row in _rows("bureaus.csv"):
        stem = (row.get("stem") or "").strip()
        kind = (row.get("kind") or "").strip()
        if not stem or not kind:
            raise LexiconError(f"bureaus.csv:{index}: row without a stem or kind")
        levels = _split(row.get("levels"))
        if not set(levels) <= set(LEVELS):
            raise LexiconError(f"bureaus.csv:{index}: unknown level in {levels}")
        forms.append(
            BureauForm(
                function=(row.get("function") or "").strip() or None,
                levels=levels,
                stem=stem,
                full=(row.get("full") or "").strip() or None,
                aliases=_split(row.get("aliases")),
                kind=kind,
                source=row["source"].strip(),
            )
        )
    return forms


def _national() -> list[NationalBody]:
    bodies = []
    seen: set[str] = set()
    for index, row in _rows("national.csv"):
        name = (row.get("name") or "").strip()
        if not name or name in seen:
            raise LexiconError(f"national.csv:{index}: row without a name, or twice: {name!r}")
        seen.add(name)
        bodies.append(
            NationalBody(
                name=name,
                full_name=(row.get("full_name") or "").strip() or None,
                aliases=_split(row.get("aliases")),
                function=(row.get("function") or "").strip() or None,
                kind=(row.get("kind") or "").strip(),
                source=row["source"].strip(),
            )
        )
    return bodies


def _agency_facts() -> dict[str, AgencyFacts]:
    facts = {}
    for index, row in _rows("agencies.csv"):
        government = (row.get("government") or "").strip() or None
        if government is not None and government != NATIONAL and not government.isdigit():
            raise LexiconError(f"agencies.csv:{index}: government {government!r} is not a code")
        facts[row["name"].strip()] = AgencyFacts(
            (row.get("function") or "").strip() or None, government
        )
    return facts


@cache
def load_bureaus() -> Bureaus:
    """The bundled bureau forms and national bodies, loaded once per process."""
    return Bureaus(_forms(), _national(), _agency_facts())


# -- governments -------------------------------------------------------------------------


def government_level(government: str | None, divisions: Divisions) -> str | None:
    """The owner level of a government: national, province, city, district or town. The
    municipalities (上海市) count as city, as their plans and bureaus say 市."""
    if government is None:
        return None
    if government == NATIONAL:
        return "national"
    division = divisions.get(government)
    if division is None:
        return None
    if division.level == PROVINCE:
        return "city" if division.municipality else "province"
    if division.level == PREFECTURE:
        return "city"
    if division.level == TOWN:
        return "town"
    return "district"


def parent_government(government: str | None, divisions: Divisions) -> str | None:
    """The government directly above: a district's city (or municipality), a city's province,
    a province's CN. None above CN and for unknown codes."""
    if government is None or government == NATIONAL:
        return None
    division = divisions.get(government)
    if division is None:
        return None
    return division.parent or NATIONAL


def are_counterparts(
    government_a: str | None,
    function_a: str | None,
    government_b: str | None,
    function_b: str | None,
    divisions: Divisions,
) -> bool:
    """Whether two units mirror each other across one level: the same function, and one's
    government is the other's direct parent (松江区经委 ↔ 市经济信息化委 ↔ 工业和信息化部)."""
    if not function_a or function_a != function_b:
        return False
    if government_a is None or government_b is None or government_a == government_b:
        return False
    return (
        parent_government(government_a, divisions) == government_b
        or parent_government(government_b, divisions) == government_a
    )
