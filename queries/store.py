"""The one interface both graph stores offer, and the steps they share: `BaseStore`.

A store is an engine that runs Cypher and hands back plain rows (`_run`); everything else is
here, once: parameter validation against the view header, names resolved to ids
(`queries.resolution`), the engine's override picked when a view has one, the header's row
order applied, and the lookups (`queries.lookups`) behind counts, nodes and suggestions.

    store.run_view("tasks_by_agency", {"agency": "区经委"})   # -> list[dict]
    store.resolve("plan", "沪松府〔2023〕138 号")              # -> "沪松府-2023-138"
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Protocol, runtime_checkable

from queries import lookups
from queries.errors import NameNotFound, StoreError
from queries.registry import RESOLVED_TYPES, get_view, list_views
from queries.resolution import resolve_agency, resolve_plan
from schema import graph_model as gm

Row = dict[str, Any]

# Suggestion order for search_names: the things people look up first come first.
NAME_LABEL_RANK = {
    gm.PLAN: 0,
    gm.AGENCY: 1,
    gm.REGION: 2,
    gm.INDUSTRY: 3,
    gm.ACTION: 4,
    gm.TASK: 5,
    gm.GOAL: 6,
    gm.MEASURE: 7,
    gm.INDICATOR: 8,
}


@runtime_checkable
class GraphStore(Protocol):
    kind: str

    def run_view(self, name: str, params: dict[str, Any] | None = None) -> list[Row]:
        """Rows of a registered view; raises UnknownView, ViewParameterError, NameNotFound
        or StoreUnavailable."""

    def views(self) -> list[dict[str, Any]]:
        """Every view's name, title, purpose and parameters."""

    def counts(self) -> dict[str, int]:
        """{plans (loaded, not stubs), tasks, agencies, links (ALIGNS_WITH)}."""

    def resolve(self, kind: str, ref: str) -> str:
        """The id of the plan or agency `ref` names; NameNotFound otherwise."""

    def resolve_plan(self, ref: str) -> str:
        """A plan id from an id, a document number (spaces or not), a region or a title."""

    def node(self, node_id: str) -> Row | None:
        """A node's properties plus its `label`, or None."""

    def search_names(self, q: str, limit: int = 10) -> list[Row]:
        """Nodes whose name contains q, for suggestions: [{id, label, name}]."""

    def health(self) -> dict[str, Any]:
        """{store, reachable, reason?, plans?, tasks?, agencies?, links?}; never raises."""

    def close(self) -> None: ...


class BaseStore(ABC):
    kind: str = "base"
    # Which override file a view may have for this store: `<view>.<engine>.cypher`.
    engine: str = "base"

    @abstractmethod
    def _run(self, query: str, params: dict[str, Any]) -> list[Row]:
        """Rows of one read query; nodes and relationships as property dicts carrying their
        `label` / `type` (the engines' own objects never leave the store)."""

    def close(self) -> None:
        return None

    def views(self) -> list[dict[str, Any]]:
        return list_views()

    def run_view(self, name: str, params: dict[str, Any] | None = None) -> list[Row]:
        spec = get_view(name)
        values = spec.validate(params)
        for param in spec.params:
            if param.type in RESOLVED_TYPES:
                try:
                    values[param.name] = self.resolve(param.type, values[param.name])
                except NameNotFound as error:
                    error.view, error.parameter = name, param.name
                    raise
        return spec.sort(self._run(spec.text(self.engine), values))

    # -- names -------------------------------------------------------------------------------

    def resolve(self, kind: str, ref: str) -> str:
        if kind == "plan":
            return resolve_plan(self._run(lookups.PLAN_REFS, {}), ref)
        if kind == "agency":
            return resolve_agency(self._run(lookups.AGENCY_REFS, {}), ref, self.counterparts())
        raise ValueError(f"cannot resolve a {kind!r}")

    def resolve_plan(self, ref: str) -> str:
        return self.resolve("plan", ref)

    def counterparts(self) -> dict[str, list[str]]:
        """Each agency name with the names of its counterparts at the other level."""
        pairs: dict[str, list[str]] = {}
        for row in self._run(lookups.COUNTERPARTS, {}):
            pairs.setdefault(row["name"], []).append(row["counterpart"])
        return {name: sorted(set(others)) for name, others in pairs.items()}

    # -- lookups -----------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        rows = self._run(lookups.COUNTS, {})
        return rows[0] if rows else {"plans": 0, "tasks": 0, "agencies": 0, "links": 0}

    def node(self, node_id: str) -> Row | None:
        rows = self._run(lookups.NODE, {"id": node_id})
        return dict(rows[0]["node"]) if rows else None

    def search_names(self, q: str, limit: int = 10) -> list[Row]:
        q = q.strip()
        if not q:
            return []
        rows = [
            {"id": row["node"]["id"], "label": row["node"]["label"], "name": row["node"]["name"]}
            for row in self._run(lookups.NAMES, {"q": q})
            if row["node"]["label"] != gm.INDICATOR
        ]
        rows.sort(
            key=lambda r: (NAME_LABEL_RANK.get(r["label"], 99), len(r["name"]), r["name"], r["id"])
        )
        return rows[:limit]

    def health(self) -> dict[str, Any]:
        try:
            return {"store": self.kind, "reachable": True, **self.counts()}
        except StoreError as error:
            return {"store": self.kind, "reachable": False, "reason": str(error)}
