"""`python -m benchmarks.run --quick --json` runs in CI and meets its own criteria.

One subprocess runs every part (build scaling, Neo4j load, API on both stores); the tests read
its JSON. They check the shape a reader of docs/benchmarks.md relies on and the run's own
stated criteria -- linear build growth, zero API errors, a usable alignment -- not timings.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import PROJECT_ROOT

pytestmark = [pytest.mark.slow, pytest.mark.neo4j]

QUICK_SIZES = [1, 5, 20]


@pytest.fixture(scope="module")
def report(neo4j_settings) -> dict:
    env = {
        **os.environ,
        "PYTHONPATH": str(PROJECT_ROOT),
        **{k: neo4j_settings[k] for k in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD")},
    }
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--quick", "--json"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.stdout.strip(), f"no JSON printed (exit {done.returncode}):\n{done.stderr[-3000:]}"
    data = json.loads(done.stdout)
    data["_exit"] = done.returncode
    data["_stderr"] = done.stderr
    return data


def test_run_succeeds_and_says_so(report):
    assert report["failures"] == [], report["failures"]
    assert report["ok"] is True
    assert report["_exit"] == 0, report["_stderr"][-3000:]
    assert report["quick"] is True


def test_machine_is_described(report):
    machine = report["machine"]
    assert machine["cpus"] >= 1
    assert machine["ram_gb"] and machine["ram_gb"] > 0
    assert machine["python"].count(".") == 2


def test_build_scaling_shape_and_linear_growth(report):
    build = report["build"]
    assert [run["n"] for run in build["runs"]] == QUICK_SIZES
    for run in build["runs"]:
        assert run["seconds"] > 0 and run["ms_per_child"] > 0
        assert run["peak_rss_mb"] >= run["rss_before_build_mb"] > 0
        assert set(run["stages"]) == {"Parsing plans", "Building graph", "Aligning plans"}
        assert run["aligned_children"] == run["n"]
        assert run["nodes"] > 0 and run["relationships"] > run["nodes"]
        tasks = run["alignment_tasks"]
        assert 0 <= tasks["precision"] <= 1 and 0 <= tasks["recall"] <= 1
    # Bigger corpora give bigger graphs.
    nodes = [run["nodes"] for run in build["runs"]]
    assert nodes == sorted(nodes) and nodes[0] < nodes[-1]
    growth = build["growth"]
    assert (growth["from"], growth["to"]) == (5, 20)
    assert build["linear"] is True
    assert growth["time_ratio"] <= build["growth_limit"] == pytest.approx(1.2 * 20 / 5)


def test_alignment_quality_on_the_generated_corpus(report):
    criteria = report["criteria"]
    assert criteria["alignment_f1"] >= 0.9


def test_neo4j_load_ratio_is_reported(report):
    load = report["neo4j_load"]
    assert load["available"] is True
    assert load["districts"] == 5
    for name in ("batched", "naive"):
        assert load[name]["median_seconds"] > 0
        assert load[name]["nodes_per_second"] > 0
        assert load[name]["relationships_per_second"] > 0
    assert load["speedup"] == pytest.approx(
        load["naive"]["median_seconds"] / load["batched"]["median_seconds"], rel=0.01
    )
    # Batching must at least win; the 20x aim is reported, not required on a busy CI box.
    assert load["speedup"] > 1
    assert load["restored_bundled_graph"]["nodes"] > 0


def test_api_on_both_stores_without_errors(report):
    api = report["api"]
    assert set(api) == {"embedded", "neo4j"}
    for store, result in api.items():
        assert result["available"] is True, store
        assert result["startup_s"] > 0
        assert result["clients"] == 8 and result["seconds"] == 3
        assert len(result["endpoints"]) == 3
        for path, stats in result["endpoints"].items():
            assert stats["errors"] == 0, (store, path, stats["error_kinds"])
            assert stats["requests"] > 0, (store, path)
            assert stats["median_ms"] <= stats["p99_ms"]
    assert report["criteria"]["api_zero_errors"] is True


def test_quick_run_leaves_the_docs_plot_alone(report):
    plot = report["plot"]
    if plot["written"] is None:
        assert "matplotlib" in plot["note"]
    else:
        assert plot["temporary"] is True
        assert not plot["written"].startswith(str(PROJECT_ROOT / "docs"))
