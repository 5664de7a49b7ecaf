"""Analysts' alignment decisions: read once, applied to typed alignments, problems reported.

The decisions live in a plain tab-separated file beside the data (data/curation/alignment.tsv,
see it for the header and a commented example); its format, read and written, is
schema/decisions.py (the API's review routes write it too). One line per decision:

    child_doc  level  child_key  child_title  parent_doc  parent_key  parent_title  decision  note

- keyed by document numbers (compared with `schema.graph_model.doc_key`) and item keys (task
  number; action, goal or measure order), so a decision survives re-ingest;
- the titles are a check: if the plan's item no longer carries that title (the plan was
  revised and renumbered), the decision is reported and *not* applied. Leave a title empty to
  skip the check;
- decision: confirm (status becomes 'confirmed'), reject (the link is removed), add (a link the
  algorithm missed, status 'manual').

`load_decisions` reads a file once. A `Curation` applies the decisions to every alignment of one
run (`plangraph align`: one pair; a build: every child with its parent) and collects the
problems: a decision that matches no item, whose titles changed, that rejects a link no longer
proposed, that names a document no loaded plan carries, or whose two plans are loaded but were
not aligned with each other. Nothing is silently dropped; `Curation.problems` is the one list
both commands print.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ingest.alignment.cascades import cascades
from ingest.alignment.model import Alignment, LevelAlignment, Link, ReviewItem
from ingest.alignment.plans import LoadedPlans, document_key, item_titles, title_key
from ingest.errors import PlanError
from ingest.model import Plan
from schema.decisions import (
    COLUMNS,
    DECISIONS,
    LEVELS,
    Decision,
    DecisionsFileError,
    read_decisions_file,
)

__all__ = [
    "COLUMNS",
    "DECISIONS",
    "LEVELS",
    "Curated",
    "Curation",
    "Decision",
    "Problem",
    "apply",
    "load_decisions",
]


@dataclass(frozen=True)
class Problem:
    """A decision that was not applied as written, and why. `str()` is the line users see."""

    decision: Decision
    message: str

    def __str__(self) -> str:
        return f"{self.decision.where()}: {self.decision.describe()}: {self.message}"


@dataclass(frozen=True)
class Curated:
    """One alignment with the decisions for its pair applied, and those decisions' problems."""

    alignment: Alignment
    problems: tuple[Problem, ...]


# -- reading ---------------------------------------------------------------------------------


def load_decisions(path: str | Path) -> tuple[Decision, ...]:
    """Read a decisions file; a malformed line raises PlanError naming the file and line."""
    try:
        return read_decisions_file(path)
    except DecisionsFileError as error:
        raise PlanError(error.message, path=error.path, line=error.line) from None


# -- applying --------------------------------------------------------------------------------


def _same_title(expected: str, actual: str | None) -> bool:
    return not expected or title_key(expected) == title_key(actual or "")


def _pair_of(alignment: Alignment) -> tuple[str | None, str | None]:
    return (
        document_key(alignment.child_plan.doc_number),
        document_key(alignment.parent_plan.doc_number),
    )


def _unmatched(d: Decision, child: Plan, parent: Plan) -> str | None:
    """Why `d` cannot apply to these plans' items, or None when its keys and titles match."""
    child_titles = item_titles(child, d.level)
    parent_titles = item_titles(parent, d.level)
    if d.child_key not in child_titles:
        return f"the child plan has no {d.level} {d.child_key}; not applied"
    if d.parent_key not in parent_titles:
        return f"the parent plan has no {d.level} {d.parent_key}; not applied"
    if not _same_title(d.child_title, child_titles[d.child_key]):
        return (
            f"child title changed: file says {d.child_title!r}, plan says "
            f"{child_titles[d.child_key]!r}; not applied"
        )
    if not _same_title(d.parent_title, parent_titles[d.parent_key]):
        return (
            f"parent title changed: file says {d.parent_title!r}, plan says "
            f"{parent_titles[d.parent_key]!r}; not applied"
        )
    return None


