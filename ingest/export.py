"""Write the graph for other tools: GraphML (Gephi), node-link JSON, Neo4j bulk-import CSV.

    paths = export(graph, "neo4j-csv", Path("out/"))

* ``graphml`` → ``plangraph.graphml``. Gephi shows the ``label`` attribute as a node's
  caption, so there ``label`` is the node's name and the graph label moves to
  ``graph_label``; list values are joined with "；" (GraphML has no list type).
* ``json`` → ``plangraph.json``, the snapshot format (schema/graph_model.py), which the
  embedded store loads.
* ``neo4j-csv`` → one ``<Label>.nodes.csv`` per label and one
  ``<TYPE>.<Start>.<End>.rels.csv`` per relationship kind, with typed headers
  (``id:ID(Task)``, ``:LABEL``, ``number:long``, ``aliases:string[]``, ``:START_ID(Agency)``,
  ``:END_ID(Task)``, ``:TYPE``), plus ``import.args``: the arguments of
  ``neo4j-admin database import full`` for these files (see `neo4j_admin_import_args`).
  Each label has its own id space. Texts hold line breaks, so the import needs
  ``--multiline-fields=true``; arrays use ";" as the delimiter, so a ";" inside a list item
  is written as the full-width "；".
"""

from __future__ import annotations

import csv
import os
import shutil
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import networkx as nx

from schema import graph_model as gm

FORMATS = ("graphml", "json", "neo4j-csv")
ARRAY_DELIMITER = ";"
LIST_JOIN = "；"

_CSV_TYPES = {"string": "string", "int": "long", "double": "double", "boolean": "boolean"}


class ExportError(ValueError):
    pass


def export(graph: nx.MultiDiGraph, format: str, out_dir: str | Path) -> list[Path]:
    """Write `graph` in `format` (graphml | json | neo4j-csv) into out_dir; the files written.

    The files are written into a temporary folder inside out_dir and renamed into place once
    all are complete: a failure half-way leaves out_dir as it was."""
    if format not in FORMATS:
        raise ExportError(f"unknown export format {format!r}; choose one of {', '.join(FORMATS)}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".plangraph-export-", dir=out))
    try:
        if format == "graphml":
            staged = [write_graphml(graph, staging / "plangraph.graphml")]
        elif format == "json":
            staged = [gm.save_snapshot(graph, staging / "plangraph.json")]
        else:
            staged = write_neo4j_csv(graph, staging, final=out)
        written = []
        for path in staged:
            target = out / path.name
            os.replace(path, target)
            written.append(target)
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)


# -- GraphML ------------------------------------------------------------------------------------


def _scalar(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return LIST_JOIN.join(str(v) for v in value)
    return value


def write_graphml(graph: nx.MultiDiGraph, path: Path) -> Path:
    flat: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for node_id in sorted(graph.nodes):
        attrs = graph.nodes[node_id]
        props = {k: _scalar(v) for k, v in attrs.items() if k != "label"}
        flat.add_node(node_id, **props, graph_label=attrs["label"], label=attrs["name"])
    for source, target, key, attrs in sorted(
        graph.edges(keys=True, data=True), key=lambda e: (e[0], e[2], e[1])
    ):
        flat.add_edge(source, target, key=key, **{k: _scalar(v) for k, v in attrs.items()})
    nx.write_graphml(flat, path, encoding="utf-8")
    return path


# -- Neo4j bulk import CSV -------------------------------------------------------------------------


def _column_type(values: list[Any], declared: str | None) -> str:
    if declared:
        base = declared.removesuffix("[]")
        return _CSV_TYPES.get(base, "string") + ("[]" if declared.endswith("[]") else "")
    sample = next((v for v in values if v is not None), "")
    if isinstance(sample, list):
        inner = next((x for x in sample), "")
        return _python_type(inner) + "[]"
    return _python_type(sample)


def _python_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    return "string"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ARRAY_DELIMITER.join(_cell(v).replace(ARRAY_DELIMITER, LIST_JOIN) for v in value)
    return str(value)


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_neo4j_csv(graph: nx.MultiDiGraph, out: Path, final: Path | None = None) -> list[Path]:
    """The CSV set in `out`; import.args names the files as they will be in `final` (default
    `out`), where export() moves them."""
    written: list[Path] = []
    node_files: list[Path] = []
    rel_files: list[Path] = []

    by_label: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for node_id in sorted(graph.nodes):
        attrs = graph.nodes[node_id]
        by_label[attrs["label"]].append(attrs)
    for label, nodes in sorted(by_label.items()):
        declared = gm.NODE_PROPERTIES.get(label, {})
        keys = sorted({k for n in nodes for k in n} - {"id", "label", "name"})
        header = [f"id:ID({label})", ":LABEL", "name"]
        header += [f"{k}:{_column_type([n.get(k) for n in nodes], declared.get(k))}" for k in keys]
        rows = [
            [n["id"], label, _cell(n.get("name"))] + [_cell(n.get(k)) for k in keys] for n in nodes
        ]
        node_files.append(_write_csv(out / f"{label}.nodes.csv", header, rows))

    by_kind: dict[tuple[str, str, str], list[tuple[str, str, dict[str, Any]]]] = defaultdict(list)
    for source, target, attrs in graph.edges(data=True):
        kind = (attrs["type"], graph.nodes[source]["label"], graph.nodes[target]["label"])
        by_kind[kind].append((source, target, attrs))
    for (rel, start, end), edges in sorted(by_kind.items()):
        edges.sort(key=lambda e: (e[0], e[1]))
        declared = gm.REL_PROPERTIES.get(rel, {})
        keys = sorted({k for *_, a in edges for k in a} - {"type"})
        header = [f":START_ID({start})", f":END_ID({end})", ":TYPE"]
        header += [
            f"{k}:{_column_type([a.get(k) for *_, a in edges], declared.get(k))}" for k in keys
        ]
        rows = [[s, t, rel] + [_cell(a.get(k)) for k in keys] for s, t, a in edges]
        rel_files.append(_write_csv(out / f"{rel}.{start}.{end}.rels.csv", header, rows))

    written = node_files + rel_files
    args_file = out / "import.args"
    args = neo4j_admin_import_args(out, where=final)
    args_file.write_text("\n".join(args) + "\n", encoding="utf-8")
    return [*written, args_file]


def neo4j_admin_import_args(
    out: Path, database: str = "neo4j", where: Path | None = None
) -> list[str]:
    """`neo4j-admin` arguments that import the CSV set in `out` into an empty `database`
    (naming the files in `where` when they are to be moved there)."""
    out = Path(out)
    folder = Path(where or out).resolve()
    args = ["database", "import", "full"]
    args += [f"--nodes={folder / p.name}" for p in sorted(out.glob("*.nodes.csv"))]
    args += [f"--relationships={folder / p.name}" for p in sorted(out.glob("*.rels.csv"))]
    args += [
        "--multiline-fields=true",
        f"--array-delimiter={ARRAY_DELIMITER}",
        "--overwrite-destination=true",
        database,
    ]
    return args
