"""Target cascades: which parent target each child target contributes to, and how.

A child target is matched with the parent target it refines, by meaning rather than by the
exact wording (`metric_core`): the words that say how a number is reached (新增, 累计, 每年,
培育 ...) are dropped, variant names are mapped to one form (特色产业园区 → 特色园区), and the
tier a count sits in (国家级, 市级以上 ...) is kept aside so that a count cascades only to a
count of the same tier. The words are data: `schema/lexicons/metric_words.toml`.

Among the parent targets on the same metric, one is chosen per child target: first a target on
the parent item the child item implements (the level links decide that), then the same tier,
the same unit, the same kind of period, the closer wording. On those aligned items only, a
metric whose wording is merely similar (character bigrams) is accepted too.

`compare` says how the two compare: a share of a count or amount (same unit and period), or
stricter / looser / same for a rate; `different-period` when one is a yearly figure and the
other a plan-period total, with the comparison annualised over the plans' periods.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ingest.alignment.features import metric_key
from ingest.alignment.model import Cascade, IndicatorRef, LevelAlignment
from ingest.model import Indicator, Plan

_MULTIPLIERS = (("万亿", 1e12), ("千亿", 1e11), ("亿", 1e8), ("千万", 1e7), ("万", 1e4))
_RATE_UNITS = {"%", "％", "个百分点", "百分点", "‰"}
_LOWER_IS_STRICTER = {"<=", "<", "decrease"}
_SCOPE_ORDER = {"plan": 0, "goal": 1, "task": 2, "measure": 3}
_YEARLY = {"annual", "annual-average"}  # the other periods (by-end, cumulative, none): plan totals
_QUOTES = re.compile(r"[“”\"‘’'「」『』《》]")
_PARENTHESISED = re.compile(r"[（(][^（()）]*[）)]")
_PARENS = re.compile(r"[（()）]")
MIN_SIMILAR = 0.6  # bigram Dice of two metrics on aligned items that counts as the same metric
# How a child metric was found to name the parent's: best first.
MATCH_ORDER = {"exact": 0, "qualified": 1, "synonym": 2, "similar": 3}


# -- metrics by meaning ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Words:
    leading: tuple[str, ...]
    trailing: tuple[str, ...]
    tiers: tuple[tuple[str, str], ...]
    synonyms: tuple[tuple[str, str], ...]


@lru_cache(maxsize=1)
def _words() -> _Words:
    text = resources.files("schema").joinpath("lexicons", "metric_words.toml").read_text("utf-8")
    data = tomllib.loads(text)
    by_length = lambda words: tuple(sorted(words, key=lambda w: (-len(w[0]), w)))  # noqa: E731
    return _Words(
        leading=tuple(sorted(data["qualifiers"]["leading"], key=lambda w: (-len(w), w))),
        trailing=tuple(sorted(data["qualifiers"]["trailing"], key=lambda w: (-len(w), w))),
        tiers=by_length(data["tiers"].items()),
        synonyms=by_length(data["synonyms"].items()),
    )


@dataclass(frozen=True)
class MetricCore:
    """A metric as compared by meaning: its core words, the tier it counts, the words used."""

    core: str  # qualifiers, tier and parenthesised notes dropped, synonyms mapped
    tier: str | None  # "national" | "province" | "city" | "district" | None
    loose: str  # qualifiers and tier dropped, parenthesised notes kept (for similarity)
    synonym: bool  # a synonym was needed to reach `core`


def _strip_front(text: str, words: _Words) -> tuple[str, str | None]:
    tier: str | None = None
    changed = True
    while changed:
        changed = False
        for word in words.leading:
            if text.startswith(word) and len(text) > len(word):
                text, changed = text[len(word) :], True
                break
        for word, level in words.tiers:
            if text.startswith(word) and len(text) > len(word):
                text, changed = text[len(word) :], True
                tier = tier or level
                break
    return text, tier


@lru_cache(maxsize=65536)
def metric_core(metric: str) -> MetricCore:
    """The metric with its qualifiers dropped, its tier aside and its synonyms mapped.

    "新增市级以上企业技术中心" and "新增国家和市级企业技术中心" are both 企业技术中心 at the city
    tier; "新增国家级中小企业特色产业集群" is 中小企业特色集群 at the national tier.
    """
    words = _words()
    key = _QUOTES.sub("", metric_key(metric))
    loose, tier = _strip_front(_PARENS.sub("", key), words)
    core, _ = _strip_front(_PARENTHESISED.sub("", key), words)
    mapped = core
    for variant, canonical in words.synonyms:
        mapped = mapped.replace(variant, canonical)
    for head in words.trailing:
        if mapped.endswith(head) and len(mapped) - len(head) >= 4:
            mapped = mapped[: -len(head)]
            break
    return MetricCore(core=mapped, tier=tier, loose=loose, synonym=_mapped(core))


def _mapped(core: str) -> bool:
    return any(variant in core for variant, _ in _words().synonyms)


def tiers_agree(child: str | None, parent: str | None) -> bool:
    """A count cascades to a count of the same lowest tier; an untiered metric fits any tier,
    except a district-level child count against a parent's untiered one."""
    if child is None or parent is None:
        return child != "district"
    return child == parent


