"""Aligning a child plan (a district's) with the parent plan it implements (the city's).

Plan level: the child cites its parent by document number and title (`find_parent`).

Item level (tasks, action groups, goals, measures): every child item gets zero, one or several
parent items. A single similarity threshold cannot do this (see DESIGN.md, "Alignment,
honestly"): a local initiative's best wrong match can score above a true match elsewhere. So:

1. **Similarity** combines independent signals with a noisy-OR, so each one can only add
   evidence and a district task that merges two city tasks is not penalised for having a
   title that resembles only one of them: body TF-IDF cosine (IDF over both plans' items at
   that level), title cosine, shared quoted programme names (“百一”, “算力券”), shared
   industries, shared target metrics, and for tasks whether both sit in aligned action groups.
2. **Decision** uses relative evidence, not an absolute cut: is the parent the child's best
   candidate *and* the child the parent's best child (mutual best)? does the score stand
   above the *background* of this pair (the high quantile of scores between items that are
   nobody's best match)? is the margin over the child's next candidate clear? do the action
   groups agree? A second parent is kept when it is close to the best, the child is that
   parent's own best child, and it stands above the background in its own right.
3. **Curation** (data/curation/alignment.tsv, see ingest/curation.py) is applied last: an
   analyst's confirm / reject / add wins over the algorithm, and stale decisions are reported.

Nothing here names a task, a title or a number of the bundled plans.
"""

from __future__ import annotations

import math
import re
import unicodedata
import weakref
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ingest.model import Citation, Indicator, Plan
from ingest.similarity import (
    Corpus,
    Space,
    Tokenizer,
    get_tokenizer,
    named_programmes,
    shared_terms,
    similarity_matrix,
)
from schema.normalize import normalise_doc_number, normalise_for_matching
from schema.paths import DEFAULT_DECISIONS

LEVELS = ("tasks", "actions", "goals", "measures")
LEVEL_NAMES = {"tasks": "task", "actions": "action", "goals": "goal", "measures": "measure"}

# Weights of each signal in the noisy-OR. Body text is the main evidence; a matching title is
# strong but titles are short; the others are corroboration.
W_TITLE = 0.5
W_PROGRAMME = 0.3
W_INDUSTRY = 0.25
W_METRIC = 0.25
W_GROUP = 0.15
W_VOTE = 0.5  # actions: share of the child group's tasks whose best parent sits in the group

# Decision constants, all relative to the pair being aligned.
BACKGROUND_QUANTILE = 0.95
CLEAR_MARGIN = 1.5  # best / second ratio that counts as a clear win on its own
MIN_MARGIN_SHARED = 1.25  # a child sharing a parent with a better child must still win clearly
SHARED_PARENT_FRACTION = 0.6  # ... and reach this fraction of that parent's best-child score
SECOND_PARENT_FRACTION = 0.5  # a second parent must reach this fraction of the best score
REVIEW_MARGIN = 1.25  # best / second below this is worth a human look

_RESPONSIBILITY = re.compile(r"[（(]\s*(?:责\s*任|牵\s*头|主\s*责)[^（()）]*[）)]\s*$")


# -- result types ----------------------------------------------------------------------------


@dataclass
class Link:
    child: int
    parent: int
    score: float
    status: str  # "auto" | "confirmed" | "manual"
    evidence: list[str]
    method: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "child": self.child,
            "parent": self.parent,
            "score": round(self.score, 3),
            "status": self.status,
            "evidence": list(self.evidence),
            "method": self.method,
        }


