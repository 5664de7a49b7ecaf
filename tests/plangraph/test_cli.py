"""The `plangraph` commands as a user runs them: real subprocesses, real files, real server."""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import CITY_PLAN, DISTRICT_PLAN, PLANS_DIR, PROJECT_ROOT, plangraph


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("cli") / "plangraph.lbdb"
    result = plangraph("build", "--db", str(out))
    assert result.returncode == 0, result.stderr
    assert out.exists()
    return out


@pytest.fixture(scope="module")
def snapshot(database, tmp_path_factory) -> Path:
    """The same graph as JSON, exported from the database (what a user would check it with)."""
    out = tmp_path_factory.mktemp("export")
    result = plangraph("export", "--format", "json", "--out", str(out), "--from", str(database))
    assert result.returncode == 0, result.stderr
    return out / "plangraph.json"


def test_build_reports_what_it_built(tmp_path):
    result = plangraph("build", str(PLANS_DIR), "--db", str(tmp_path / "g.lbdb"))
    assert result.returncode == 0, result.stderr
    assert "from 2 plan(s)" in result.stdout
    assert "Parsing plans" in result.stderr  # the progress bar
    assert "Writing database" in result.stderr
    assert not [p.name for p in tmp_path.iterdir() if p.name != "g.lbdb"], "no temporary left"


def test_a_rebuild_replaces_the_database(database, tmp_path):
    target = tmp_path / "g.lbdb"
    target.write_bytes(database.read_bytes())
    result = plangraph("build", str(DISTRICT_PLAN), "--db", str(target))
    assert result.returncode == 0, result.stderr
    plans = plangraph("view", "plans", "--db", str(target), "--format", "json")
    assert plans.returncode == 0, plans.stderr
    loaded = [row for row in json.loads(plans.stdout) if not row["stub"]]
    assert [row["id"] for row in loaded] == ["沪松府-2023-138"]


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b'{"format": "plangraph-snapshot"}', "not an embedded plangraph database"),
        (b"\x00" * 4096, "not an embedded plangraph database"),
        (None, "no such database"),
    ],
    ids=["json", "zeros", "missing"],
)
def test_a_foreign_or_missing_database_is_refused_in_one_line(tmp_path, content, says):
    path = tmp_path / "graph.lbdb"
    if content is not None:
        path.write_bytes(content)
    result = plangraph("view", "plans", "--db", str(path))
    assert result.returncode == 2
    assert says in result.stderr and str(path) in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1  # one line, never wrapped


def test_build_of_a_missing_file_is_a_clear_error():
    result = plangraph("build", "no/such/plan.txt")
    assert result.returncode == 2
    assert "no/such/plan.txt" in result.stderr
    assert "Traceback" not in result.stderr


def test_views_as_json_lists_every_view_file():
    result = plangraph("views", "--format", "json")
    assert result.returncode == 0, result.stderr
    names = {row["view"] for row in json.loads(result.stdout)}
    files = {p.stem for p in (PROJECT_ROOT / "queries").glob("*.cypher") if "." not in p.stem}
    assert names == files


def test_view_as_json_and_csv_agree(database):
    args = ("view", "tasks_by_agency", "-p", "agency=区经委", "--db", str(database))
    as_json = plangraph(*args, "--format", "json")
    as_csv = plangraph(*args, "--format", "csv")
    assert as_json.returncode == 0 and as_csv.returncode == 0, as_json.stderr + as_csv.stderr
    rows = json.loads(as_json.stdout)
    assert rows, "区经委 owns tasks in the district plan"
    csv_rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [r["title"] for r in csv_rows] == [r["title"] for r in rows]
    assert "\\u" not in as_csv.stdout  # Chinese as text, never escaped


def test_view_with_a_bad_parameter_names_it(database):
    result = plangraph("view", "tasks_by_agency", "-p", "agencyy=区经委", "--db", str(database))
    assert result.returncode == 2
    assert "agency" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_view_suggests_close_names(database):
    result = plangraph("view", "tasks_by_agenc", "--db", str(database))
    assert result.returncode == 2
    assert "tasks_by_agency" in result.stderr