def same_metric(a: str, b: str) -> bool:
    """True when two metric keys name the same measure (one may qualify the other)."""
    if not a or not b:
        return False
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    # A Chinese noun phrase ends in its head: "规模以上制造业企业数字化转型比例" is a qualified
    # "数字化转型比例", but "工业总产值增长率" is not a "工业总产值" (a rate, not an amount).
    return len(short) >= 4 and long_.endswith(short)


def _bigrams(text: str) -> set[str]:
    return {text[k : k + 2] for k in range(len(text) - 1)}


def _dice(a: str, b: str) -> float:
    x, y = _bigrams(a), _bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0


_NUMBERS = re.compile(r"\d+(?:\.\d+)?|[十百千万亿]+")


def _numbers(text: str) -> list[str]:
    return _NUMBERS.findall(text)


def metric_match(child: str, parent: str, similar: bool = False) -> str | None:
    """How a child metric names the parent's: "exact", "qualified", "synonym", "similar", or None.

    `similar` admits metrics whose wording is merely close (for targets on aligned items).
    """
    a, b = metric_key(child), metric_key(parent)
    if not a or not b:
        return None
    ca, cb = metric_core(child), metric_core(parent)
    if not tiers_agree(ca.tier, cb.tier):
        return None
    if a == b:
        return "exact"
    if same_metric(a, b):
        return "qualified"
    if same_metric(ca.core, cb.core):
        return "synonym" if ca.synonym or cb.synonym else "qualified"
    # Close wording is not enough when the metric names a threshold (超50亿元 vs 超100亿元).
    if (
        similar
        and _numbers(ca.loose) == _numbers(cb.loose)
        and _dice(ca.loose, cb.loose) >= MIN_SIMILAR
    ):
        return "similar"
    return None


def shared_metrics(
    child: Sequence[Indicator], parent: Sequence[Indicator]
) -> list[tuple[str, str]]:
    """The (child metric, parent metric) pairs that name one measure by meaning, each child
    target with its first match: the goal level's evidence that two goals share a target."""
    out: list[tuple[str, str]] = []
    for mine in child:
        for theirs in parent:
            if metric_match(mine.metric, theirs.metric) is not None:
                out.append((mine.metric, theirs.metric))
                break
    return out


# -- comparing two targets -------------------------------------------------------------------


def _unit_base(unit: str | None) -> tuple[str, float]:
    unit = re.sub(r"\s+", "", unit or "")
    for prefix, factor in _MULTIPLIERS:
        if unit.startswith(prefix) and len(unit) > len(prefix):
            return unit[len(prefix) :], factor
    return unit, 1.0


def _is_rate(unit: str) -> bool:
    return unit in _RATE_UNITS or "/" in unit or "每" in unit


def _yearly(ind: Indicator) -> bool:
    return ind.period in _YEARLY


def _amount(ind: Indicator) -> float:
    """The value a target commits to: a range's middle."""
    assert ind.value is not None
    if ind.comparator == "between" and ind.value_max is not None:
        return (ind.value + ind.value_max) / 2
    return ind.value


@dataclass(frozen=True)
class Comparison:
    ratio: float | None
    relation: str
    annualised_ratio: float | None = None


