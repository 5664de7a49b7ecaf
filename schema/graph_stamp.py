"""The graph's stamp: which graph is live, and how big it is, written together with the graph.

`plangraph build` writes a stamp into the embedded database and `load-neo4j` writes one into
Neo4j in the same transaction that makes the new graph live. A fresh `version` per build or
load lets

- a load that lost its connection find out whether its swap committed (is the live stamp its
  own?), and
- the API memoise answers per graph and hand out ETags that change exactly when the graph does;

the counts let /health answer without scanning the graph.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from schema import graph_model as gm

if TYPE_CHECKING:  # networkx costs a server ~11 MB and 0.1 s; only builders need it
    import networkx as nx

STAMP_LABEL = gm.STAMP_LABEL


def graph_counts_of(graph: nx.MultiDiGraph) -> dict[str, int]:
    """Nodes per label and relationships per type, every label and type of the model present."""
    counts = dict.fromkeys((*gm.LABELS, *gm.REL_TYPES), 0)
    for _, attrs in graph.nodes(data=True):
        counts[attrs["label"]] += 1
    for *_, attrs in graph.edges(data=True):
        counts[attrs["type"]] += 1
    return counts


@dataclass(frozen=True)
class GraphStamp:
    version: str  # a fresh uuid4 hex per build or load
    created_at: str  # ISO 8601, UTC
    counts: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, graph: nx.MultiDiGraph) -> GraphStamp:
        """A new stamp for `graph`: a version nobody has used and its counts."""
        return cls(
            version=uuid.uuid4().hex,
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            counts=graph_counts_of(graph),
        )

    @property
    def nodes(self) -> int:
        return sum(self.counts.get(label, 0) for label in gm.LABELS)

    @property
    def relationships(self) -> int:
        return sum(self.counts.get(rel, 0) for rel in gm.REL_TYPES)

    def counts_json(self) -> str:
        return json.dumps(self.counts, sort_keys=True)

    @classmethod
    def from_parts(cls, version: Any, created_at: Any, counts_json: Any) -> GraphStamp:
        """The stamp as stored (counts as JSON text); ValueError naming what is wrong."""
        if not isinstance(version, str) or not version:
            raise ValueError(f"graph stamp: version is {version!r}, not a non-empty string")
        try:
            counts = json.loads(counts_json) if counts_json else {}
        except (TypeError, ValueError):
            raise ValueError("graph stamp: counts are not JSON") from None
        if not isinstance(counts, dict) or not all(
            isinstance(k, str) and isinstance(v, int) for k, v in counts.items()
        ):
            raise ValueError("graph stamp: counts are not a map of names to integers")
        return cls(version=version, created_at=str(created_at or ""), counts=counts)