@pytest.mark.parametrize(
    ("view", "param", "suggested"),
    [("tasks_by_agency", "agency=区经", "松江区经委"), ("plan_overview", "plan=松江", "松江区")],
)
def test_an_unknown_name_is_exit_2_with_the_closest_names(database, view, param, suggested):
    result = plangraph("view", view, "-p", param, "--db", str(database))
    assert result.returncode == 2
    assert suggested in result.stderr
    assert "Traceback" not in result.stderr


def test_align_json_has_the_contract_shape():
    result = plangraph("align", str(DISTRICT_PLAN), str(CITY_PLAN), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["child"]["doc_number"] == "沪松府〔2023〕138号"
    assert data["parent"]["doc_number"] == "沪府办发〔2023〕8号"
    for level in ("tasks", "actions", "goals", "measures"):
        assert set(data[level]) >= {"links", "child_without_parent", "parent_without_child"}
    link = data["tasks"]["links"][0]
    assert set(link) >= {"child", "parent", "score", "status", "evidence"}
    assert 0 <= link["score"] <= 1


def test_export_graphml_is_readable_by_networkx(database, snapshot, tmp_path):
    import networkx as nx

    result = plangraph("export", "--format", "graphml", "--out", str(tmp_path), "--from",
                       str(database))  # fmt: skip
    assert result.returncode == 0, result.stderr
    graph = nx.read_graphml(tmp_path / "plangraph.graphml")
    data = json.loads(snapshot.read_text(encoding="utf-8"))
    assert graph.number_of_nodes() == len(data["nodes"])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_health_with_the_real_counts(database, snapshot):
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "plangraph", "serve", "--db", str(database), "--port",
         str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=PROJECT_ROOT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "serve did not answer within 60 s"
                time.sleep(0.3)
        assert response.status_code == 200
        health = response.json()
        assert health["store"] == "embedded"
        data = json.loads(snapshot.read_text(encoding="utf-8"))
        labels = [node["label"] for node in data["nodes"]]
        assert health["plans"] == labels.count("Plan")
        assert health["tasks"] == labels.count("Task") == 22 + 21
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}" in output  # the URL is printed for the user


