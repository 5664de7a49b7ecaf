"""Exports: GraphML for Gephi, node-link JSON, and a CSV set neo4j-admin really imports."""

from __future__ import annotations

import csv
import os
import socket
import subprocess
from collections import Counter

import networkx as nx
import pytest

from ingest.build import build_graph
from ingest.export import ExportError, export, neo4j_admin_import_args
from schema import graph_model as gm
from schema.graph_stamp import graph_counts_of
from tests.conftest import PLANS_DIR, unavailable


@pytest.fixture(scope="module")
def bundled():
    return build_graph([PLANS_DIR]).graph


def test_graphml_keeps_every_node_and_relationship(bundled, tmp_path):
    (path,) = export(bundled, "graphml", tmp_path)
    read = nx.read_graphml(path, force_multigraph=True)
    assert read.number_of_nodes() == bundled.number_of_nodes()
    assert read.number_of_edges() == bundled.number_of_edges()
    task = read.nodes["沪府办发-2023-8/task/7"]
    assert (
        task["graph_label"] == gm.TASK
        and task["label"] == bundled.nodes["沪府办发-2023-8/task/7"]["name"]
    )
    assert "；" in task["agencies"]  # lists become one string for Gephi


def test_json_export_is_a_loadable_snapshot(bundled, tmp_path):
    (path,) = export(bundled, "json", tmp_path)
    assert gm.snapshot_data(gm.load_snapshot(path)) == gm.snapshot_data(bundled)


def test_unknown_format_is_refused(bundled, tmp_path):
    with pytest.raises(ExportError, match="graphml"):
        export(bundled, "xlsx", tmp_path)


def test_csv_headers_are_typed_for_neo4j_admin(bundled, tmp_path):
    files = export(bundled, "neo4j-csv", tmp_path)
    names = {p.name for p in files}
    assert {f"{label}.nodes.csv" for label in gm.LABELS} <= names
    with (tmp_path / "Task.nodes.csv").open(encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert header[:3] == ["id:ID(Task)", ":LABEL", "name"]
    assert "number:long" in header and "agencies:string[]" in header
    with (tmp_path / "RESPONSIBLE_FOR.Agency.Task.rels.csv").open(encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert header[:3] == [":START_ID(Agency)", ":END_ID(Task)", ":TYPE"]
    assert "order:long" in header
    rows = 0
    for path in tmp_path.glob("*.rels.csv"):
        with path.open(encoding="utf-8") as handle:
            rows += sum(1 for _ in csv.reader(handle)) - 1
    assert rows == bundled.number_of_edges()
    args = (tmp_path / "import.args").read_text(encoding="utf-8").split()
    assert args == neo4j_admin_import_args(tmp_path)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.neo4j
@pytest.mark.slow
def test_neo4j_admin_imports_the_csv_set_with_the_same_counts(neo4j_settings, bundled, tmp_path):
    """Import into a throw-away server home that shares the assembled jars, start it on free
    ports with scripts/neo4j-local, and count what it holds."""
    from neo4j import GraphDatabase

    from plangraph import local_neo4j as neo4j_support

    lib = neo4j_support.neo4j_home() / "lib"
    if not (lib / ".provisioned").exists():
        unavailable(f"the local Neo4j is not assembled in {lib}")
    export(bundled, "neo4j-csv", tmp_path / "csv")
    home = tmp_path / "home"
    (home / "conf").mkdir(parents=True)
    (home / "lib").symlink_to(lib.resolve(), target_is_directory=True)
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}
    log = tmp_path / "import.log"
    with log.open("w") as out:
        done = subprocess.run(
            ["java", "-Xmx768m", "-cp", f"{home / 'lib'}/*", "org.neo4j.cli.AdminTool",
             *neo4j_admin_import_args(tmp_path / "csv")],
            env=env, cwd=tmp_path, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            timeout=600, check=False,
        )  # fmt: skip
    report = log.read_text(encoding="utf-8", errors="replace")
    assert done.returncode == 0, report[-3000:]
    assert f"{bundled.number_of_nodes()} nodes" in report

    password = "export-test-password"
    bolt = _free_port()
    server_env = {
        **os.environ,
        "PLANGRAPH_NEO4J_HOME": str(home),
        "PLANGRAPH_NEO4J_BOLT_PORT": str(bolt),
        "PLANGRAPH_NEO4J_HTTP_PORT": str(_free_port()),
        "PLANGRAPH_NEO4J_HEAP_MAX": "512m",
        "PLANGRAPH_NEO4J_PAGECACHE": "64m",
        "NEO4J_PASSWORD": password,
    }
    started = neo4j_support.run_script("start", timeout=300, env=server_env)
    try:
        assert started.returncode == 0, started.stderr[-3000:]
        with GraphDatabase.driver(f"bolt://127.0.0.1:{bolt}", auth=("neo4j", password)) as d:
            labels = Counter()
            records, _, _ = d.execute_query("MATCH (n) RETURN labels(n)[0] AS l, count(*) AS c")
            labels.update({r["l"]: r["c"] for r in records})
            records, _, _ = d.execute_query("MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS c")
            labels.update({r["t"]: r["c"] for r in records})
            records, _, _ = d.execute_query(
                "MATCH (t:Task {id: $id}) RETURN t.number AS n, t.agencies AS a",
                id="沪府办发-2023-8/task/7",
            )
        expected = {k: v for k, v in graph_counts_of(bundled).items() if v}
        assert dict(labels) == expected
        assert records[0]["n"] == 7 and "各区政府" in records[0]["a"]
    finally:
        neo4j_support.run_script("stop", timeout=300, env=server_env)


@pytest.mark.parametrize("fmt", ["graphml", "json"])
def test_a_failed_export_leaves_the_folder_as_it_was(bundled, tmp_path, fmt):
    (earlier,) = export(bundled, fmt, tmp_path)
    before = earlier.read_bytes()
    broken = bundled.copy()
    broken.add_node("odd", id="odd", label=gm.PLAN, name="odd", extra={"not": object()})
    with pytest.raises(TypeError):
        export(broken, fmt, tmp_path)
    assert earlier.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [earlier.name]  # no temporary left


def test_import_args_name_the_files_where_they_end_up(bundled, tmp_path):
    written = export(bundled, "neo4j-csv", tmp_path / "csv")
    args = (tmp_path / "csv" / "import.args").read_text(encoding="utf-8").split()
    named = [a.split("=", 1)[1] for a in args if a.startswith(("--nodes=", "--relationships="))]
    assert named and all(os.path.exists(p) for p in named)
    assert {os.path.basename(p) for p in named} == {p.name for p in written if p.suffix == ".csv"}
