"""Item level: which parent items each child item implements. Pure: no files, no global state.

A single similarity threshold cannot do this (see docs/design.md, "Alignment"): a
local initiative's best wrong match can score above a true match elsewhere. So:

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

`align` gives the algorithm's result alone; the analysts' decisions are applied afterwards by
`ingest.alignment.curation`. Nothing here names a task, a title or a number of the bundled plans.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from ingest.alignment.cascades import cascades, shared_metrics
from ingest.alignment.features import ParentIndex, Side, metric_key, prepare_parent, sides
from ingest.alignment.model import LEVEL_NAMES, Alignment, LevelAlignment, Link, Pair, ReviewItem
from ingest.model import Plan
from ingest.similarity import Space, Tokenizer, get_tokenizer, shared_terms, similarity_matrix

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
    evidence: list[list[tuple[str, ...]]]


def _score(
    child: Side,
    parent: Side,
    group_ok: list[list[bool | None]] | None = None,
    votes: list[list[float]] | None = None,
    meaning: list[list[list[tuple[str, str]]]] | None = None,
) -> _Matrix:
    """Every (child, parent) pair's score and evidence.

    `meaning` (goals): for each pair, the targets the two share by meaning
    (`cascades.shared_metrics`); the metric signal then counts those instead of the exact
    metric names, so 研发经费支出占地区生产总值比例 and 研发投入强度 are one shared target.
    """
    body_space = Space(parent.body, child.body)
    title_space = Space(parent.title, child.title)
    cb, pb = body_space.vectors(child.body), body_space.vectors(parent.body)
    ct, pt = title_space.vectors(child.title), title_space.vectors(parent.title)
    body = similarity_matrix(cb, pb)
    title = similarity_matrix(ct, pt)
    scores: list[list[float]] = []
    evidence: list[list[tuple[str, ...]]] = []
    for i in range(len(child.keys)):
        row, ev_row = [], []
        for j in range(len(parent.keys)):
            programmes = child.programmes[i] & parent.programmes[j]
            industries = child.industries[i] & parent.industries[j]
            metrics = child.metrics[i] & parent.metrics[j]
            metric_overlap = _overlap(child.metrics[i], parent.metrics[j])
            similar: list[tuple[str, str]] = []
            if meaning is not None:
                similar = meaning[i][j]
                shared = len(similar)
                union = len(child.metrics[i]) + len(parent.metrics[j]) - shared
                metric_overlap = max(metric_overlap, shared / union if union > 0 else 0.0)
            group = group_ok[i][j] if group_ok else None
            vote = votes[i][j] if votes else 0.0
            s = _noisy_or(
                body[i][j],
                W_TITLE * title[i][j],
                W_PROGRAMME * (1 - 0.5 ** len(programmes)),
                W_INDUSTRY * _overlap(child.industries[i], parent.industries[j]),
                W_METRIC * metric_overlap,
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
            ev += [f"metric:{a}≈{b}" for a, b in similar if metric_key(a) not in metrics]
            if group:
                ev.append("same action group")
            if vote:
                ev.append(f"task votes:{vote:.2f}")
            ev_row.append(tuple(ev))
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
    child: Side,
    parent: Side,
    group_ok: list[list[bool | None]] | None = None,
    votes: list[list[float]] | None = None,
    meaning: list[list[list[tuple[str, str]]]] | None = None,
) -> tuple[LevelAlignment, list[ReviewItem], _Matrix]:
    m = _score(child, parent, group_ok, votes, meaning)
    d = _decide(m, group_ok)
    scores: dict[Pair, float] = {}
    evidence: dict[Pair, tuple[str, ...]] = {}
    for i, ck in enumerate(child.keys):
        for j, pk in enumerate(parent.keys):
            scores[(ck, pk)] = m.scores[i][j]
            evidence[(ck, pk)] = m.evidence[i][j]
    links = [
        Link(
            child=child.keys[i],
            parent=parent.keys[j],
            score=m.scores[i][j],
            status="auto",
            evidence=m.evidence[i][j],
            method=method,
        )
        for i, j, method in d.links
    ]
    result = LevelAlignment.of(links, child.keys, parent.keys, scores, evidence)
    review: list[ReviewItem] = []
    for i, candidate, reason in d.review:
        if "{closer}" in reason and candidate is not None:
            k = d.col_best[candidate]
            closer = f"{child.keys[k]} ({m.scores[k][candidate]:.2f})"
            reason = reason.replace("{closer}", closer)
        if reason == "several parents":
            found = [
                f"{parent.keys[pj]} ({m.scores[ci][pj]:.2f})" for ci, pj, _ in d.links if ci == i
            ]
            reason = f"several parents: {', '.join(found)}"
        review.append(
            ReviewItem(
                level=LEVEL_NAMES[name],
                child=child.keys[i],
                parent=None if candidate is None else parent.keys[candidate],
                score=None if candidate is None else m.scores[i][candidate],
                reason=reason,
            )
        )
    return result, review, m


def _task_votes(
    tasks_child: Side, tasks_parent: Side, task_m: _Matrix, n_child: int, n_parent: int
) -> list[list[float]]:
    """Share of each child group's tasks whose best parent task lies in each parent group."""
    child_orders = sorted({g for g in tasks_child.groups if g is not None})
    parent_orders = sorted({g for g in tasks_parent.groups if g is not None})
    votes = [[0.0] * n_parent for _ in range(n_child)]
    if len(child_orders) != n_child or len(parent_orders) != n_parent:
        return votes
    ci_of = {g: k for k, g in enumerate(child_orders)}
    pj_of = {g: k for k, g in enumerate(parent_orders)}
    totals: Counter[int] = Counter()
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


