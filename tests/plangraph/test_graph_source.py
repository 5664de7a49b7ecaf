"""`export` and `load-neo4j` without --from: the built database when it is up to date with the
bundled plans, else a new build, and a line on stderr saying which."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import DISTRICT_PLAN, PLANS_DIR, plangraph


def _export(out: Path) -> tuple[str, dict]:
    result = plangraph("export", "--format", "json", "--out", str(out))
    assert result.returncode == 0, result.stderr
    data = json.loads((out / "plangraph.json").read_text(encoding="utf-8"))
    return result.stderr, data


def _content(data: dict) -> tuple[list[str], list[str]]:
    """Nodes and edges independent of their order (a database returns its own order)."""

    def canonical(items: list[dict]) -> list[str]:
        return sorted(json.dumps(item, sort_keys=True, ensure_ascii=False) for item in items)

    return canonical(data["nodes"]), canonical(data["edges"])


@pytest.fixture
def database(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "built.lbdb"
    monkeypatch.setenv("PLANGRAPH_DATABASE", str(path))
    return path


def test_without_a_database_the_plans_are_built(database, tmp_path):
    said, _ = _export(tmp_path / "out")
    assert f"graph: built from {PLANS_DIR} (no built database at {database})" in said


def test_an_up_to_date_database_is_read_and_gives_the_same_graph(database, tmp_path):
    _, built_now = _export(tmp_path / "built")
    result = plangraph("build")
    assert result.returncode == 0, result.stderr
    said, from_database = _export(tmp_path / "read")
    assert f"graph: {database} (up to date with {PLANS_DIR})" in said
    assert "Parsing plans" not in said  # no build ran
    assert _content(from_database) == _content(built_now)


def test_a_database_older_than_an_input_is_not_used(database, tmp_path):
    assert plangraph("build").returncode == 0
    long_ago = 1_000_000_000  # 2001: before any plan file or source file was written
    os.utime(database, (long_ago, long_ago))
    said, _ = _export(tmp_path / "out")
    assert f"graph: built from {PLANS_DIR} ({database} is older than" in said


def test_a_database_of_other_plans_is_not_used(database, tmp_path):
    assert plangraph("build", str(DISTRICT_PLAN)).returncode == 0
    said, data = _export(tmp_path / "out")
    assert f"({database} holds other plans than {PLANS_DIR})" in said
    plans = {n.get("source_file") for n in data["nodes"] if n["label"] == "Plan" and not n["stub"]}
    assert plans == {p.name for p in PLANS_DIR.glob("*.txt")}


def test_an_explicit_source_is_named(database, tmp_path):
    assert plangraph("build").returncode == 0
    out = str(tmp_path / "out")
    result = plangraph("export", "--format", "json", "--out", out, "--from", str(database))
    assert result.returncode == 0, result.stderr
    assert f"graph: {database}\n" in result.stderr
