"""`python -m benchmarks.run --quick --json` runs in CI and meets its own criteria.

One subprocess runs every part (build scaling, Neo4j load, API on both stores); the tests read
its JSON. They check the shape a reader of docs/benchmarks.md relies on and the run's own
stated criteria -- linear build growth, zero API errors, a usable alignment -- not timings.

The API part's servers take three ports from the first free run of three at or after
PLANGRAPH_BENCH_PORT (default 18000), the same variable for every run of this test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.benchmarks.ports import free_run_of_ports
from tests.conftest import PROJECT_ROOT

pytestmark = [pytest.mark.slow, pytest.mark.neo4j]

QUICK_SIZES = [1, 5, 20]
QUICK_CLIENTS = 8
API_PORTS = 3  # benchmarks.server_latency on one store: cached, uncached, floor


def _first_free_ports() -> int:
    first = int(os.environ.get("PLANGRAPH_BENCH_PORT", "18000"))
    return free_run_of_ports(first, first + 99, API_PORTS)


@pytest.fixture(scope="module")
def report(neo4j_settings) -> dict:
    env = {
        **os.environ,
        "PYTHONPATH": str(PROJECT_ROOT),
        **{k: neo4j_settings[k] for k in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD")},
    }
    command = [sys.executable, "-m", "benchmarks.run", "--quick", "--json"]
    done = subprocess.run(
        [*command, "--port", str(_first_free_ports())],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
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
        assert "error" not in result, (store, result.get("error"))
        assert result["clients"] == [QUICK_CLIENTS] and result["rounds"] == 1
        assert set(result["statuses"]) == {"200"}, (store, result["statuses"])
        assert result["errors"] == 0
        runs = result["runs"]
        assert sorted(run["server"] for run in runs) == ["cached", "floor", "uncached"]
        assert result["requests"] == sum(run["requests"] for run in runs)
        for run in runs:
            where = (store, run["server"])
            assert run["store"] == store and run["clients"] == QUICK_CLIENTS, where
            assert run["requests"] > 0, where
            assert set(run["statuses"]) == {"200"}, (where, run["statuses"])
            assert run["all"]["median_ms"] <= run["all"]["p99_ms"], where
            assert set(run["paths"]) == set(result["paths"]), where
            for path, stats in run["paths"].items():
                assert stats["count"] > 0, (where, path)
                assert stats["median_ms"] <= stats["p99_ms"], (where, path)
        by_server = {run["server"]: run for run in runs}
        [p99] = result["p99"]
        assert p99["clients"] == QUICK_CLIENTS
        assert p99["floor_ms"] == by_server["floor"]["all"]["p99_ms"] > 0
        for kind in ("cached", "uncached"):
            assert p99[f"{kind}_ms"] == by_server[kind]["all"]["p99_ms"]
            # One round: the ratio is this run's p99 over the floor's.
            assert p99[f"{kind}_vs_floor"] == pytest.approx(
                p99[f"{kind}_ms"] / p99["floor_ms"], rel=0.01, abs=0.01
            )  # both rounded to two places
    criteria = report["criteria"]
    assert criteria["api_zero_errors"] is True and criteria["api_errors"] == 0
    assert criteria["api_p99"] == {store: result["p99"] for store, result in api.items()}


def test_quick_run_leaves_the_docs_plot_alone(report):
    plot = report["plot"]
    if plot["written"] is None:
        assert "matplotlib" in plot["note"]
    else:
        assert plot["temporary"] is True
        assert not plot["written"].startswith(str(PROJECT_ROOT / "docs"))