def test_the_database_can_come_from_the_environment(database):
    result = subprocess.run(
        [sys.executable, "-m", "plangraph", "view", "plans", "--format", "json"],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env={**os.environ, "PLANGRAPH_DATABASE": str(database)},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert len([row for row in json.loads(result.stdout) if not row["stub"]]) == 2


@pytest.mark.neo4j
def test_load_neo4j_points_browser_at_the_configured_api(database, neo4j_settings):
    result = subprocess.run(
        [sys.executable, "-m", "plangraph", "load-neo4j", "--from", str(database)],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env={
            **os.environ,
            **neo4j_settings,
            "PLANGRAPH_API_URL": "http://api.example:9000",
            "COLUMNS": "200",
        },
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert ":style http://api.example:9000/browser/style.grass" in result.stdout
    assert ":play http://api.example:9000/guide" in result.stdout


@pytest.mark.neo4j
def test_neo4j_status_names_the_load_that_is_live_and_a_second_load_is_refused(
    database, neo4j_settings
):

    def run(*args: str) -> subprocess.CompletedProcess:
        return plangraph(*args, env=neo4j_settings, timeout=300)

    loaded = run("load-neo4j", "--from", str(database))
    assert loaded.returncode == 0, loaded.stderr
    status = run("neo4j-status", "--format", "json")
    assert status.returncode == 0, status.stderr
    live = json.loads(status.stdout)
    assert live["load_id"][:8] in loaded.stdout
    assert (live["staged_leftovers"], live["retired_leftovers"]) == (0, 0)
    assert live["load_running"] is None

    from neo4j import GraphDatabase

    driver = GraphDatabase.driver(
        neo4j_settings["NEO4J_URI"],
        auth=(neo4j_settings["NEO4J_USER"], neo4j_settings["NEO4J_PASSWORD"]),
    )
    try:  # another host's load, heard from a moment ago
        driver.execute_query(
            "CREATE (l:_LoadLock {key: 'plangraph', load: 'cafe0123456789', host: 'other.host', "
            "pid: 42, started_at: 'now', heartbeat: timestamp()})"
        )
        refused = run("load-neo4j", "--from", str(database))
        busy = run("neo4j-status", "--format", "json")
    finally:
        driver.execute_query("MATCH (l:_LoadLock) DELETE l")
        driver.close()
    assert refused.returncode == 1
    errors = [line for line in refused.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "another load is running" in errors[0], refused.stderr
    assert "cafe0123" in errors[0] and "other.host" in errors[0]
    assert json.loads(busy.stdout)["load_running"].startswith("load cafe0123")
    assert json.loads(busy.stdout)["load_id"] == live["load_id"]  # nothing was written


def test_neo4j_status_without_a_server_is_an_outage(tmp_path):
    result = plangraph(
        "neo4j-status", env={"NEO4J_URI": "bolt://127.0.0.1:9", "NEO4J_PASSWORD": "x"}
    )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "cannot reach Neo4j at bolt://127.0.0.1:9" in (
        result.stderr
    )


def test_a_folder_with_several_bad_files_names_them_all(tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "good.txt").write_text(DISTRICT_PLAN.read_text(encoding="utf-8"), encoding="utf-8")
    bad = ["empty.txt", "notes.txt", "binary.txt"]
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "notes.txt").write_text("会议纪要\n今天讨论了午餐安排。\n", encoding="utf-8")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    result = plangraph("build", str(folder), "--db", str(tmp_path / "g.lbdb"))
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, result.stderr
    assert "3 files cannot be read as plans" in lines[0]
    for name in bad:
        assert name in lines[0]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "g.lbdb").exists()  # nothing written when the input is wrong


@pytest.mark.parametrize(
    ("make", "args", "says"),
    [
        (lambda tmp: (tmp / "out").mkdir(), ["build", "--db", "{tmp}/out"], "is a folder"),
        (
            lambda tmp: (tmp / "afile").write_text("x"),
            ["build", "--db", "{tmp}/afile/g.lbdb"],
            "is a file, not a folder",
        ),
        (
            lambda tmp: (tmp / "decisions").mkdir(),
            ["build", "--decisions", "{tmp}/decisions", "--db", "{tmp}/g.lbdb"],
            "is a folder, not a decisions file",
        ),
        (
            lambda tmp: (tmp / "decisions").mkdir(),
            ["align", str(DISTRICT_PLAN), str(CITY_PLAN), "--decisions", "{tmp}/decisions"],
            "is a folder, not a decisions file",
        ),
        (
            lambda tmp: None,
            ["align", str(DISTRICT_PLAN), str(CITY_PLAN), "--decisions", "{tmp}/none.tsv"],
            "none.tsv",
        ),
    ],
    ids=[
        "db-is-a-folder",
        "db-under-a-file",
        "build-decisions-folder",
        "align-decisions-folder",
        "align-decisions-missing",
    ],
)
def test_bad_paths_are_one_line_and_exit_2_before_any_work(tmp_path, make, args, says):
    make(tmp_path)
    result = plangraph(*[arg.replace("{tmp}", str(tmp_path)) for arg in args])
    assert result.returncode == 2, result.stdout + result.stderr
    assert says in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert not list(tmp_path.rglob("*.tmp")), "no temporary file left behind"


def test_export_checks_its_folder_before_any_work(tmp_path):
    a_file = tmp_path / "afile"
    a_file.write_text("keep me", encoding="utf-8")
    for out, expected in (
        (a_file, "is a file; --out takes a folder"),
        (a_file / "sub", "is a file, not a folder"),
    ):
        result = plangraph("export", "--format", "json", "--out", str(out))
        assert result.returncode == 2, result.stderr
        errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
        assert len(errors) == 1 and expected in errors[0], result.stderr
        assert "Parsing" not in result.stderr  # refused before building anything
    assert a_file.read_text(encoding="utf-8") == "keep me"


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["view", "plans", "--format", "xml"], "'xml' is not one of"),
        (["view"], "Missing argument 'name'"),
        (["build", "--bogus"], "No such option: --bogus"),
        (["no-such-command"], "No such command"),
        (["serve", "--store", "sqlite"], "'sqlite' is not one of"),
    ],
)
def test_a_usage_error_is_one_line_and_exit_2(args, says):
    result = plangraph(*args)
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr
    assert says in result.stderr and "--help" in result.stderr
    assert "╭" not in result.stderr and "Traceback" not in result.stderr
