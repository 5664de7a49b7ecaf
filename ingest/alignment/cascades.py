"""Target cascades: which parent target each child target contributes to, and how.

A child target is matched with a parent target on the same metric, preferring one on the
parent item its own item implements (the level links decide that), then the same unit, the
same period, the exact metric. `cascade_relation` says how the two compare: a share of a count
or amount, or stricter / looser for a rate.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from ingest.alignment.features import metric_key
from ingest.alignment.model import Cascade, IndicatorRef, LevelAlignment
from ingest.model import Indicator, Plan

_MULTIPLIERS = (("万亿", 1e12), ("千亿", 1e11), ("亿", 1e8), ("千万", 1e7), ("万", 1e4))
_RATE_UNITS = {"%", "％", "个百分点", "百分点", "‰"}
_LOWER_IS_STRICTER = {"<=", "<", "decrease"}
_SCOPE_ORDER = {"plan": 0, "goal": 1, "task": 2, "measure": 3}


def _unit_base(unit: str | None) -> tuple[str, float]:
    unit = re.sub(r"\s+", "", unit or "")
    for prefix, factor in _MULTIPLIERS:
        if unit.startswith(prefix) and len(unit) > len(prefix):
            return unit[len(prefix) :], factor
    return unit, 1.0


def _is_rate(unit: str) -> bool:
    return unit in _RATE_UNITS or "/" in unit or "每" in unit


def cascade_relation(child: Indicator, parent: Indicator) -> tuple[float | None, str]:
    """(ratio, relation) of a child target against a parent target on the same metric.

    Counts and amounts in the same unit and period give 'share' with the ratio (a district's
    300 projects a year against the city's 1800: 0.167). Rates and intensities give
    'stricter' / 'looser' / 'same' by the comparator's direction. Otherwise 'different-unit',
    'different-period', or 'child-directional' / 'parent-directional' when one side has no value.
    """
    if child.value is None or parent.value is None:
        if child.value is None and parent.value is None:
            return None, "same" if child.comparator == parent.comparator else "different"
        # One side only states a direction (持续下降): the other quantifies it.
        return None, "child-directional" if child.value is None else "parent-directional"
    cu, cf = _unit_base(child.unit)
    pu, pf = _unit_base(parent.unit)
    if cu != pu:
        return None, "different-unit"
    cv, pv = child.value * cf, parent.value * pf
    if _is_rate(cu):
        if math.isclose(cv, pv, rel_tol=1e-9):
            return None, "same"
        lower = child.comparator in _LOWER_IS_STRICTER or parent.comparator in _LOWER_IS_STRICTER
        stricter = cv < pv if lower else cv > pv
        return None, "stricter" if stricter else "looser"
    if child.period and parent.period and child.period != parent.period:
        return None, "different-period"
    if pv == 0:
        return None, "different"
    return round(cv / pv, 3), "share"


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


def cascades(
    child: Plan, parent: Plan, levels: Mapping[str, LevelAlignment]
) -> tuple[Cascade, ...]:
    """Each child target with the parent target it contributes to (targets with none left out).

    `levels` are the alignment's links by level name; a target on a child item is matched
    first with the targets of the parent items that item implements.
    """
    parents = [(p, metric_key(p.indicator.metric)) for p in _all_indicators(parent)]
    out: list[Cascade] = []
    for mine in _all_indicators(child):
        ind = mine.indicator
        metric = metric_key(ind.metric)
        candidates = [p for p, key in parents if same_metric(metric, key)]
        if not candidates:
            continue
        aligned: set[tuple[str, int]] = set()
        if mine.scope in ("task", "goal", "measure"):
            aligned = {(mine.scope, k) for k in levels[mine.scope + "s"].parents_of(mine.ref)}
        elif mine.scope == "plan":
            aligned = {("plan", 0)}

        def rank(
            p: IndicatorRef,
            aligned: set[tuple[str, int]] = aligned,
            ind: Indicator = ind,
            metric: str = metric,
        ) -> tuple[bool, bool, bool, bool, int, int, int]:
            pind = p.indicator
            return (
                (p.scope, p.ref) not in aligned,  # on the item this one implements first
                _unit_base(pind.unit)[0] != _unit_base(ind.unit)[0],
                (pind.period or "") != (ind.period or ""),
                metric_key(pind.metric) != metric,
                _SCOPE_ORDER[p.scope],
                p.ref,
                p.position,
            )

        best = min(candidates, key=rank)
        ratio, relation = cascade_relation(ind, best.indicator)
        out.append(Cascade(child=mine, parent=best, ratio=ratio, relation=relation))
    return tuple(out)