@dataclass
class LevelAlignment:
    links: list[Link] = field(default_factory=list)
    child_without_parent: list[int] = field(default_factory=list)
    parent_without_child: list[int] = field(default_factory=list)
    # Not part of to_dict: what the decision saw, for review and for curation's scores.
    child_keys: list[int] = field(default_factory=list)
    parent_keys: list[int] = field(default_factory=list)
    scores: dict[tuple[int, int], float] = field(default_factory=dict)
    evidence: dict[tuple[int, int], list[str]] = field(default_factory=dict)

    def parents_of(self, child: int) -> list[int]:
        return [link.parent for link in self.links if link.child == child]

    def refresh(self) -> None:
        """Recompute the unlinked lists and the link order after links changed."""
        self.links.sort(key=lambda link: (link.child, -link.score, link.parent))
        linked_children = {link.child for link in self.links}
        linked_parents = {link.parent for link in self.links}
        self.child_without_parent = [k for k in self.child_keys if k not in linked_children]
        self.parent_without_child = [k for k in self.parent_keys if k not in linked_parents]

    def to_dict(self) -> dict[str, Any]:
        return {
            "links": [link.to_dict() for link in self.links],
            "child_without_parent": list(self.child_without_parent),
            "parent_without_child": list(self.parent_without_child),
        }


@dataclass
class Cascade:
    child: dict[str, Any]
    parent: dict[str, Any]
    ratio: float | None
    relation: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "child": dict(self.child),
            "parent": dict(self.parent),
            "ratio": self.ratio,
            "relation": self.relation,
        }


@dataclass
class ReviewItem:
    level: str  # "task" | "action" | "goal" | "measure" | "curation"
    child: int | None
    parent: int | None
    score: float | None
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "child": self.child,
            "parent": self.parent,
            "score": None if self.score is None else round(self.score, 3),
            "reason": self.reason,
        }


@dataclass
class Alignment:
    child_plan: Plan
    parent_plan: Plan
    tasks: LevelAlignment
    actions: LevelAlignment
    goals: LevelAlignment
    measures: LevelAlignment
    indicators: list[Cascade] = field(default_factory=list)
    review: list[ReviewItem] = field(default_factory=list)
    curation_report: list[str] = field(default_factory=list)

    def level(self, name: str) -> LevelAlignment:
        return getattr(self, name if name.endswith("s") else name + "s")

    def to_dict(self) -> dict[str, Any]:
        return {
            "child": _plan_ref(self.child_plan),
            "parent": _plan_ref(self.parent_plan),
            "tasks": self.tasks.to_dict(),
            "actions": self.actions.to_dict(),
            "goals": self.goals.to_dict(),
            "measures": self.measures.to_dict(),
            "indicators": [c.to_dict() for c in self.indicators],
            "review": [r.to_dict() for r in self.review],
        }


def _plan_ref(plan: Plan) -> dict[str, Any]:
    return {"doc_number": plan.doc_number, "title": plan.title}


# -- plan level ------------------------------------------------------------------------------


def doc_number_key(doc_number: str | None) -> str | None:
    """A document number in one comparable form (spaces, bracket styles and width ignored)."""
    if not doc_number:
        return None
    normal = normalise_doc_number(doc_number)
    if normal:
        return normal
    text = unicodedata.normalize("NFKC", doc_number)
    text = re.sub(r"\s+", "", text)
    return re.sub(r"[\[［(（【〖]", "〔", re.sub(r"[\]］)）】〗]", "〕", text))


def title_key(title: str | None) -> str:
    """A plan title for matching: width, script, dashes, brackets and spaces ignored."""
    if not title:
        return ""
    text = re.sub(r"\s+", "", normalise_for_matching(title))
    text = re.sub(r"[-—–~～至]", "-", text)
    return re.sub(r"[()（）《》〈〉“”\"'「」]", "", text)


