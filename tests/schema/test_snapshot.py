"""A damaged JSON snapshot is refused with one message naming what is wrong and where.

`load_snapshot` backs ``plangraph export --from x.json`` and ``plangraph load-neo4j --from
x.json``: each damage below must become a SnapshotError (one line, never a KeyError, TypeError
or RecursionError), and the CLI must print it as one stderr line and exit 2.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import networkx as nx
import pytest

from schema import graph_model as gm
from tests.conftest import plangraph


def small_graph() -> nx.MultiDiGraph:
    graph: nx.MultiDiGraph = nx.MultiDiGraph(plans=1)
    nodes: list[tuple[str, str, dict[str, Any]]] = [
        ("p", gm.PLAN, {"title": "规划", "period_start": 2021, "stub": False}),
        ("g", gm.GOAL, {"plan_id": "p", "order": 1}),
        ("i", gm.INDICATOR, {"plan_id": "p", "value": 1.5, "hedged": True}),
        ("t", gm.TASK, {"plan_id": "p", "agencies": ["市发展改革委", "市经济信息化委"]}),
        ("a", gm.ACTION, {"plan_id": "p", "order": 1}),
        ("ag", gm.AGENCY, {"aliases": []}),
    ]
    for node_id, label, attrs in nodes:
        graph.add_node(node_id, id=node_id, name=f"{label} {node_id}", label=label, **attrs)
    for source, key, target, attrs in [
        ("p", gm.HAS_GOAL, "g", {}),
        ("g", gm.HAS_INDICATOR, "i", {}),
        ("p", gm.HAS_ACTION, "a", {}),
        ("a", gm.HAS_TASK, "t", {}),
        ("ag", gm.RESPONSIBLE_FOR, "t", {"role": "lead", "order": 1}),
    ]:
        graph.add_edge(source, target, key=key, type=key, **attrs)
    return graph


def base() -> dict[str, Any]:
    return gm.snapshot_data(small_graph())


def node(data: dict[str, Any], node_id: str) -> dict[str, Any]:
    return next(n for n in data["nodes"] if n["id"] == node_id)


def edge(data: dict[str, Any], key: str) -> dict[str, Any]:
    return next(e for e in data["edges"] if e["key"] == key)


def mutated(change: Callable[[dict[str, Any]], object]) -> bytes:
    data = copy.deepcopy(base())
    change(data)
    return json.dumps(data, ensure_ascii=False).encode()


def _deep(levels: int) -> Callable[[dict[str, Any]], object]:
    value: Any = "x"
    for _ in range(levels):
        value = {"v": value}
    return lambda d: node(d, "g").update(deep=value)


VALID = json.dumps(base(), ensure_ascii=False).encode()

# (case id, file bytes, a piece of the message, where it is)
DAMAGES: list[tuple[str, bytes, str]] = [
    # the file itself
    ("empty file", b"", "empty file"),
    ("blank file", b"  \n", "empty file"),
    ("truncated json", VALID[: len(VALID) // 2], "not valid JSON (truncated?)"),
    ("bad json", b'{"format": plangraph}', "not valid JSON: Expecting value at line 1 column 12"),
    ("not utf-8", "{}".encode("utf-16"), "not UTF-8 text (bad byte at offset 0)"),
    ("absurd nesting", b"[" * 200_000 + b"]" * 200_000, "nested too deeply"),
    ("huge integer", b'{"version": ' + b"9" * 5000 + b"}", "not a snapshot: Exceeds the limit"),
    # the top level
    ("not an object", b"[1, 2]", "its top level is a list"),
    ("a string", b'"nodes"', "its top level is a text"),
    ("no format marker", mutated(lambda d: d.pop("format")), "missing format marker"),
    ("wrong format", mutated(lambda d: d.update(format="gexf")), "format 'gexf' is not"),
    ("wrong version", mutated(lambda d: d.update(version=2)), "snapshot version 2 is not 1"),
    ("version true", mutated(lambda d: d.update(version=True)), "snapshot version True"),
    ("no nodes", mutated(lambda d: d.pop("nodes")), "no 'nodes' list"),
    ("no edges", mutated(lambda d: d.pop("edges")), "no 'edges' list"),
    ("nodes not a list", mutated(lambda d: d.update(nodes={})), "'nodes' is an object, not a list"),
    ("edges not a list", mutated(lambda d: d.update(edges="x")), "'edges' is a text, not a list"),
    ("graph not an object", mutated(lambda d: d.update(graph=[1])), "'graph' is a list"),
    # nodes
    ("node not an object", mutated(lambda d: d["nodes"].insert(0, 7)), "node 0 is a number"),
    ("node without id", mutated(lambda d: d["nodes"][1].pop("id")), "node 1 has no id"),
    ("node id a number", mutated(lambda d: d["nodes"][1].update(id=5)), "node 1 id 5 is not"),
    ("node without label", mutated(lambda d: node(d, "g").pop("label")), "(id 'g') has no 'label'"),
    ("node without name", mutated(lambda d: node(d, "g").pop("name")), "(id 'g') has no 'name'"),
    (
        "node name a list",
        mutated(lambda d: node(d, "g").update(name=["x"])),
        "(id 'g') has name a list, not a text",
    ),
    (
        "unknown label",
        mutated(lambda d: node(d, "g").update(label="Person")),
        "(id 'g') has label 'Person', not one of Plan, Goal",
    ),
    (
        "repeated node id",
        mutated(lambda d: d["nodes"].append(dict(node(d, "g")))),
        "node 6 (id 'g') repeats an id",
    ),
    # edges
    ("edge not an object", mutated(lambda d: d["edges"].append(None)), "edge 5 is null"),
    ("edge without source", mutated(lambda d: d["edges"][0].pop("source")), "has no 'source'"),
    ("edge without target", mutated(lambda d: d["edges"][0].pop("target")), "has no 'target'"),
    ("edge without key", mutated(lambda d: d["edges"][0].pop("key")), "edge 0 has no 'key'"),
    (
        "unknown relationship type",
        mutated(lambda d: edge(d, gm.HAS_GOAL).update(key="LIKES")),
        "has relationship type 'LIKES', not one of IMPLEMENTS",
    ),
    (
        "dangling target",
        mutated(lambda d: edge(d, gm.HAS_GOAL).update(target="ghost")),
        "('p' -HAS_GOAL-> 'ghost'): its target is no node",
    ),
    (
        "dangling source",
        mutated(lambda d: edge(d, gm.HAS_GOAL).update(source="ghost")),
        "its source is no node",
    ),
    (
        "end not a string",
        mutated(lambda d: edge(d, gm.HAS_GOAL).update(target=["g"])),
        "its target is no node",
    ),
    (
        "type differs from key",
        mutated(lambda d: edge(d, gm.HAS_GOAL).update(type="HAS_TASK")),
        "its type 'HAS_TASK' is not its key",
    ),
    (
        "triple not in the model",
        mutated(lambda d: edge(d, gm.HAS_GOAL).update(target="i")),
        "('p' -HAS_GOAL-> 'i'): Plan -HAS_GOAL-> Indicator is not a relationship of the model",
    ),
    (
        "repeated edge",
        mutated(lambda d: d["edges"].append(dict(edge(d, gm.HAS_GOAL)))),
        "edge 5 ('p' -HAS_GOAL-> 'g') repeats an earlier edge",
    ),
    # property values
    (
        "nested object",
        mutated(lambda d: node(d, "g").update(meta={"a": 1})),
        "(id 'g'): property 'meta' is an object, not a text",
    ),
    ("null value", mutated(lambda d: node(d, "g").update(order=None)), "'order' is null"),
    (
        "list of lists",
        mutated(lambda d: node(d, "t").update(agencies=[["x"]])),
        "'agencies' is a list holding a list: nested",
    ),
    (
        "list of objects",
        mutated(lambda d: node(d, "t").update(agencies=[{}])),
        "'agencies' is a list holding an object",
    ),
    (
        "mixed list",
        mutated(lambda d: node(d, "t").update(agencies=["x", 1])),
        "'agencies' is a list mixing int, str",
    ),
    (
        "list holding null",
        mutated(lambda d: node(d, "t").update(agencies=["x", None])),
        "'agencies' is a list holding a value that is null",
    ),
    (
        "integer beyond 64 bits",
        mutated(lambda d: node(d, "g").update(order=2**70)),
        "'order' is an integer beyond 64 bits",
    ),
    ("deep nesting", mutated(_deep(500)), "(id 'g'): property 'deep' is an object"),
    (
        "edge property object",
        mutated(lambda d: edge(d, gm.RESPONSIBLE_FOR).update(role={"x": 1})),
        "('ag' -RESPONSIBLE_FOR-> 't'): property 'role' is an object",
    ),
    (
        "graph attribute object",
        mutated(lambda d: d["graph"].update(plans={"n": 1})),
        "graph attributes: property 'plans' is an object",
    ),
]


@pytest.mark.parametrize(("data", "message"), [c[1:] for c in DAMAGES], ids=[c[0] for c in DAMAGES])
def test_a_damaged_snapshot_is_refused_naming_the_damage(tmp_path, data, message):
    path = tmp_path / "damaged.json"
    path.write_bytes(data)
    with pytest.raises(gm.SnapshotError) as error:
        gm.load_snapshot(path)
    text = str(error.value)
    assert text.startswith(f"{path}: ")
    assert message in text, text
    assert "\n" not in text and len(text) < 400
    assert error.value.__cause__ is None  # no chained JSON or KeyError traceback


def test_the_data_check_works_without_a_file():
    with pytest.raises(gm.SnapshotError, match=r"^node 0 has no id$"):
        gm.graph_from_snapshot_data({**base(), "nodes": [{"label": gm.PLAN, "name": "x"}]})
    with pytest.raises(gm.SnapshotError, match="its top level is null"):
        gm.graph_from_snapshot_data(None)


def test_a_saved_snapshot_loads_back_exactly(tmp_path):
    graph = small_graph()
    path = gm.save_snapshot(graph, tmp_path / "g.json")
    loaded = gm.load_snapshot(path)
    assert gm.snapshot_data(loaded) == gm.snapshot_data(graph)
    assert loaded.graph == {"plans": 1}


def test_attribute_names_that_are_networkx_keywords_load(tmp_path):
    data = base()
    data["graph"]["incoming_graph_data"] = "x"
    node(data, "g")["node_for_adding"] = "x"
    edge(data, gm.HAS_GOAL)["u_for_edge"] = "x"
    loaded = gm.graph_from_snapshot_data(data)
    assert loaded.graph["incoming_graph_data"] == "x"
    assert loaded.nodes["g"]["node_for_adding"] == "x"
    assert loaded.edges["p", "g", gm.HAS_GOAL]["u_for_edge"] == "x"


def test_every_relationship_of_the_model_loads():
    graph: nx.MultiDiGraph = nx.MultiDiGraph()
    for label in gm.LABELS:
        graph.add_node(label, id=label, name=label, label=label)
    for start, key, end in gm.RELATIONSHIPS:
        if start != end:
            graph.add_edge(start, end, key=key, type=key)
    loaded = gm.graph_from_snapshot_data(gm.snapshot_data(graph))
    assert loaded.number_of_edges() == graph.number_of_edges()


def test_a_file_too_large_is_refused_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "big.json"
    path.write_bytes(VALID)
    monkeypatch.setattr(gm, "MAX_SNAPSHOT_BYTES", 100)
    with pytest.raises(gm.SnapshotError, match="too large for a snapshot"):
        gm.load_snapshot(path)


# --- the CLI: one line on stderr, exit 2 --------------------------------------------------


# One damage of each family: the file, the top level, a node, an edge, a property value.
CLI_CASES = [
    "truncated json",
    "empty file",
    "absurd nesting",
    "not an object",
    "wrong version",
    "unknown label",
    "dangling target",
    "triple not in the model",
    "nested object",
    "deep nesting",
]


@pytest.mark.parametrize("case", CLI_CASES)
def test_export_from_a_damaged_snapshot_fails_in_one_line(tmp_path, case):
    data, message = next(c[1:] for c in DAMAGES if c[0] == case)
    path = tmp_path / "damaged.json"
    path.write_bytes(data)
    out = tmp_path / "out"
    result = plangraph("export", "--format", "graphml", "--out", str(out), "--from", str(path))
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(path) in lines[0] and message in lines[0]
    assert "Traceback" not in result.stderr
    assert not list(out.glob("*")) if out.exists() else True


def test_export_from_a_missing_snapshot_fails_in_one_line(tmp_path):
    path = tmp_path / "missing.json"
    result = plangraph("export", "--format", "graphml", "--out", str(tmp_path), "--from", str(path))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and str(path) in result.stderr
