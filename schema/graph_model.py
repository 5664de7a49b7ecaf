"""The property graph in one place: labels, relationship types, and the snapshot file.

Both stores and every exporter read these names from here, so a label or relationship type
is spelt once. The snapshot I/O lives here too (not in ingest/) because the API must load a
snapshot without importing the ingest pipeline, and `queries` may import `schema` only.

Graph conventions (the networkx MultiDiGraph the builder produces):

* node key == node attribute ``id``; every node has ``id``, ``name`` and ``label``;
* edge key == the relationship type, also stored as edge attribute ``type`` — at most one
  relationship of a type between two nodes, exactly what ``MERGE`` gives in Neo4j;
* attribute values are Neo4j-storable: str, int, float, bool or a homogeneous list of those;
  a missing value is absent, never ``None`` (Neo4j cannot store null properties).
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import networkx as nx

PLAN = "Plan"
GOAL = "Goal"
INDICATOR = "Indicator"
ACTION = "Action"
TASK = "Task"
MEASURE = "Measure"
AGENCY = "Agency"
REGION = "Region"
INDUSTRY = "Industry"

LABELS: tuple[str, ...] = (PLAN, GOAL, INDICATOR, ACTION, TASK, MEASURE, AGENCY, REGION, INDUSTRY)

IMPLEMENTS = "IMPLEMENTS"
HAS_GOAL = "HAS_GOAL"
HAS_ACTION = "HAS_ACTION"
HAS_TASK = "HAS_TASK"
HAS_MEASURE = "HAS_MEASURE"
HAS_INDICATOR = "HAS_INDICATOR"
RESPONSIBLE_FOR = "RESPONSIBLE_FOR"
MEMBER_OF = "MEMBER_OF"
COUNTERPART_OF = "COUNTERPART_OF"
GOVERNS = "GOVERNS"
PART_OF = "PART_OF"
MENTIONS = "MENTIONS"
TARGETS = "TARGETS"
ALIGNS_WITH = "ALIGNS_WITH"
CASCADES_TO = "CASCADES_TO"

REL_TYPES: tuple[str, ...] = (
    IMPLEMENTS,
    HAS_GOAL,
    HAS_ACTION,
    HAS_TASK,
    HAS_MEASURE,
    HAS_INDICATOR,
    RESPONSIBLE_FOR,
    MEMBER_OF,
    COUNTERPART_OF,
    GOVERNS,
    PART_OF,
    MENTIONS,
    TARGETS,
    ALIGNS_WITH,
    CASCADES_TO,
)

# (start label, type, end label) triples the builder may emit; exporters and tests use it.
RELATIONSHIPS: tuple[tuple[str, str, str], ...] = (
    (PLAN, IMPLEMENTS, PLAN),
    (PLAN, HAS_GOAL, GOAL),
    (PLAN, HAS_ACTION, ACTION),
    (ACTION, HAS_TASK, TASK),
    (PLAN, HAS_MEASURE, MEASURE),
    (PLAN, HAS_INDICATOR, INDICATOR),
    (GOAL, HAS_INDICATOR, INDICATOR),
    (TASK, HAS_INDICATOR, INDICATOR),
    (MEASURE, HAS_INDICATOR, INDICATOR),
    (AGENCY, RESPONSIBLE_FOR, TASK),
    (AGENCY, RESPONSIBLE_FOR, MEASURE),
    (AGENCY, MEMBER_OF, AGENCY),
    (AGENCY, COUNTERPART_OF, AGENCY),
    (AGENCY, GOVERNS, REGION),
    (REGION, PART_OF, REGION),
    (TASK, MENTIONS, REGION),
    (MEASURE, MENTIONS, REGION),
    (TASK, TARGETS, INDUSTRY),
    (MEASURE, TARGETS, INDUSTRY),
    (INDUSTRY, PART_OF, INDUSTRY),
    (TASK, ALIGNS_WITH, TASK),
    (GOAL, ALIGNS_WITH, GOAL),
    (ACTION, ALIGNS_WITH, ACTION),
    (MEASURE, ALIGNS_WITH, MEASURE),
    (INDICATOR, CASCADES_TO, INDICATOR),
)

# Properties each label may carry besides id/name/label (documentation and export typing).
NODE_PROPERTIES: dict[str, dict[str, str]] = {
    PLAN: {
        "title": "string",
        "caption": "string",
        "doc_number": "string",
        "doc_key": "string",
        "issuer": "string",
        "level": "string",
        "region": "string",
        "issued_on": "string",
        "period": "string",
        "period_start": "int",
        "period_end": "int",
        "stub": "boolean",
        "source_file": "string",
        "encoding": "string",
        "overview": "string",
    },
    GOAL: {"plan_id": "string", "order": "int", "title": "string", "text": "string"},
    INDICATOR: {
        "plan_id": "string",
        "scope": "string",
        "scope_ref": "int",
        "position": "int",
        "metric": "string",
        "comparator": "string",
        "value": "double",
        "unit": "string",
        "period": "string",
        "hedged": "boolean",
        "raw": "string",
        "value_max": "double",  # a range's upper bound (2-3家)
        "year": "int",  # the year by which it holds
        "subject": "string",  # the place or body it belongs to, when not the plan's own
    },
    ACTION: {"plan_id": "string", "order": "int", "title": "string"},
    TASK: {
        "plan_id": "string",
        "action_order": "int",
        "number": "int",
        "title": "string",
        "text": "string",
        "agencies": "string[]",
        "line_start": "int",
        "line_end": "int",
    },
    MEASURE: {
        "plan_id": "string",
        "order": "int",
        "title": "string",
        "text": "string",
        "agencies": "string[]",
    },
    AGENCY: {
        "full_name": "string",
        "level": "string",
        "kind": "string",
        "region": "string",
        "aliases": "string[]",
        "government": "string",  # a division code, CN for national bodies
        "function": "string",  # the same key at every level; counterparts share it
    },
    REGION: {"kind": "string"},
    INDUSTRY: {"tier": "string", "groupings": "string[]"},
}

REL_PROPERTIES: dict[str, dict[str, str]] = {
    RESPONSIBLE_FOR: {"role": "string", "order": "int", "via": "string"},
    ALIGNS_WITH: {
        "score": "double",
        "evidence": "string[]",
        "method": "string",
        "status": "string",
    },
    CASCADES_TO: {
        "ratio": "double",
        "relation": "string",
        "annualised_ratio": "double",
        "metric_match": "string",  # exact, qualified, synonym or similar
    },
    # The groupings the targeted industry counts in for this item's plan (a district's own
    # cluster list only for that district's plans).
    TARGETS: {"groupings": "string[]"},
}


_DOC_KEY = re.compile(
    r"^(?P<prefix>.+?)[〔\[［(（【〖](?P<year>\d{4})[〕\]］)）】〗]第?(?P<seq>\d+)号?$"
)


def compact(text: str) -> str:
    """NFKC (full-width digits and brackets to ASCII) and no whitespace at all."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def split_doc_number(doc_number: str) -> tuple[str, str, str] | None:
    """(issuer prefix, year, sequence) of ``沪松府〔2023〕138 号``; None if it has another shape."""
    match = _DOC_KEY.match(compact(doc_number))
    return (match["prefix"], match["year"], str(int(match["seq"]))) if match else None