class LoadedPlans:
    """The loaded plans indexed once by document number and title.

    A build asks for the parent of every child; indexing once keeps that linear in the number
    of plans (re-normalising every plan per child made a 1000-plan build quadratic).
    """

    def __init__(self, plans: Iterable[Plan]):
        self._by_doc: dict[str, list[Plan]] = defaultdict(list)
        self._by_title: dict[str, list[Plan]] = defaultdict(list)
        for plan in plans:
            key = doc_number_key(plan.doc_number)
            if key:
                self._by_doc[key].append(plan)
            if plan.title:
                self._by_title[title_key(plan.title)].append(plan)

    def parent_of(self, child: Plan) -> Plan | Citation | None:
        """The plan `child` implements: a loaded plan it cites, else the citation (a stub).

        Citations are tried in order, first by document number, then by title (a citation may
        carry a misprinted number, or none). A child citing nothing gets None. The returned
        `Citation` is what the graph builder turns into a stub Plan node.
        """
        for citation in child.cites:
            for plan in self._by_doc.get(doc_number_key(citation.doc_number) or "", ()):
                if plan is not child and plan.doc_number != child.doc_number:
                    return plan
        for citation in child.cites:
            key = title_key(citation.title)
            for plan in self._by_title.get(key, ()) if key else ():
                if plan is not child:
                    return plan
        if not child.cites:
            return None
        # Prefer a citation with a document number as the stub: it is the one a later load
        # matches.
        with_number = [c for c in child.cites if c.doc_number]
        return (with_number or child.cites)[0]


def find_parent(child: Plan, loaded: Iterable[Plan]) -> Plan | Citation | None:
    """The plan `child` implements among `loaded` (see `LoadedPlans.parent_of`)."""
    return LoadedPlans(loaded).parent_of(child)


# -- the prepared parent ---------------------------------------------------------------------


def _strip_responsibility(text: str) -> str:
    return _RESPONSIBILITY.sub("", (text or "").strip())


@dataclass
class _Side:
    """One plan's items at one level, tokenised once."""

    keys: list[int]
    titles: list[str]
    body: Corpus
    title: Corpus
    programmes: list[set[str]]
    industries: list[set[str]]
    metrics: list[set[str]]
    groups: list[int | None]  # tasks: the order of the action group holding each task


@lru_cache(maxsize=65536)
def _metric_key(metric: str) -> str:
    return re.sub(r"\s+", "", normalise_for_matching(metric or ""))


def _metrics(indicators: Iterable[Indicator]) -> set[str]:
    return {_metric_key(i.metric) for i in indicators if i.metric}


def _sides(plan: Plan, tokenize: Tokenizer) -> dict[str, _Side]:
    sides: dict[str, _Side] = {}
    tasks = plan.tasks
    task_texts = [_strip_responsibility(t.text) or t.title for t in tasks]
    task_body = Corpus.build(task_texts, tokenize)
    group_of = {}
    for action in plan.actions:
        for task in action.tasks:
            group_of[id(task)] = action.order if action.title else None
    sides["tasks"] = _Side(
        keys=[t.number for t in tasks],
        titles=[t.title for t in tasks],
        body=task_body,
        title=Corpus.build([t.title for t in tasks], tokenize),
        programmes=[named_programmes(x) for x in task_texts],
        industries=[set(t.industries) for t in tasks],
        metrics=[_metrics(t.indicators) for t in tasks],
        groups=[group_of.get(id(t)) for t in tasks],
    )
    # An action group's body is the sum of its tasks' terms: no second tokenising.
    actions = [a for a in plan.actions if a.title]
    action_counts = []
    position = {id(t): i for i, t in enumerate(tasks)}
    for action in actions:
        total: Counter[str] = Counter()
        for task in action.tasks:
            total.update(task_body.counts[position[id(task)]])
        action_counts.append(total)
    action_df: Counter[str] = Counter()
    for c in action_counts:
        action_df.update(c.keys())
    sides["actions"] = _Side(
        keys=[a.order for a in actions],
        titles=[a.title or "" for a in actions],
        body=Corpus(counts=action_counts, df=action_df),
        title=Corpus.build([a.title or "" for a in actions], tokenize),
        programmes=[
            set().union(*(named_programmes(t.text) for t in a.tasks)) if a.tasks else set()
            for a in actions
        ],
        industries=[set().union(*(set(t.industries) for t in a.tasks)) for a in actions],
        metrics=[set().union(*(_metrics(t.indicators) for t in a.tasks)) for a in actions],
        groups=[None for _ in actions],
    )
    for name, items in (("goals", plan.goals), ("measures", plan.measures)):
        texts = [_strip_responsibility(f"{x.title}。{x.text}") for x in items]
        sides[name] = _Side(
            keys=[x.order for x in items],
            titles=[x.title for x in items],
            body=Corpus.build(texts, tokenize),
            title=Corpus.build([x.title for x in items], tokenize),
            programmes=[named_programmes(x) for x in texts],
            industries=[set(getattr(x, "industries", []) or []) for x in items],
            metrics=[_metrics(x.indicators) for x in items],
            groups=[None for _ in items],
        )
    return sides