def compare(
    child: Indicator,
    parent: Indicator,
    child_years: int | None = None,
    parent_years: int | None = None,
) -> Comparison:
    """How a child target compares with a parent target on the same metric.

    Counts and amounts in the same unit and the same kind of period (both yearly, or both plan
    totals: by the end, cumulative) give 'share' with the ratio (a district's 300 projects a
    year against the city's 1800: 0.167). A yearly figure against a plan total is
    'different-period', with `annualised_ratio` the child's yearly figure over the parent's
    (a total spread over its plan's years, `child_years` / `parent_years`). Rates and
    intensities give 'stricter' / 'looser' / 'same' by the comparator's direction. Otherwise
    'different-unit', or 'child-directional' / 'parent-directional' when one side has no value.
    A range (comparator 'between') counts by its middle.
    """
    if child.value is None or parent.value is None:
        if child.value is None and parent.value is None:
            same = child.comparator == parent.comparator
            return Comparison(None, "same" if same else "different")
        # One side only states a direction (持续下降): the other quantifies it.
        return Comparison(
            None, "child-directional" if child.value is None else "parent-directional"
        )
    cu, cf = _unit_base(child.unit)
    pu, pf = _unit_base(parent.unit)
    if cu != pu:
        return Comparison(None, "different-unit")
    cv, pv = _amount(child) * cf, _amount(parent) * pf
    if _is_rate(cu):
        if child.period and parent.period and _yearly(child) != _yearly(parent):
            return Comparison(None, "different-period")
        if math.isclose(cv, pv, rel_tol=1e-9):
            return Comparison(None, "same")
        lower = child.comparator in _LOWER_IS_STRICTER or parent.comparator in _LOWER_IS_STRICTER
        stricter = cv < pv if lower else cv > pv
        return Comparison(None, "stricter" if stricter else "looser")
    if _yearly(child) != _yearly(parent):
        annualised = None
        per_child = cv if _yearly(child) else (cv / child_years if child_years else None)
        per_parent = pv if _yearly(parent) else (pv / parent_years if parent_years else None)
        if per_child is not None and per_parent:
            annualised = round(per_child / per_parent, 3)
        return Comparison(None, "different-period", annualised)
    if pv == 0:
        return Comparison(None, "different")
    return Comparison(round(cv / pv, 3), "share")


def cascade_relation(child: Indicator, parent: Indicator) -> tuple[float | None, str]:
    """(ratio, relation) of a child target against a parent target: see `compare`."""
    found = compare(child, parent)
    return found.ratio, found.relation


# -- cascades --------------------------------------------------------------------------------


def _all_indicators(plan: Plan) -> list[IndicatorRef]:
    out = [IndicatorRef(ind, "plan", 0, k, plan.title) for k, ind in enumerate(plan.indicators, 1)]
    for g in plan.goals:
        out += [
            IndicatorRef(ind, "goal", g.order, k, g.title) for k, ind in enumerate(g.indicators, 1)
        ]
    for t in plan.tasks:
        out += [
            IndicatorRef(ind, "task", t.number, k, t.title) for k, ind in enumerate(t.indicators, 1)
        ]
    for m in plan.measures:
        out += [
            IndicatorRef(ind, "measure", m.order, k, m.title)
            for k, ind in enumerate(m.indicators, 1)
        ]
    return out


def plan_years(plan: Plan) -> int | None:
    """How many years the plan spans (2023—2025: 3), None when its period is unknown."""
    if plan.period is None:
        return None
    start, end = plan.period
    return end - start + 1 if end >= start else None


def _subjects_differ(child: Indicator, parent: Indicator) -> bool:
    a, b = child.subject, parent.subject
    return bool(a and b and a not in b and b not in a)


def cascades(
    child: Plan, parent: Plan, levels: Mapping[str, LevelAlignment]
) -> tuple[Cascade, ...]:
    """Each child target with the parent target it contributes to (targets with none left out).

    `levels` are the alignment's links by level name; a target on a child item is matched
    first with the targets of the parent items that item implements.
    """
    parents = _all_indicators(parent)
    child_years, parent_years = plan_years(child), plan_years(parent)
    out: list[Cascade] = []
    for mine in _all_indicators(child):
        ind = mine.indicator
        aligned: set[tuple[str, int]] = set()
        if mine.scope in ("task", "goal", "measure"):
            aligned = {(mine.scope, k) for k in levels[mine.scope + "s"].parents_of(mine.ref)}
        elif mine.scope == "plan":
            aligned = {("plan", 0)}
        candidates: list[tuple[tuple[int | bool | str, ...], IndicatorRef, str]] = []
        for p in parents:
            pind = p.indicator
            on_aligned = (p.scope, p.ref) in aligned
            how = metric_match(ind.metric, pind.metric, similar=on_aligned)
            if how is None or _subjects_differ(ind, pind):
                continue
            rank = (
                not on_aligned,  # on the item this one implements first
                metric_core(pind.metric).tier != metric_core(ind.metric).tier,
                _unit_base(pind.unit)[0] != _unit_base(ind.unit)[0],
                _yearly(pind) != _yearly(ind),
                (pind.period or "") != (ind.period or ""),
                MATCH_ORDER[how],
                _SCOPE_ORDER[p.scope],
                p.ref,
                p.position,
            )
            candidates.append((rank, p, how))
        if not candidates:
            continue
        _, best, how = min(candidates, key=lambda c: c[0])
        found = compare(ind, best.indicator, child_years, parent_years)
        out.append(
            Cascade(
                child=mine,
                parent=best,
                ratio=found.ratio,
                relation=found.relation,
                annualised_ratio=found.annualised_ratio,
                match=how,
            )
        )
    return tuple(out)
