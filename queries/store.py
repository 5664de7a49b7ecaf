"""The one interface both graph stores offer: `GraphStore`.

`BaseStore` holds what the two share — parameter validation against the view header, plan
references resolved to plan ids (so a view receives the same id on both stores), plan lookup
suggestions — and leaves the store-specific reading to `_execute` and a few small queries.

    store.run_view("tasks_by_agency", {"agency": "区经委"})   # -> list[dict]
    store.resolve_plan("沪松府〔2023〕138 号")                # -> "沪松府-2023-138"
"""

from __future__ import annotations

import difflib
from abc import ABC, abstractmethod
from typing import Any, Protocol, runtime_checkable

from queries.errors import PlanNotFound
from queries.registry import ViewSpec, get_view, list_views
from schema import graph_model as gm

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

    def run_view(self, name: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Rows of a registered view; raises UnknownView / ViewParameterError / StoreUnavailable."""

    def views(self) -> list[dict[str, Any]]:
        """Every view's name, title, purpose and parameters."""

    def counts(self) -> dict[str, int]:
        """{plans (loaded, not stubs), tasks, agencies, links (ALIGNS_WITH)}."""

    def resolve_plan(self, ref: str) -> str:
        """A plan id from an id, a document number (spaces or not), a region or a title."""

    def node(self, node_id: str) -> dict[str, Any] | None:
        """A node's properties plus its `label`, or None."""

    def search_names(self, q: str, limit: int = 10) -> list[dict[str, Any]]:
        """Nodes whose name contains q, for suggestions: [{id, label, name}]."""

    def health(self) -> dict[str, Any]:
        """{store, reachable, reason?, plans?, tasks?, agencies?, links?}; never raises."""

    def close(self) -> None: ...


class BaseStore(ABC):
    kind: str = "base"

    # -- what each store implements ----------------------------------------------------------

    @abstractmethod
    def _execute(self, spec: ViewSpec, params: dict[str, Any]) -> list[dict[str, Any]]: ...

    @abstractmethod
    def _plan_refs(self) -> list[dict[str, Any]]:
        """Every Plan as {id, doc_key, region, title, stub}."""

    @abstractmethod
    def counts(self) -> dict[str, int]: ...

    @abstractmethod
    def node(self, node_id: str) -> dict[str, Any] | None: ...

    @abstractmethod
    def search_names(self, q: str, limit: int = 10) -> list[dict[str, Any]]: ...

    def close(self) -> None:
        return None

    # -- shared ------------------------------------------------------------------------------

    def views(self) -> list[dict[str, Any]]:
        return list_views()

    def run_view(self, name: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        spec = get_view(name)
        values = spec.validate(params)
        for param in spec.params:
            if param.type == "plan":
                values[param.name] = self._resolve(values[param.name], name, param.name)
        return self._execute(spec, values)

    def resolve_plan(self, ref: str) -> str:
        return self._resolve(ref, "plan", "plan")

    def _resolve(self, ref: str, view: str, param: str) -> str:
        plans = self._plan_refs()
        text = str(ref).strip()
        key = gm.doc_key(text)
        for field, wanted in (("id", text), ("doc_key", key), ("title", text)):
            hits = sorted({p["id"] for p in plans if p.get(field) == wanted})
            if len(hits) == 1:
                return hits[0]
        by_region = sorted(
            {p["id"] for p in plans if p.get("region") == text and not p.get("stub")}
        )
        if len(by_region) == 1:
            return by_region[0]
        if len(by_region) > 1:
            raise PlanNotFound(
                view,
                param,
                f"{text!r} is the region of {len(by_region)} plans; name one by id",
                by_region,
            )
        choices = {}
        for p in plans:
            for field in ("id", "doc_key", "region", "title"):
                if p.get(field):
                    choices[p[field]] = p["id"]
        close = difflib.get_close_matches(text, sorted(choices), n=3, cutoff=0.4)
        raise PlanNotFound(
            view,
            param,
            f"no loaded plan has the id, document number, region or title {text!r}",
            close,
        )

    def health(self) -> dict[str, Any]:
        from queries.errors import StoreError

        try:
            return {"store": self.kind, "reachable": True, **self.counts()}
        except StoreError as error:
            return {"store": self.kind, "reachable": False, "reason": str(error)}


def rank_names(rows: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    """The suggestion order both stores use: label rank, shorter names, name, id."""
    rows.sort(
        key=lambda r: (NAME_LABEL_RANK.get(r["label"], 99), len(r["name"]), r["name"], r["id"])
    )
    return rows[:limit]
