"""Analysts' alignment decisions, kept in a plain tab-separated file beside the data.

One line per decision (see data/curation/alignment.tsv for the header and a commented example):

    child_doc  level  child_key  child_title  parent_doc  parent_key  parent_title  decision  note

- keyed by document numbers (compared after normalisation) and item keys (task number; action,
  goal or measure order), so a decision survives re-ingest;
- the titles are a check: if the plan's item no longer carries that title (the plan was
  revised and renumbered), the decision is reported and *not* applied. Leave a title empty to
  skip the check;
- decision: confirm (status becomes 'confirmed'), reject (the link is removed), add (a link the
  algorithm missed, status 'manual').

A decision that matches no item is reported in `Alignment.curation_report` and in the review
list, never silently dropped. Decisions for other plan pairs are simply not for this pair.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.errors import PlanError

if TYPE_CHECKING:
    from ingest.alignment import Alignment

COLUMNS = (
    "child_doc",
    "level",
    "child_key",
    "child_title",
    "parent_doc",
    "parent_key",
    "parent_title",
    "decision",
    "note",
)
LEVELS = {"task": "tasks", "action": "actions", "goal": "goals", "measure": "measures"}
DECISIONS = ("confirm", "reject", "add")


@dataclass(frozen=True)
class Decision:
    child_doc: str
    level: str  # task | action | goal | measure
    child_key: int
    child_title: str
    parent_doc: str
    parent_key: int
    parent_title: str
    decision: str  # confirm | reject | add
    note: str = ""
    path: str | None = None
    line: int | None = None

    def where(self) -> str:
        return f"{self.path or '<decisions>'}:{self.line}" if self.line else (self.path or "")

    def describe(self) -> str:
        return (
            f"{self.decision} {self.level} {self.child_doc} {self.child_key} → "
            f"{self.parent_doc} {self.parent_key}"
        )


def _key(value: str, column: str, path: str, line: int) -> int:
    try:
        key = int(value.strip())
    except ValueError:
        raise PlanError(f"{column} must be a number, got {value!r}", path=path, line=line) from None
    if key < 1:
        raise PlanError(f"{column} must be 1 or more, got {key}", path=path, line=line)
    return key


def load_decisions(path: str | Path) -> list[Decision]:
    """Read a decisions file; a malformed line raises PlanError naming the file and line."""
    p = Path(path)
    where = str(p)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise PlanError("decisions file not found", path=where) from None
    except UnicodeDecodeError as exc:
        raise PlanError(f"decisions file is not UTF-8 ({exc.reason})", path=where) from None
    decisions: list[Decision] = []
    seen: dict[tuple, Decision] = {}
    header_seen = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = line.split("\t")
        if not header_seen and fields[0].strip() == COLUMNS[0]:
            header_seen = True
            if [f.strip() for f in fields[: len(COLUMNS)]] != list(COLUMNS[: len(fields)]):
                raise PlanError(
                    f"header must be {' / '.join(COLUMNS)} separated by tabs",
                    path=where,
                    line=number,
                )
            continue
        if len(fields) not in (len(COLUMNS) - 1, len(COLUMNS)):
            raise PlanError(
                f"expected {len(COLUMNS)} tab-separated fields ({', '.join(COLUMNS)}), "
                f"got {len(fields)}" + (" (spaces instead of tabs?)" if len(fields) == 1 else ""),
                path=where,
                line=number,
            )
        fields = [f.strip() for f in fields] + [""] * (len(COLUMNS) - len(fields))
        child_doc, level, ckey, ctitle, parent_doc, pkey, ptitle, decision, note = fields
        if not child_doc or not parent_doc:
            raise PlanError("child_doc and parent_doc must not be empty", path=where, line=number)
        if level not in LEVELS:
            raise PlanError(
                f"level must be one of {', '.join(LEVELS)}, got {level!r}", path=where, line=number
            )
        if decision not in DECISIONS:
            raise PlanError(
                f"decision must be one of {', '.join(DECISIONS)}, got {decision!r}",
                path=where,
                line=number,
            )
        d = Decision(
            child_doc=child_doc,
            level=level,
            child_key=_key(ckey, "child_key", where, number),
            child_title=ctitle,
            parent_doc=parent_doc,
            parent_key=_key(pkey, "parent_key", where, number),
            parent_title=ptitle,
            decision=decision,
            note=note,
            path=where,
            line=number,
        )
        from ingest.alignment import doc_number_key

        link_id = (
            doc_number_key(child_doc),
            level,
            d.child_key,
            doc_number_key(parent_doc),
            d.parent_key,
        )
        if link_id in seen:
            first = seen[link_id]
            raise PlanError(
                f"second decision on the same link (first at line {first.line}: "
                f"{first.decision}); keep one",
                path=where,
                line=number,
            )
        seen[link_id] = d
        decisions.append(d)
    return decisions


def _same_title(expected: str, actual: str | None) -> bool:
    if not expected:
        return True
    from ingest.alignment import title_key

    return title_key(expected) == title_key(actual or "")


def apply(alignment: Alignment, decisions: Iterable[Decision]) -> list[str]:
    """Apply the decisions meant for this pair; report the ones that match nothing.

    Returns the report lines (also appended to `alignment.curation_report` and, as items worth
    a human look, to `alignment.review`).
    """
    from ingest.alignment import Link, ReviewItem, doc_number_key, item_titles

    child, parent = alignment.child_plan, alignment.parent_plan
    ckey, pkey = doc_number_key(child.doc_number), doc_number_key(parent.doc_number)
    report: list[str] = []

    def problem(d: Decision, message: str) -> None:
        text = f"{d.where()}: {d.describe()}: {message}"
        report.append(text)
        alignment.review.append(
            ReviewItem(
                level="curation",
                child=d.child_key,
                parent=d.parent_key,
                score=None,
                reason=text,
            )
        )

    touched: set[str] = set()
    for d in decisions:
        if doc_number_key(d.child_doc) != ckey or doc_number_key(d.parent_doc) != pkey:
            continue  # a decision about another pair of plans
        level = alignment.level(LEVELS[d.level])
        touched.add(LEVELS[d.level])
        child_titles = item_titles(child, d.level)
        parent_titles = item_titles(parent, d.level)
        if d.child_key not in child_titles:
            problem(d, f"the child plan has no {d.level} {d.child_key}; not applied")
            continue
        if d.parent_key not in parent_titles:
            problem(d, f"the parent plan has no {d.level} {d.parent_key}; not applied")
            continue
        if not _same_title(d.child_title, child_titles[d.child_key]):
            problem(
                d,
                f"child title changed: file says {d.child_title!r}, plan says "
                f"{child_titles[d.child_key]!r}; not applied",
            )
            continue
        if not _same_title(d.parent_title, parent_titles[d.parent_key]):
            problem(
                d,
                f"parent title changed: file says {d.parent_title!r}, plan says "
                f"{parent_titles[d.parent_key]!r}; not applied",
            )
            continue
        existing = next(
            (x for x in level.links if x.child == d.child_key and x.parent == d.parent_key), None
        )
        note = f"curation: {d.note}" if d.note else "curation"
        if d.decision == "reject":
            if existing is None:
                problem(d, "the algorithm no longer proposes this link; nothing to reject")
                continue
            level.links.remove(existing)
        elif d.decision == "confirm" and existing is not None:
            existing.status = "confirmed"
            existing.evidence = [*existing.evidence, note]
        else:
            if d.decision == "confirm":
                # The analyst's judgement stands even when the algorithm stopped proposing the
                # link; say so, so the changed algorithm behaviour is visible.
                problem(d, "the algorithm no longer proposes this link; kept as confirmed")
            if existing is not None:  # add on a link already found: record it as manual
                level.links.remove(existing)
            level.links.append(
                Link(
                    child=d.child_key,
                    parent=d.parent_key,
                    score=level.scores.get((d.child_key, d.parent_key), 0.0),
                    status="confirmed" if d.decision == "confirm" else "manual",
                    evidence=[*level.evidence.get((d.child_key, d.parent_key), []), note],
                    method=f"curation ({d.where()})",
                )
            )
    for name in touched:
        alignment.level(name).refresh()
    alignment.curation_report.extend(report)
    return report
