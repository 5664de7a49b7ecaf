"""`python -m benchmarks.server_latency` runs end to end on tiny settings (no timings checked).

The run starts real servers (the API cached and uncached, and the floor app) and the real load
client in their own processes; the tests check that every request was answered 200, that each
run reports what docs/benchmarks.md shows (medians, p99, requests/s, CPU per request, the ratio
to the floor), and that the table prints.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from benchmarks import http_load, server_latency
from tests.benchmarks.ports import free_run_of_ports
from tests.conftest import PROJECT_ROOT


def _free_ports() -> int:
    """The first of five free ports in the range the project's servers may use here."""
    return free_run_of_ports(18050, 18099, 5)


def _run(stores: str, env: dict[str, str] | None = None) -> str:
    command = [sys.executable, "-m", "benchmarks.server_latency", "--stores", stores,
               "--clients", "1,3", "--seconds", "0.5", "--warmup", "0.2",
               "--rounds", "2", "--port", str(_free_ports())]  # fmt: skip
    done = subprocess.run(
        [*command, "--json"],
        cwd=PROJECT_ROOT,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT), **(env or {})},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _check(report: dict, store: str) -> None:
    runs = report["runs"]
    kinds = {(run["store"], run["server"], run["clients"]) for run in runs}
    for answers in ("cached", "uncached"):
        assert {(store, answers, 1), (store, answers, 3)} <= kinds
    assert len(report["each_round"]) == 2 * len(runs)
    for run in runs:
        assert run["rounds"] == 2
        assert run["requests"] > 0, run
        assert set(run["statuses"]) == {"200"}, run["statuses"]
        assert run["all"]["median_ms"] <= run["all"]["p99_ms"]
        assert set(run["paths"]) == set(report["paths"])
        assert run["server_cpu_ms_per_request"] >= 0
        assert run["client_cpu_ms_per_request"] >= 0
        if run["server"] != "floor":
            assert run["p99_vs_floor"] > 0
        if run["store"] == "neo4j" and run["server"] != "floor":
            assert run["database_cpu_ms_per_request"] >= 0


@pytest.mark.slow
def test_embedded_run_end_to_end():
    report = json.loads(_run("embedded"))
    assert {run["server"] for run in report["runs"]} == {"cached", "uncached", "floor"}
    _check(report, "embedded")
    table = server_latency.table(report)
    assert table.count("| embedded | cached |") == 2 + len(report["paths"]) * 2


@pytest.mark.slow
@pytest.mark.neo4j
def test_neo4j_run_end_to_end(bundled_graph, neo4j_driver, neo4j_settings):
    from ingest.neo4j_load import load

    load(bundled_graph, neo4j_driver)
    env = {k: neo4j_settings[k] for k in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD")}
    report = json.loads(_run("neo4j", env))
    _check(report, "neo4j")


def test_the_client_reads_its_own_and_a_servers_cpu():
    assert http_load.cpu_seconds(os.getpid()) > 0
    assert http_load.context_switches(os.getpid()) > 0
    ordered = [float(n) for n in range(1, 101)]
    assert http_load.percentile(ordered, 0.5) == 50.0
    assert http_load.percentile(ordered, 0.99) == 99.0
    assert http_load.summary_ms([]) == {"count": 0, "median_ms": None, "p99_ms": None}
