"""What an alignment is: typed, frozen results, and the JSON contract they turn into.

`scoring.align` makes an `Alignment`; `curation.Curation.apply` returns a new one with the
analysts' decisions applied; `ingest.graph.GraphBuilder.add_alignment` reads it as is. Nothing
here computes: the types only hold results and say how they serialise (`to_dict`, the
`plangraph align --json` contract).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from ingest.model import Indicator, Plan

LEVELS = ("tasks", "actions", "goals", "measures")
LEVEL_NAMES = {"tasks": "task", "actions": "action", "goals": "goal", "measures": "measure"}
SCORE_DIGITS = 3  # a score as reported: JSON, review, graph edge

Pair = tuple[int, int]  # (child key, parent key): task number, or action/goal/measure order


@dataclass(frozen=True)
class Link:
    """A child item implementing a parent item, and why the link was made."""

    child: int
    parent: int
    score: float
    status: str  # "auto" | "confirmed" | "manual"
    evidence: tuple[str, ...]
    method: str

    @property
    def reported_score(self) -> float:
        return round(self.score, SCORE_DIGITS)

    def to_dict(self) -> dict[str, Any]:
        return {
            "child": self.child,
            "parent": self.parent,
            "score": self.reported_score,
            "status": self.status,
            "evidence": list(self.evidence),
            "method": self.method,
        }


@dataclass(frozen=True)
class LevelAlignment:
    """The links at one level, and the items on either side that got none.

    `scores` and `evidence` are what the decision saw for every (child, parent) pair: kept for
    curation (a link an analyst adds carries its score) and left out of `to_dict`.
    """

    links: tuple[Link, ...] = ()
    child_without_parent: tuple[int, ...] = ()
    parent_without_child: tuple[int, ...] = ()
    child_keys: tuple[int, ...] = field(default=(), repr=False)
    parent_keys: tuple[int, ...] = field(default=(), repr=False)
    scores: Mapping[Pair, float] = field(default_factory=dict, repr=False, compare=False)
    evidence: Mapping[Pair, tuple[str, ...]] = field(
        default_factory=dict, repr=False, compare=False
    )

    @classmethod
    def of(
        cls,
        links: Iterable[Link],
        child_keys: Iterable[int],
        parent_keys: Iterable[int],
        scores: Mapping[Pair, float] | None = None,
        evidence: Mapping[Pair, tuple[str, ...]] | None = None,
    ) -> LevelAlignment:
        """Links in (child, best score first, parent) order, and the unlinked keys from them."""
        ordered = tuple(sorted(links, key=lambda link: (link.child, -link.score, link.parent)))
        children, parents = tuple(child_keys), tuple(parent_keys)
        linked_children = {link.child for link in ordered}
        linked_parents = {link.parent for link in ordered}
        return cls(
            links=ordered,
            child_without_parent=tuple(k for k in children if k not in linked_children),
            parent_without_child=tuple(k for k in parents if k not in linked_parents),
            child_keys=children,
            parent_keys=parents,
            scores=scores if scores is not None else {},
            evidence=evidence if evidence is not None else {},
        )

    def with_links(self, links: Iterable[Link]) -> LevelAlignment:
        """The same level with other links (the unlinked lists follow)."""
        return LevelAlignment.of(
            links, self.child_keys, self.parent_keys, self.scores, self.evidence
        )

    def link(self, child: int, parent: int) -> Link | None:
        return next((x for x in self.links if x.child == child and x.parent == parent), None)

    def parents_of(self, child: int) -> list[int]:
        return [link.parent for link in self.links if link.child == child]

    def to_dict(self) -> dict[str, Any]:
        return {
            "links": [link.to_dict() for link in self.links],
            "child_without_parent": list(self.child_without_parent),
            "parent_without_child": list(self.parent_without_child),
        }


@dataclass(frozen=True)
class IndicatorRef:
    """One target of a plan, where it sits: the plan itself (ref 0), or a goal/task/measure."""

    indicator: Indicator
    scope: str  # "plan" | "goal" | "task" | "measure"
    ref: int  # the item's key, 0 for the plan
    position: int  # 1-based among the item's targets
    item_title: str | None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self.indicator)
        data.update(
            {
                "scope": self.scope,
                "ref": self.ref,
                "position": self.position,
                "item_title": self.item_title,
            }
        )
        return data


@dataclass(frozen=True)
class Cascade:
    """A child target against the parent target on the same metric it contributes to."""

    child: IndicatorRef
    parent: IndicatorRef
    ratio: float | None
    relation: str  # see cascades.compare
    # 'different-period' (a yearly figure against a plan total): the child's yearly figure over
    # the parent's, a total spread over its plan's years; None otherwise or when not computable.
    annualised_ratio: float | None = None
    # How the child's metric names the parent's (cascades.metric_match): "exact", "qualified"
    # (qualifiers or tier words differ), "synonym", "similar" (close wording, aligned items only).
    match: str = "exact"

    def to_dict(self) -> dict[str, Any]:
        return {
            "child": self.child.to_dict(),
            "parent": self.parent.to_dict(),
            "ratio": self.ratio,
            "relation": self.relation,
            "annualised_ratio": self.annualised_ratio,
            "match": self.match,
        }


@dataclass(frozen=True)
class ReviewItem:
    """Something worth a human look: a rejected best candidate, a low margin, a curation problem."""

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
            "score": None if self.score is None else round(self.score, SCORE_DIGITS),
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Alignment:
    """A child plan aligned with its parent, at every level, with the target cascades."""

    child_plan: Plan
    parent_plan: Plan
    tasks: LevelAlignment
    actions: LevelAlignment
    goals: LevelAlignment
    measures: LevelAlignment
    indicators: tuple[Cascade, ...] = ()
    review: tuple[ReviewItem, ...] = ()

    def level(self, name: str) -> LevelAlignment:
        """A level by name: "tasks" or "task", "actions" or "action", ..."""
        level: LevelAlignment = getattr(self, name if name.endswith("s") else name + "s")
        return level

    def levels(self) -> dict[str, LevelAlignment]:
        return {name: self.level(name) for name in LEVELS}

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
