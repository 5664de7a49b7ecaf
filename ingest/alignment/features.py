"""What alignment compares about each item: one plan's items at each level, tokenised once.

A `Side` holds one plan's items at one level as the scorer sees them: body and title term
counts, quoted programme names, industries, target metrics and (for tasks) the action group
each sits in. A parent plan's sides are prepared once (`prepare_parent`) and reused for every
child aligned to it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from ingest.model import Indicator, Plan
from ingest.similarity import Corpus, Tokenizer, get_tokenizer, named_programmes
from schema.normalize import normalise_for_matching

_RESPONSIBILITY = re.compile(r"[（(]\s*(?:责\s*任|牵\s*头|主\s*责)[^（()）]*[）)]\s*$")


@dataclass(frozen=True)
class Side:
    """One plan's items at one level, tokenised once."""

    keys: list[int]
    titles: list[str]
    body: Corpus
    title: Corpus
    programmes: list[set[str]]
    industries: list[set[str]]
    metrics: list[set[str]]
    groups: list[int | None]  # tasks: the order of the action group holding each task


@dataclass(frozen=True)
class ParentIndex:
    """A parent plan tokenised once, reused for every child aligned to it."""

    plan: Plan
    sides: dict[str, Side]


def prepare_parent(parent: Plan, tokenize: Tokenizer | None = None) -> ParentIndex:
    return ParentIndex(plan=parent, sides=sides(parent, tokenize or get_tokenizer()))


@lru_cache(maxsize=65536)
def metric_key(metric: str) -> str:
    """A target's metric for matching: width, script and spaces ignored."""
    return re.sub(r"\s+", "", normalise_for_matching(metric or ""))


def _metrics(indicators: Iterable[Indicator]) -> set[str]:
    return {metric_key(i.metric) for i in indicators if i.metric}


def _strip_responsibility(text: str) -> str:
    return _RESPONSIBILITY.sub("", (text or "").strip())


def sides(plan: Plan, tokenize: Tokenizer) -> dict[str, Side]:
    """The plan's tasks, action groups, goals and measures as `Side`s, by level name."""
    out: dict[str, Side] = {}
    tasks = plan.tasks
    task_texts = [_strip_responsibility(t.text) or t.title for t in tasks]
    task_body = Corpus.build(task_texts, tokenize)
    group_of = {}
    for action in plan.actions:
        for task in action.tasks:
            group_of[id(task)] = action.order if action.title else None
    out["tasks"] = Side(
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
    out["actions"] = Side(
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
        out[name] = Side(
            keys=[x.order for x in items],
            titles=[x.title for x in items],
            body=Corpus.build(texts, tokenize),
            title=Corpus.build([x.title for x in items], tokenize),
            programmes=[named_programmes(x) for x in texts],
            industries=[set(getattr(x, "industries", []) or []) for x in items],
            metrics=[_metrics(x.indicators) for x in items],
            groups=[None for _ in items],
        )
    return out