def _unpicked_parents(
    name: str, level: LevelAlignment, child: Side, parent: Side, m: _Matrix
) -> list[ReviewItem]:
    """A parent item no child implements, whose text overlaps a child that is linked elsewhere:
    maybe a second parent the evidence was too thin for. Worth a human look."""
    out: list[ReviewItem] = []
    linked = {link.child for link in level.links}
    for pk in level.parent_without_child:
        j = parent.keys.index(pk)
        order = sorted(range(len(child.keys)), key=lambda i: (-m.scores[i][j], i))
        for i in order:
            terms = [e for e in m.evidence[i][j] if not e.startswith("metric:")]
            if child.keys[i] in linked and terms and m.scores[i][j] > 0:
                out.append(
                    ReviewItem(
                        level=LEVEL_NAMES[name],
                        child=child.keys[i],
                        parent=pk,
                        score=m.scores[i][j],
                        reason="parent without child: its closest child is linked elsewhere "
                        f"(shared: {', '.join(terms[:6])})",
                    )
                )
                break
    return out


# -- align -----------------------------------------------------------------------------------


def align(child: Plan, parent: Plan | ParentIndex, tokenize: Tokenizer | None = None) -> Alignment:
    """Align `child` with `parent` (a Plan, or a ParentIndex prepared once for many children).

    The algorithm alone: no analysts' decisions (see `ingest.alignment.curation`). A caller
    aligning many children to one parent prepares it once with `prepare_parent`.
    """
    index = parent if isinstance(parent, ParentIndex) else prepare_parent(parent, tokenize)
    cs = sides(child, tokenize or get_tokenizer())
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
    # Goals: a district goal often gathers several city goals (科技硬核实力 = 自主创新策源 and
    # the enterprise goal); targets shared by meaning are part of the evidence, and the usual
    # rule for an additional parent (close to the best, mutual best, above background) decides.
    meaning = [
        [shared_metrics(cg.indicators, pg.indicators) for pg in index.plan.goals]
        for cg in child.goals
    ]
    levels["goals"], r, goal_m = _level("goals", cs["goals"], ps["goals"], meaning=meaning)
    review += r + _unpicked_parents("goals", levels["goals"], cs["goals"], ps["goals"], goal_m)
    levels["measures"], r, _ = _level("measures", cs["measures"], ps["measures"])
    review += r

    return Alignment(
        child_plan=child,
        parent_plan=index.plan,
        tasks=levels["tasks"],
        actions=levels["actions"],
        goals=levels["goals"],
        measures=levels["measures"],
        indicators=cascades(child, index.plan, levels),
        review=tuple(review),
    )