def doc_key(doc_number: str) -> str:
    """A document number reduced to one comparable form, stored as ``Plan.doc_key``.

    ``沪松府〔2023〕138 号``, ``沪松府〔2023〕138号``, ``沪松府[2023]第138号`` and
    ``沪松府〖2023〗0138号`` all give ``沪松府〔2023〕138号``. The project's one key for
    comparing document numbers: the builder, the stores' plan lookup, a child's citation of its
    parent and the analysts' alignment decisions all use it.
    """
    parts = split_doc_number(doc_number)
    if not parts:
        return compact(doc_number)
    prefix, year, seq = parts
    return f"{prefix}〔{year}〕{seq}号"


SNAPSHOT_FORMAT = "plangraph-snapshot"
SNAPSHOT_VERSION = 1


class SnapshotError(ValueError):
    """The file is not a plangraph snapshot this version can read."""


def snapshot_data(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """The graph as node-link data, sorted so the same graph gives the same bytes."""
    nodes = [dict(graph.nodes[node]) for node in sorted(graph.nodes)]
    edges = []
    for source, target, key, attrs in sorted(
        graph.edges(keys=True, data=True), key=lambda e: (e[0], e[2], e[1])
    ):
        edge = {"source": source, "target": target, "key": key}
        edge.update(attrs)
        edges.append(edge)
    return {
        "format": SNAPSHOT_FORMAT,
        "version": SNAPSHOT_VERSION,
        "directed": True,
        "multigraph": True,
        "graph": dict(graph.graph),
        "nodes": nodes,
        "edges": edges,
    }


def graph_from_snapshot_data(data: dict[str, Any]) -> nx.MultiDiGraph:
    if data.get("format") != SNAPSHOT_FORMAT:
        raise SnapshotError("not a plangraph snapshot (missing format marker)")
    if data.get("version") != SNAPSHOT_VERSION:
        raise SnapshotError(
            f"snapshot version {data.get('version')} is not {SNAPSHOT_VERSION}; rebuild it"
        )
    graph: nx.MultiDiGraph = nx.MultiDiGraph(**data.get("graph", {}))
    for node in data["nodes"]:
        graph.add_node(node["id"], **node)
    for edge in data["edges"]:
        attrs = {k: v for k, v in edge.items() if k not in ("source", "target", "key")}
        graph.add_edge(edge["source"], edge["target"], key=edge["key"], **attrs)
    return graph


def save_snapshot(graph: nx.MultiDiGraph, path: str | Path) -> Path:
    """Write the graph as a node-link JSON snapshot (UTF-8, Chinese kept readable)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(snapshot_data(graph), ensure_ascii=False, separators=(",", ":"))
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)  # a reader never sees a half-written snapshot
    return path


def load_snapshot(path: str | Path) -> nx.MultiDiGraph:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise SnapshotError(f"{path}: not valid JSON ({exc})") from exc
    try:
        return graph_from_snapshot_data(data)
    except SnapshotError as exc:
        raise SnapshotError(f"{path}: {exc}") from exc
