"""Resolving what a user typed to one node id: plans and agencies, for every entry point.

The CLI's `view`, `/views/{name}`, `/plans/…`, `/agencies/…` and `/tasks?agency=` all come
here (through `BaseStore.resolve`), so an unknown or ambiguous name fails the same way
everywhere: `NameNotFound` with the closest names. Views then receive ids only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from queries.errors import NameNotFound
from queries.suggest import closest
from schema.graph_model import doc_key

Row = Mapping[str, Any]


def _unique(rows: Iterable[Row], field: str, wanted: str) -> list[str]:
    hits: set[str] = set()
    for row in rows:
        value = row.get(field)
        if value == wanted or (isinstance(value, list) and wanted in value):
            hits.add(row["id"])
    return sorted(hits)


def resolve_plan(plans: Sequence[Row], ref: str) -> str:
    """A plan id from its id, document number (spaces, brackets as typed), title, name or
    region (loaded plans only: a cited stub has no region of its own)."""
    text = str(ref).strip()
    for field, wanted in (("id", text), ("doc_key", doc_key(text)), ("title", text)):
        hits = _unique(plans, field, wanted)
        if len(hits) == 1:
            return hits[0]
    for field in ("name", "region"):
        hits = _unique((p for p in plans if not p.get("stub")), field, text)
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            raise NameNotFound(
                "plan", text, f"{text!r} is the {field} of {len(hits)} plans; name one by id", hits
            )
    pool = [p[f] for p in plans for f in ("id", "doc_key", "region", "title") if p.get(f)]
    raise NameNotFound(
        "plan",
        text,
        f"no loaded plan has the id, document number, title or region {text!r}",
        closest(text, pool, limit=3),
    )


def resolve_agency(
    agencies: Sequence[Row],
    ref: str,
    counterparts: Callable[[], Mapping[str, Iterable[str]]] | None = None,
) -> str:
    """An agency id from its id, its name as written, its full name or an alias.

    `counterparts` is asked only when nothing matches (the suggestions use it), so a name
    that resolves costs no counterpart lookup."""
    text = str(ref).strip()
    for field, called in (("id", "id"), ("name", "name"), ("full_name", "full name"),
                          ("aliases", "alias")):  # fmt: skip
        hits = _unique(agencies, field, text)
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            raise NameNotFound(
                "agency",
                text,
                f"{text!r} is the {called} of {len(hits)} agencies; name one by id",
                hits,
            )
    pool = [a[f] for a in agencies for f in ("name", "full_name") if a.get(f)]
    raise NameNotFound(
        "agency",
        text,
        f"no agency has the id, name, full name or alias {text!r}",
        closest(text, pool, related=counterparts() if counterparts else None),
    )
