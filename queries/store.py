"""The one interface both graph stores offer, and the steps they share: `BaseStore`.

A store is an engine that runs Cypher and hands back plain rows (`_run`); everything else is
here, once: parameter validation against the view header, names resolved to ids
(`queries.resolution`), the engine's override picked when a view has one, the header's row
order applied, and the lookups (`queries.lookups`) behind counts, nodes and suggestions.

    store.run_view("tasks_by_agency", {"agency": "区经委"})   # -> list[dict]
    store.resolve("plan", "沪松府〔2023〕138 号")              # -> "沪松府-2023-138"

The graph's stamp (`schema.graph_stamp`) says which graph is live. Once a store has seen it,
what depends only on the graph is kept per stamp version: the name tables resolution reads
(so a request resolves a name with no round trip) and the counts /health shows (from the
stamp, never a scan). A graph without a stamp (loaded by an older plangraph) is read live.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

from queries import lookups
from queries.errors import NameNotFound, StoreError
from queries.registry import RESOLVED_TYPES, get_view, list_views
from queries.resolution import resolve_agency, resolve_plan
from schema import graph_model as gm
from schema.graph_stamp import GraphStamp

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
        """{store, reachable, reason?, plans?, tasks?, agencies?, links?, version?};
        never raises."""

    def stamp(self) -> GraphStamp | None:
        """The live graph's stamp, None for a graph written without one. Neo4j reads it (one
        round trip; StoreUnavailable on an outage); the embedded store has it from opening."""

    def close(self) -> None: ...


class BaseStore(ABC):
    kind: str = "base"
    # Which override file a view may have for this store: `<view>.<engine>.cypher`.
    engine: str = "base"
    # Whether the graph can change under an open store (a new load into Neo4j), so that a
    # reader must ask `stamp()` again now and then; an embedded file never changes once open.
    stamp_changes: bool = False

    # The stamp last seen, and what was read for that version: query -> rows.
    _seen_stamp: GraphStamp | None = None
    _memo: dict[str, list[Row]] | None = None
    _memo_lock = threading.Lock()

    @abstractmethod
    def _run(self, query: str, params: dict[str, Any]) -> list[Row]:
        """Rows of one read query; nodes and relationships as property dicts carrying their
        `label` / `type` (the engines' own objects never leave the store)."""

    def close(self) -> None:
        return None

    # -- the stamp ---------------------------------------------------------------------------

    def _read_stamp(self) -> GraphStamp | None:
        """The stamp as the engine holds it (a store without one returns None)."""
        return None

    def stamp(self) -> GraphStamp | None:
        found = self._read_stamp()
        self._see(found)
        return found

    def _see(self, stamp: GraphStamp | None) -> None:
        with self._memo_lock:
            previous = self._seen_stamp.version if self._seen_stamp else None
            if stamp is None or stamp.version != previous:
                # A new graph (or none stamped): what was read for the old one is dropped.
                self._memo = {} if stamp is not None else None
            self._seen_stamp = stamp

    def _rows_per_graph(
        self, query: str, arrange: Callable[[list[Row]], list[Row]] = list
    ) -> list[Row]:
        """Rows of a parameterless query, read once per stamp version (live without one)."""
        memo = self._memo
        if memo is None:
            return arrange(self._run(query, {}))
        rows = memo.get(query)
        if rows is None:
            rows = memo[query] = arrange(self._run(query, {}))
        return rows

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
        if not spec.params and self._memo is not None:
            # A view without parameters (plans, agencies, industries, regions) is the same
            # for the whole graph: read once per stamp version, handed out as copies.
            return [dict(row) for row in self._rows_per_graph(spec.text(self.engine), spec.sort)]
        return spec.sort(self._run(spec.text(self.engine), values))

    # -- names -------------------------------------------------------------------------------

    def resolve(self, kind: str, ref: str) -> str:
        if kind == "plan":
            return resolve_plan(self._rows_per_graph(lookups.PLAN_REFS), ref)
        if kind == "agency":
            agencies = self._rows_per_graph(lookups.AGENCY_REFS)
            return resolve_agency(agencies, ref, self.counterparts)
        raise ValueError(f"cannot resolve a {kind!r}")

    def resolve_plan(self, ref: str) -> str:
        return self.resolve("plan", ref)

    def counterparts(self) -> dict[str, list[str]]:
        """Each agency name with the names of its counterparts at the other level."""
        pairs: dict[str, list[str]] = {}
        for row in self._rows_per_graph(lookups.COUNTERPARTS):
            pairs.setdefault(row["name"], []).append(row["counterpart"])
        return {name: sorted(set(others)) for name, others in pairs.items()}

    # -- lookups -----------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        stamp = self._seen_stamp
        if stamp is not None and self._memo is not None:
            # From the stamp, no scan: only "plans" (loaded, not the cited stubs) needs the
            # plan table, which resolution keeps anyway.
            loaded = sum(1 for p in self._rows_per_graph(lookups.PLAN_REFS) if not p["stub"])
            return {
                "plans": loaded,
                "tasks": stamp.counts.get(gm.TASK, 0),
                "agencies": stamp.counts.get(gm.AGENCY, 0),
                "links": stamp.counts.get(gm.ALIGNS_WITH, 0),
            }
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
            # Reading the stamp is the reachability probe (one round trip on Neo4j).
            stamp = self.stamp() if self.stamp_changes else self._seen_stamp
            version = {"version": stamp.version} if stamp else {}
            return {"store": self.kind, "reachable": True, **self.counts(), **version}
        except StoreError as error:
            return {"store": self.kind, "reachable": False, "reason": str(error)}
