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
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # networkx costs a server ~11 MB and 0.1 s; only builders need it
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

# Neo4j only: a task also carries a label by its plan's level, so Neo4j Browser can draw city
# and district tasks in two colours. LadybugDB has one label per node; views never use these.
TASK_LEVEL_LABELS: dict[str, str] = {
    "national": "NationalTask",
    "province": "ProvinceTask",
    "city": "CityTask",
    "district": "DistrictTask",
    "town": "TownTask",
}
# Neo4j only: the one node that says which graph is live (schema/graph_stamp.py). It has none
# of the model's labels, so no view sees it.
STAMP_LABEL = "_GraphStamp"

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


def graph_from_snapshot_data(data: Any) -> nx.MultiDiGraph:
    """The graph of node-link snapshot data, checked first: a SnapshotError names what is wrong
    and where (node index and id, edge index and ends) instead of a KeyError deep inside."""
    if not isinstance(data, dict):
        raise SnapshotError(f"not a plangraph snapshot: its top level is {_kind(data)}")
    if data.get("format") != SNAPSHOT_FORMAT:
        found = data.get("format")
        raise SnapshotError(
            "not a plangraph snapshot (missing format marker)"
            if found is None
            else f"not a plangraph snapshot: format {_short(found)} is not {SNAPSHOT_FORMAT!r}"
        )
    version = data.get("version")
    if version != SNAPSHOT_VERSION or isinstance(version, bool):
        raise SnapshotError(
            f"snapshot version {_short(version)} is not {SNAPSHOT_VERSION}; rebuild it"
        )
    graph_attrs = data.get("graph", {})
    if not isinstance(graph_attrs, dict):
        raise SnapshotError(f"'graph' is {_kind(graph_attrs)}, not an object")
    _check_properties(graph_attrs, "graph attributes")
    for part in ("nodes", "edges"):
        if part not in data:
            raise SnapshotError(f"no {part!r} list")
        if not isinstance(data[part], list):
            raise SnapshotError(f"{part!r} is {_kind(data[part])}, not a list")

    import networkx as nx

    graph: nx.MultiDiGraph = nx.MultiDiGraph()
    graph.graph.update(graph_attrs)  # update, not keywords: any attribute name is safe
    labels: dict[str, str] = {}
    for index, node in enumerate(data["nodes"]):
        where = f"node {index}"
        if not isinstance(node, dict):
            raise SnapshotError(f"{where} is {_kind(node)}, not an object")
        node_id = node.get("id")
        if not isinstance(node_id, str) or not node_id:
            problem = "has no id" if node_id is None else f"id {_short(node_id)} is not a text"
            raise SnapshotError(f"{where} {problem}")
        where = f"node {index} (id {_short(node_id)})"
        if node_id in labels:
            raise SnapshotError(f"{where} repeats an id already used by an earlier node")
        for required in ("label", "name"):
            if required not in node:
                raise SnapshotError(f"{where} has no {required!r}")
        label = node["label"]
        if label not in LABELS:
            raise SnapshotError(
                f"{where} has label {_short(label)}, not one of {', '.join(LABELS)}"
            )
        if not isinstance(node["name"], str):
            raise SnapshotError(f"{where} has name {_short(node['name'])}, not a text")
        _check_properties(node, where)
        labels[node_id] = label
        graph.add_node(node_id)
        graph.nodes[node_id].update(node)

    allowed = set(RELATIONSHIPS)
    for index, edge in enumerate(data["edges"]):
        where = f"edge {index}"
        if not isinstance(edge, dict):
            raise SnapshotError(f"{where} is {_kind(edge)}, not an object")
        for end in ("source", "target", "key"):
            if end not in edge:
                raise SnapshotError(f"{where} has no {end!r}")
        source, target, key = edge["source"], edge["target"], edge["key"]
        if key not in REL_TYPES:
            raise SnapshotError(
                f"{where} has relationship type {_short(key)}, not one of {', '.join(REL_TYPES)}"
            )
        where = f"edge {index} ({_short(source)} -{key}-> {_short(target)})"
        for end, node_id in (("source", source), ("target", target)):
            if not isinstance(node_id, str) or node_id not in labels:
                raise SnapshotError(f"{where}: its {end} is no node of the snapshot")
        if "type" in edge and edge["type"] != key:
            raise SnapshotError(f"{where}: its type {_short(edge['type'])} is not its key")
        triple = (labels[source], key, labels[target])
        if triple not in allowed:
            raise SnapshotError(
                f"{where}: {triple[0]} -{key}-> {triple[2]} is not a relationship of the model"
            )
        if graph.has_edge(source, target, key=key):
            raise SnapshotError(f"{where} repeats an earlier edge")
        attrs = {k: v for k, v in edge.items() if k not in ("source", "target", "key")}
        _check_properties(attrs, where)
        graph.add_edge(source, target, key=key)
        graph.edges[source, target, key].update(attrs)
    return graph


