"""The default store: the networkx graph in memory, queried by the views' Python twins.

Open it on a built graph (`EmbeddedStore(result.graph)`; building is the caller's job, since
queries must not import ingest) or on a snapshot (`EmbeddedStore.from_snapshot(path)`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx

from queries.embedded_views import VIEWS, GraphIndex
from queries.errors import UnknownView
from queries.registry import ViewSpec
from queries.store import BaseStore, rank_names
from schema import graph_model as gm


class EmbeddedStore(BaseStore):
    kind = "embedded"

    def __init__(self, graph: nx.MultiDiGraph):
        self.graph = graph
        self.index = GraphIndex(graph)

    @classmethod
    def from_snapshot(cls, path: str | Path) -> EmbeddedStore:
        return cls(gm.load_snapshot(path))

    def _execute(self, spec: ViewSpec, params: dict[str, Any]) -> list[dict[str, Any]]:
        twin = VIEWS.get(spec.name)
        if twin is None:  # the registry test keeps this from happening
            raise UnknownView(spec.name)
        return twin(self.index, params)

    def _plan_refs(self) -> list[dict[str, Any]]:
        return [self.index.nodes[p] for p in self.index.by_label[gm.PLAN]]

    def counts(self) -> dict[str, int]:
        plans = self.index.by_label[gm.PLAN]
        return {
            "plans": sum(1 for p in plans if not self.index.nodes[p].get("stub")),
            "tasks": len(self.index.by_label[gm.TASK]),
            "agencies": len(self.index.by_label[gm.AGENCY]),
            "links": sum(1 for *_, key in self.graph.edges(keys=True) if key == gm.ALIGNS_WITH),
        }

    def node(self, node_id: str) -> dict[str, Any] | None:
        attrs = self.index.nodes.get(node_id)
        return dict(attrs) if attrs is not None else None

    def search_names(self, q: str, limit: int = 10) -> list[dict[str, Any]]:
        q = q.strip()
        if not q:
            return []
        rows = [
            {"id": node_id, "label": attrs["label"], "name": attrs["name"]}
            for node_id, attrs in self.index.nodes.items()
            if attrs["label"] != gm.INDICATOR and q in attrs["name"]
        ]
        return rank_names(rows, limit)