@dataclass
class ParentIndex:
    """A parent plan tokenised once, reused for every child aligned to it."""

    plan: Plan
    sides: dict[str, _Side]


def prepare_parent(parent: Plan, tokenize: Tokenizer | None = None) -> ParentIndex:
    return ParentIndex(plan=parent, sides=_sides(parent, tokenize or get_tokenizer()))


# Callers that pass the same parent Plan again and again (the graph build aligns every child
# with `align(child, parent)`) still get the parent tokenised once. Keyed by identity, checked
# by a fingerprint of the texts so a parent edited in place is prepared afresh.
_INDEX_CACHE: dict[int, tuple[weakref.ref, int, ParentIndex]] = {}


def _fingerprint(plan: Plan) -> int:
    parts: list[Any] = [plan.doc_number, plan.title]
    for a in plan.actions:
        parts.append(a.title)
        for t in a.tasks:
            parts += [t.number, t.title, t.text, tuple(t.industries)]
            parts += [(i.metric, i.value, i.unit) for i in t.indicators]
    for x in (*plan.goals, *plan.measures):
        parts += [x.order, x.title, x.text, tuple(getattr(x, "industries", ()))]
        parts += [(i.metric, i.value, i.unit) for i in x.indicators]
    return hash(tuple(parts))


def _cached_index(parent: Plan) -> ParentIndex:
    key, fingerprint = id(parent), _fingerprint(parent)
    hit = _INDEX_CACHE.get(key)
    if hit and hit[0]() is parent and hit[1] == fingerprint:
        return hit[2]
    index = prepare_parent(parent)
    for stale in [k for k, (ref, _, _) in _INDEX_CACHE.items() if ref() is None]:
        del _INDEX_CACHE[stale]
    _INDEX_CACHE[key] = (weakref.ref(parent), fingerprint, index)
    return index


# -- scoring and deciding --------------------------------------------------------------------