# Neo4j's integers are 64-bit.
_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1
_SCALARS = (str, int, float, bool)


def _check_properties(attrs: dict[str, Any], where: str) -> None:
    """Every value Neo4j-storable: str, int, float, bool or a homogeneous list of those. A list
    inside a list (or an object anywhere) is refused at once, never walked into."""
    for name, value in attrs.items():
        problem = _property_problem(value)
        if problem:
            raise SnapshotError(f"{where}: property {_short(name)} {problem}")


def _property_problem(value: Any) -> str | None:
    if isinstance(value, list):
        kinds = {type(item) for item in value}
        for item in value:
            if isinstance(item, (list, dict)):
                return f"is a list holding {_kind(item)}: nested values are not storable"
            problem = _scalar_problem(item)
            if problem:
                return f"is a list holding a value that {problem}"
        if len(kinds) > 1:
            names = ", ".join(sorted(kind.__name__ for kind in kinds))
            return f"is a list mixing {names}: a list must hold one type"
        return None
    return _scalar_problem(value)


def _scalar_problem(value: Any) -> str | None:
    if value is None:
        return "is null (a missing value is left out)"
    if not isinstance(value, _SCALARS):
        return f"is {_kind(value)}, not a text, number, boolean or list of one of those"
    if type(value) is int and not _INT_MIN <= value <= _INT_MAX:
        return "is an integer beyond 64 bits"
    return None


def _kind(value: Any) -> str:
    return {
        dict: "an object",
        list: "a list",
        str: "a text",
        int: "a number",
        float: "a number",
        bool: "a boolean",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def _short(value: Any) -> str:
    """A value quoted for a message, never more than a line's worth."""
    if isinstance(value, (dict, list)):
        return _kind(value)
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def save_snapshot(graph: nx.MultiDiGraph, path: str | Path) -> Path:
    """Write the graph as a node-link JSON snapshot (UTF-8, Chinese kept readable)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(snapshot_data(graph), ensure_ascii=False, separators=(",", ":"))
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)  # a reader never sees a half-written snapshot
    return path


# A snapshot of every plan of a city is a few MB; a file beyond this is no snapshot.
MAX_SNAPSHOT_BYTES = 1 << 30


def load_snapshot(path: str | Path) -> nx.MultiDiGraph:
    """The graph saved at `path`; SnapshotError (one line, starting with the path) if the file
    is empty, too large, not UTF-8 JSON, or not a snapshot this version reads (see
    `graph_from_snapshot_data`). OSError passes through."""
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_SNAPSHOT_BYTES:
        raise SnapshotError(f"{path}: {size} bytes is too large for a snapshot, refused")
    raw = path.read_bytes()
    if not raw.strip():
        raise SnapshotError(f"{path}: empty file, not a snapshot")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SnapshotError(
            f"{path}: not UTF-8 text (bad byte at offset {exc.start}), not a snapshot"
        ) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        truncated = " (truncated?)" if exc.pos >= len(text.rstrip()) else ""
        raise SnapshotError(
            f"{path}: not valid JSON{truncated}: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    except RecursionError:
        raise SnapshotError(f"{path}: JSON nested too deeply to be a snapshot, refused") from None
    except ValueError as exc:  # an integer of thousands of digits, say
        raise SnapshotError(f"{path}: not a snapshot: {exc}") from None
    try:
        return graph_from_snapshot_data(data)
    except SnapshotError as exc:
        raise SnapshotError(f"{path}: {exc}") from None
