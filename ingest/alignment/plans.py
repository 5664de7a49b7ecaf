"""Plan level: which loaded plan a child implements, and the keys plans and items match by.

A child cites its parent by document number and title. Document numbers are compared with
`schema.graph_model.doc_key` (the project's one document-number key); titles with `title_key`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from ingest.model import Citation, Plan
from schema.graph_model import doc_key
from schema.normalize import normalise_for_matching


def title_key(title: str | None) -> str:
    """A plan or item title for matching: width, script, dashes, brackets and spaces ignored."""
    if not title:
        return ""
    text = re.sub(r"\s+", "", normalise_for_matching(title))
    text = re.sub(r"[-—–~～至]", "-", text)
    return re.sub(r"[()（）《》〈〉“”\"'「」]", "", text)


def document_key(doc_number: str | None) -> str | None:
    """`doc_key` of a document number, None for a plan without one."""
    return doc_key(doc_number) if doc_number else None


def item_titles(plan: Plan, level: str) -> dict[int, str]:
    """Titles of a plan's items at `level` ('task'/'tasks', ...), keyed as alignment keys them."""
    level = level if level.endswith("s") else level + "s"
    if level == "tasks":
        return {t.number: t.title for t in plan.tasks}
    if level == "actions":
        return {a.order: a.title or "" for a in plan.actions}
    items = plan.goals if level == "goals" else plan.measures
    return {x.order: x.title for x in items}


class LoadedPlans:
    """The loaded plans indexed once by document number and title.

    A build asks for the parent of every child; indexing once keeps that linear in the number
    of plans (re-normalising every plan per child made a 1000-plan build quadratic).
    """

    def __init__(self, plans: Iterable[Plan]):
        self._by_doc: dict[str, list[Plan]] = defaultdict(list)
        self._by_title: dict[str, list[Plan]] = defaultdict(list)
        for plan in plans:
            key = document_key(plan.doc_number)
            if key:
                self._by_doc[key].append(plan)
            if plan.title:
                self._by_title[title_key(plan.title)].append(plan)

    def has_document(self, doc_number: str) -> bool:
        """True when a loaded plan carries this document number (compared by `doc_key`)."""
        return bool(self._by_doc.get(document_key(doc_number) or ""))

    def parent_of(self, child: Plan) -> Plan | Citation | None:
        """The plan `child` implements: a loaded plan it cites, else the citation (a stub).

        Citations are tried in order, first by document number, then by title (a citation may
        carry a misprinted number, or none). A child citing nothing gets None. The returned
        `Citation` is what the graph builder turns into a stub Plan node.
        """
        for citation in child.cites:
            for plan in self._by_doc.get(document_key(citation.doc_number) or "", ()):
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