def _overlap(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _noisy_or(*parts: float) -> float:
    keep = 1.0
    for p in parts:
        keep *= 1.0 - max(0.0, min(1.0, p))
    return 1.0 - keep


@dataclass
class _Matrix:
    scores: list[list[float]]
    evidence: list[list[list[str]]]


def _score(
    child: _Side,
    parent: _Side,
    group_ok: list[list[bool | None]] | None = None,
    votes: list[list[float]] | None = None,
) -> _Matrix:
    body_space = Space(parent.body, child.body)
    title_space = Space(parent.title, child.title)
    cb, pb = body_space.vectors(child.body), body_space.vectors(parent.body)
    ct, pt = title_space.vectors(child.title), title_space.vectors(parent.title)
    body = similarity_matrix(cb, pb)
    title = similarity_matrix(ct, pt)
    scores: list[list[float]] = []
    evidence: list[list[list[str]]] = []
    for i in range(len(child.keys)):
        row, ev_row = [], []
        for j in range(len(parent.keys)):
            programmes = child.programmes[i] & parent.programmes[j]
            industries = child.industries[i] & parent.industries[j]
            metrics = child.metrics[i] & parent.metrics[j]
            group = group_ok[i][j] if group_ok else None
            vote = votes[i][j] if votes else 0.0
            s = _noisy_or(
                body[i][j],
                W_TITLE * title[i][j],
                W_PROGRAMME * (1 - 0.5 ** len(programmes)),
                W_INDUSTRY * _overlap(child.industries[i], parent.industries[j]),
                W_METRIC * _overlap(child.metrics[i], parent.metrics[j]),
                W_GROUP * (1.0 if group else 0.0),
                W_VOTE * vote,
            )
            row.append(s)
            ev = shared_terms(cb[i], pb[j], limit=6)
            # A shared term that both plans quote is shown quoted: it names a programme.
            ev = [f"“{w}”" if w in programmes else w for w in ev]
            ev += [f"“{p}”" for p in sorted(programmes) if f"“{p}”" not in ev]
            ev += [f"industry:{x}" for x in sorted(industries)]
            ev += [f"metric:{x}" for x in sorted(metrics)]
            if group:
                ev.append("same action group")
            if vote:
                ev.append(f"task votes:{vote:.2f}")
            ev_row.append(ev)
        scores.append(row)
        evidence.append(ev_row)
    return _Matrix(scores, evidence)


def _quantile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    pos = q * (len(ordered) - 1)
    lo, hi = math.floor(pos), math.ceil(pos)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


@dataclass
class _Decision:
    links: list[tuple[int, int, str]]  # (child index, parent index, method)
    review: list[tuple[int, int | None, str]]  # (child index, parent index, reason)
    background: float
    col_best: list[int] = field(default_factory=list)  # each parent's best child (index)


def _decide(m: _Matrix, group_ok: list[list[bool | None]] | None = None) -> _Decision:
    s = m.scores
    n_child = len(s)
    n_parent = len(s[0]) if s else 0
    if not n_child or not n_parent:
        return _Decision([], [], 0.0)
    row_best = [max(range(n_parent), key=lambda j: (s[i][j], -j)) for i in range(n_child)]
    col_best = [max(range(n_child), key=lambda i: (s[i][j], -i)) for j in range(n_parent)]
    # Background: scores between items that are neither side's best match, i.e. what
    # unrelated items of *these two plans* score. Robust to the plans' length and style.
    background_scores = [
        s[i][j]
        for i in range(n_child)
        for j in range(n_parent)
        if row_best[i] != j and col_best[j] != i
    ]
    background = _quantile(background_scores, BACKGROUND_QUANTILE)

    links: list[tuple[int, int, str]] = []
    review: list[tuple[int, int | None, str]] = []
    for i in range(n_child):
        order = sorted(range(n_parent), key=lambda j: (-s[i][j], j))
        j1 = order[0]
        s1 = s[i][j1]
        s2 = s[i][order[1]] if len(order) > 1 else 0.0
        margin = s1 / s2 if s2 > 0 else math.inf
        mutual = col_best[j1] == i
        group = group_ok[i][j1] if group_ok else None
        above = s1 > background
        programmes = any(e.startswith("“") for e in m.evidence[i][j1])
        method = None
        if s1 <= 0:
            pass
        elif mutual and above:
            method = "mutual best, above background"
        elif mutual and (group or margin >= CLEAR_MARGIN or programmes):
            why = (
                "same action group"
                if group
                else ("clear margin" if margin >= CLEAR_MARGIN else "shared programme name")
            )
            method = f"mutual best, {why}"
        elif (
            not mutual
            and above
            and group is not False
            and margin >= MIN_MARGIN_SHARED
            and s1 >= SHARED_PARENT_FRACTION * s[col_best[j1]][j1]
        ):
            method = "best candidate, parent shared with another child"
        if method is None:
            if not mutual:
                why = "the candidate fits another child better: {closer}"
            elif group is False:
                why = "weak score outside its action group and no clear margin"
            else:
                why = "weak score with no clear margin"
            review.append((i, j1, f"no parent: best candidate rejected ({why})"))
            continue
        links.append((i, j1, method))
        if not above:
            review.append((i, j1, f"low score (below the pair's background); kept: {method}"))
        kept_second = False
        for j in order[1:]:
            sj = s[i][j]
            if sj < SECOND_PARENT_FRACTION * s1:
                break
            if col_best[j] == i and sj > background:
                links.append((i, j, "additional parent: close to the best, mutual best"))
                kept_second = True
        if kept_second:
            review.append((i, None, "several parents"))
        elif margin < REVIEW_MARGIN:
            review.append(
                (i, order[1], f"low margin: second candidate at {s2:.2f} against {s1:.2f}")
            )
    return _Decision(links, review, background, col_best)


def _level(
    name: str,
    child: _Side,
    parent: _Side,
    group_ok: list[list[bool | None]] | None = None,
    votes: list[list[float]] | None = None,
) -> tuple[LevelAlignment, list[ReviewItem], _Matrix]:
    m = _score(child, parent, group_ok, votes)
    d = _decide(m, group_ok)
    result = LevelAlignment(child_keys=list(child.keys), parent_keys=list(parent.keys))
    for i, ck in enumerate(child.keys):
        for j, pk in enumerate(parent.keys):
            result.scores[(ck, pk)] = m.scores[i][j]
            result.evidence[(ck, pk)] = m.evidence[i][j]
    for i, j, method in d.links:
        result.links.append(
            Link(
                child=child.keys[i],
                parent=parent.keys[j],
                score=m.scores[i][j],
                status="auto",
                evidence=m.evidence[i][j],
                method=method,
            )
        )
    result.refresh()
    review = []
    for i, j, reason in d.review:
        if "{closer}" in reason and j is not None:
            k = d.col_best[j]
            reason = reason.replace("{closer}", f"{child.keys[k]} ({m.scores[k][j]:.2f})")
        if reason == "several parents":
            found = [
                f"{parent.keys[pj]} ({m.scores[ci][pj]:.2f})" for ci, pj, _ in d.links if ci == i
            ]
            reason = f"several parents: {', '.join(found)}"
        review.append(
            ReviewItem(
                level=LEVEL_NAMES[name],
                child=child.keys[i],
                parent=None if j is None else parent.keys[j],
                score=None if j is None else m.scores[i][j],
                reason=reason,
            )
        )
    return result, review, m


def _task_votes(
    tasks_child: _Side, tasks_parent: _Side, task_m: _Matrix, n_child: int, n_parent: int
) -> list[list[float]]:
    """Share of each child group's tasks whose best parent task lies in each parent group."""
    child_orders = sorted({g for g in tasks_child.groups if g is not None})
    parent_orders = sorted({g for g in tasks_parent.groups if g is not None})
    votes = [[0.0] * n_parent for _ in range(n_child)]
    if len(child_orders) != n_child or len(parent_orders) != n_parent:
        return votes
    ci_of = {g: k for k, g in enumerate(child_orders)}
    pj_of = {g: k for k, g in enumerate(parent_orders)}
    totals = Counter()
    for i, g in enumerate(tasks_child.groups):
        if g is None or not tasks_parent.keys:
            continue
        totals[g] += 1
        row = task_m.scores[i]
        j = max(range(len(row)), key=lambda k: (row[k], -k))
        pg = tasks_parent.groups[j]
        if pg is not None:
            votes[ci_of[g]][pj_of[pg]] += 1
    for g, k in ci_of.items():
        if totals[g]:
            votes[k] = [v / totals[g] for v in votes[k]]
    return votes


# -- indicators ------------------------------------------------------------------------------

_MULTIPLIERS = (("万亿", 1e12), ("千亿", 1e11), ("亿", 1e8), ("千万", 1e7), ("万", 1e4))
_RATE_UNITS = {"%", "％", "个百分点", "百分点", "‰"}


def _unit_base(unit: str | None) -> tuple[str, float]:
    unit = re.sub(r"\s+", "", unit or "")
    for prefix, factor in _MULTIPLIERS:
        if unit.startswith(prefix) and len(unit) > len(prefix):
            return unit[len(prefix) :], factor
    return unit, 1.0


def _is_rate(unit: str) -> bool:
    return unit in _RATE_UNITS or "/" in unit or "每" in unit


_LOWER_IS_STRICTER = {"<=", "<", "decrease"}


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


def _indicator_ref(ind: Indicator, scope: str, ref: int, position: int, title: str | None):
    data = asdict(ind)
    data.update({"scope": scope, "ref": ref, "position": position, "item_title": title})
    return data


def _all_indicators(plan: Plan) -> list[tuple[str, int, int, Indicator, str | None]]:
    out = [("plan", 0, k, ind, plan.title) for k, ind in enumerate(plan.indicators, 1)]
    for g in plan.goals:
        out += [("goal", g.order, k, ind, g.title) for k, ind in enumerate(g.indicators, 1)]
    for t in plan.tasks:
        out += [("task", t.number, k, ind, t.title) for k, ind in enumerate(t.indicators, 1)]
    for m in plan.measures:
        out += [("measure", m.order, k, ind, m.title) for k, ind in enumerate(m.indicators, 1)]
    return out


def _same_metric(a: str, b: str) -> bool:
    if not a or not b:
        return False
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    # A Chinese noun phrase ends in its head: "规模以上制造业企业数字化转型比例" is a qualified
    # "数字化转型比例", but "工业总产值增长率" is not a "工业总产值" (a rate, not an amount).
    return len(short) >= 4 and long_.endswith(short)


def _cascades(child: Plan, parent: Plan, levels: dict[str, LevelAlignment]) -> list[Cascade]:
    parents = [(p, _metric_key(p[3].metric)) for p in _all_indicators(parent)]
    out: list[Cascade] = []
    for scope, ref, pos, ind, title in _all_indicators(child):
        metric = _metric_key(ind.metric)
        candidates = [p for p, key in parents if _same_metric(metric, key)]
        if not candidates:
            continue
        aligned: set[tuple[str, int]] = set()
        if scope in ("task", "goal", "measure"):
            aligned = {(scope, k) for k in levels[scope + "s"].parents_of(ref)}
        elif scope == "plan":
            aligned = {("plan", 0)}

        def rank(p, aligned=aligned, ind=ind, metric=metric):
            pscope, pref, ppos, pind, _ = p
            return (
                (pscope, pref) not in aligned,  # on the item this one implements first
                _unit_base(pind.unit)[0] != _unit_base(ind.unit)[0],
                (pind.period or "") != (ind.period or ""),
                _metric_key(pind.metric) != metric,
                {"plan": 0, "goal": 1, "task": 2, "measure": 3}[pscope],
                pref,
                ppos,
            )

        best = min(candidates, key=rank)
        ratio, relation = cascade_relation(ind, best[3])
        out.append(
            Cascade(
                child=_indicator_ref(ind, scope, ref, pos, title),
                parent=_indicator_ref(best[3], best[0], best[1], best[2], best[4]),
                ratio=ratio,
                relation=relation,
            )
        )
    return out


# -- align -----------------------------------------------------------------------------------


def align(
    child: Plan,
    parent: Plan | ParentIndex,
    decisions: Sequence[Any] | str | Path | None = None,
    tokenize: Tokenizer | None = None,
) -> Alignment:
    """Align `child` with `parent` (a Plan, or a ParentIndex prepared once for many children).

    `decisions`: curation decisions (a list from `ingest.curation.load_decisions`, or a path);
    None applies the project's data/curation/alignment.tsv when it exists; [] applies none.
    """
    from ingest import curation

    if isinstance(parent, ParentIndex):
        index = parent
    elif tokenize is None:
        index = _cached_index(parent)
    else:
        index = prepare_parent(parent, tokenize)
    tok = tokenize or get_tokenizer()
    cs = _sides(child, tok)
    ps = index.sides
    levels: dict[str, LevelAlignment] = {}
    review: list[ReviewItem] = []

    # Tasks first without group information, to vote on the action groups.
    raw_tasks = _score(cs["tasks"], ps["tasks"])
    votes = _task_votes(
        cs["tasks"], ps["tasks"], raw_tasks, len(cs["actions"].keys), len(ps["actions"].keys)
    )
    levels["actions"], r, _ = _level("actions", cs["actions"], ps["actions"], votes=votes)
    review += r

    # Now the group signal: the two tasks sit in action groups that were aligned.
    aligned_groups = {(link.child, link.parent) for link in levels["actions"].links}
    group_ok: list[list[bool | None]] | None = None
    if aligned_groups:
        group_ok = [
            [
                None if cg is None or pg is None else (cg, pg) in aligned_groups
                for pg in ps["tasks"].groups
            ]
            for cg in cs["tasks"].groups
        ]
    levels["tasks"], r, _ = _level("tasks", cs["tasks"], ps["tasks"], group_ok=group_ok)
    review = r + review
    for name in ("goals", "measures"):
        levels[name], r, _ = _level(name, cs[name], ps[name])
        review += r

    result = Alignment(
        child_plan=child,
        parent_plan=index.plan,
        tasks=levels["tasks"],
        actions=levels["actions"],
        goals=levels["goals"],
        measures=levels["measures"],
        review=review,
    )
    if decisions is None:
        decisions = curation.load_decisions(DEFAULT_DECISIONS) if DEFAULT_DECISIONS.exists() else []
    elif isinstance(decisions, str | Path):
        decisions = curation.load_decisions(decisions)
    curation.apply(result, decisions)
    result.indicators = _cascades(child, index.plan, levels)
    return result


# -- readable views (the CLI's `plangraph align` and `--review`) ------------------------------


def alignment_table(alignment: Alignment):
    """A rich renderable: one table per level with child, parent(s), score, status, evidence."""
    from rich.console import Group
    from rich.table import Table

    child, parent = alignment.child_plan, alignment.parent_plan
    parts = []
    for name in LEVELS:
        level = alignment.level(name)
        child_titles = _titles(child, name)
        parent_titles = _titles(parent, name)
        table = Table(
            title=f"{LEVEL_NAMES[name]}s: {child.doc_number or child.title} → "
            f"{parent.doc_number or parent.title}",
            show_lines=False,
        )
        for col in ("child", "parent", "score", "status", "evidence"):
            table.add_column(col, overflow="fold")
        for link in level.links:
            table.add_row(
                f"{link.child} {child_titles.get(link.child, '')}",
                f"{link.parent} {parent_titles.get(link.parent, '')}",
                f"{link.score:.2f}",
                link.status,
                "、".join(link.evidence[:6]),
            )
        for key in level.child_without_parent:
            table.add_row(f"{key} {child_titles.get(key, '')}", "— (local initiative)", "", "", "")
        for key in level.parent_without_child:
            table.add_row("— (not picked up)", f"{key} {parent_titles.get(key, '')}", "", "", "")
        parts.append(table)
    if alignment.indicators:
        table = Table(title="target cascades")
        for col in ("child target", "parent target", "ratio", "relation"):
            table.add_column(col, overflow="fold")
        for c in alignment.indicators:
            table.add_row(
                f"{c.child['scope']} {c.child['ref']}: {c.child['raw'] or c.child['metric']}",
                f"{c.parent['scope']} {c.parent['ref']}: {c.parent['raw'] or c.parent['metric']}",
                "" if c.ratio is None else f"{c.ratio:.3f}",
                c.relation,
            )
        parts.append(table)
    return Group(*parts)


def review_table(alignment: Alignment):
    """A rich table of the links worth a human look, with the reason."""
    from rich.table import Table

    table = Table(title="alignment review")
    for col in ("level", "child", "parent", "score", "reason"):
        table.add_column(col, overflow="fold")
    for item in alignment.review:
        table.add_row(
            item.level,
            "" if item.child is None else str(item.child),
            "" if item.parent is None else str(item.parent),
            "" if item.score is None else f"{item.score:.2f}",
            item.reason,
        )
    return table


def _titles(plan: Plan, level: str) -> dict[int, str]:
    if level == "tasks":
        return {t.number: t.title for t in plan.tasks}
    if level == "actions":
        return {a.order: a.title or "" for a in plan.actions}
    items = plan.goals if level == "goals" else plan.measures
    return {x.order: x.title for x in items}


def item_titles(plan: Plan, level: str) -> dict[int, str]:
    """Titles of a plan's items at `level` ('task'/'tasks', ...), keyed as alignment keys them."""
    return _titles(plan, level if level.endswith("s") else level + "s")