def _apply_pair(alignment: Alignment, decisions: Sequence[Decision]) -> Curated:
    """Apply `decisions`, all meant for this alignment's plan pair."""
    if not decisions:
        return Curated(alignment, ())
    child, parent = alignment.child_plan, alignment.parent_plan
    links = {name: list(level.links) for name, level in alignment.levels().items()}
    touched: set[str] = set()
    problems: list[Problem] = []
    for d in decisions:
        name = LEVELS[d.level]
        touched.add(name)
        why = _unmatched(d, child, parent)
        if why is not None:
            problems.append(Problem(d, why))
            continue
        level, mine = alignment.level(name), links[name]
        existing = next(
            (x for x in mine if x.child == d.child_key and x.parent == d.parent_key), None
        )
        note = f"curation: {d.note}" if d.note else "curation"
        if d.decision == "reject":
            if existing is None:
                problems.append(
                    Problem(d, "the algorithm no longer proposes this link; nothing to reject")
                )
                continue
            mine.remove(existing)
        elif d.decision == "confirm" and existing is not None:
            confirmed = replace(existing, status="confirmed", evidence=(*existing.evidence, note))
            mine[mine.index(existing)] = confirmed
        else:
            if d.decision == "confirm":
                # The analyst's judgement stands even when the algorithm stopped proposing the
                # link; say so, so the changed algorithm behaviour is visible.
                problems.append(
                    Problem(d, "the algorithm no longer proposes this link; kept as confirmed")
                )
            if existing is not None:  # add on a link already found: record it as manual
                mine.remove(existing)
            pair = (d.child_key, d.parent_key)
            mine.append(
                Link(
                    child=d.child_key,
                    parent=d.parent_key,
                    score=level.scores.get(pair, 0.0),
                    status="confirmed" if d.decision == "confirm" else "manual",
                    evidence=(*level.evidence.get(pair, ()), note),
                    method=f"curation ({d.where()})",
                )
            )
    levels: dict[str, LevelAlignment] = {
        name: level.with_links(links[name]) if name in touched else level
        for name, level in alignment.levels().items()
    }
    review = [
        ReviewItem(
            level="curation",
            child=p.decision.child_key,
            parent=p.decision.parent_key,
            score=None,
            reason=str(p),
        )
        for p in problems
    ]
    curated = replace(
        alignment,
        tasks=levels["tasks"],
        actions=levels["actions"],
        goals=levels["goals"],
        measures=levels["measures"],
        indicators=cascades(child, parent, levels),
        review=(*alignment.review, *review),
    )
    return Curated(curated, tuple(problems))


def apply(alignment: Alignment, decisions: Iterable[Decision]) -> Curated:
    """Apply the decisions meant for this alignment's plan pair; the others are not for it.

    Returns the curated alignment (its review also lists each problem, as level 'curation')
    and the problems of the decisions for this pair. Decisions for other pairs are left to
    `Curation.problems`, which knows which plans a run loaded.
    """
    pair = _pair_of(alignment)
    return _apply_pair(alignment, [d for d in decisions if d.pair == pair])


class Curation:
    """The decisions applied over one run: `plangraph align` (one pair) or a build (all pairs).

    Indexes the decisions by plan pair once, applies each pair's decisions to its alignment,
    and reports every decision that was not applied as written (`problems`), including those
    no alignment of the run reached.
    """

    def __init__(self, decisions: Iterable[Decision], plans: Iterable[Plan]):
        self.decisions = tuple(decisions)
        self._loaded = LoadedPlans(plans)
        self._by_pair: dict[tuple[str | None, str | None], list[Decision]] = defaultdict(list)
        for d in self.decisions:
            self._by_pair[d.pair].append(d)
        self._reached: set[tuple[str | None, str | None]] = set()
        self._problems: dict[Decision, list[Problem]] = defaultdict(list)

    def apply(self, alignment: Alignment) -> Alignment:
        """`alignment` with the decisions for its plan pair applied."""
        pair = _pair_of(alignment)
        self._reached.add(pair)
        curated = _apply_pair(alignment, self._by_pair.get(pair, []))
        for problem in curated.problems:
            self._problems[problem.decision].append(problem)
        return curated.alignment

    def problems(self) -> tuple[Problem, ...]:
        """Every decision not applied as written, in the file's order."""
        out: list[Problem] = []
        for d in self.decisions:
            if d.pair in self._reached:
                out.extend(self._problems.get(d, []))
            else:
                out.append(self._unreached(d))
        return tuple(out)

    def _unreached(self, d: Decision) -> Problem:
        missing = [
            f"{role} document {doc}"
            for role, doc in (("child", d.child_doc), ("parent", d.parent_doc))
            if not self._loaded.has_document(doc)
        ]
        if missing:
            verb = "is" if len(missing) == 1 else "are"
            return Problem(
                d, f"{' and '.join(missing)} {verb} not among the loaded plans; not applied"
            )
        return Problem(d, "both plans are loaded but were not aligned with each other; not applied")
