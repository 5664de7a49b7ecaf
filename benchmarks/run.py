"""All benchmarks in one run: `python -m benchmarks.run [--quick] [--json]`.

1. **Build scaling** (benchmarks/build_scaling.py): N generated district plans plus the city
   plan, built end to end, one process per N; N = 1, 10, 100, 1000 (--quick: 1, 5, 20). Time,
   peak memory, alignment F1 against the generator's truth; the growth between the two largest
   sizes must stay within 1.2x proportional.
2. **Neo4j load** (benchmarks/load_neo4j.py): the batched loader against one row per
   transaction on the same graph (the bundled plans plus N = 100 generated districts; --quick:
   5), one run each, as a ratio, with nodes/s and relationships/s. The bundled graph is loaded
   back afterwards, so the API benchmark and anyone browsing see the usual graph.
3. **API** (benchmarks/api_latency.py): `plangraph serve` on each store, time to the first
   healthy answer, then 32 clients for 30 s (--quick: 8 for 3 s) on three endpoints: median and
   p99 latency, requests/s, errors (there must be none).

Neo4j is the local server of scripts/neo4j-local (started if needed) unless NEO4J_URI and
NEO4J_PASSWORD are set. Without it, the Neo4j parts are reported as unavailable -- and under
CI (env CI set) that fails the run. The exit status is 0 only when every criterion holds.

The plot (docs/build-scaling.png, or --plot PATH) needs matplotlib (the `bench` extra); a
--quick run draws it in a temporary folder only, and skips it with a note without matplotlib.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import build_scaling

ROOT = Path(__file__).resolve().parents[1]
API_ENDPOINTS_EXPECTED = 3
LOAD_SPEEDUP_AIM = 20.0


class Run:
    """Collects figures, notes and failed criteria as the parts run."""

    def __init__(self, quick: bool, verbose: bool):
        self.quick = quick
        self.verbose = verbose
        self.notes: list[str] = []
        self.failures: list[str] = []

    def say(self, message: str) -> None:
        if self.verbose:
            print(f"[bench] {message}", file=sys.stderr, flush=True)

    def note(self, message: str) -> None:
        self.notes.append(message)
        self.say(message)

    def fail(self, message: str) -> None:
        self.failures.append(message)
        self.say(f"FAILED: {message}")


# -- machine ---------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    info: dict[str, Any] = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    try:
        meminfo = Path("/proc/meminfo").read_text()
        kb = int(
            next(line for line in meminfo.splitlines() if line.startswith("MemTotal")).split()[1]
        )
        info["ram_gb"] = round(kb / 1024 / 1024, 1)
    except (OSError, StopIteration, ValueError):
        info["ram_gb"] = None
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        info["cpu"] = next(
            line.split(":", 1)[1].strip()
            for line in cpuinfo.splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        info["cpu"] = None
    info["load_average_at_start"] = list(os.getloadavg()) if hasattr(os, "getloadavg") else None
    return info


# -- Neo4j -----------------------------------------------------------------------------------


def neo4j_env(run: Run) -> dict[str, str] | None:
    """NEO4J_* for the server to use, starting the local one if needed; None if unavailable."""
    if os.environ.get("NEO4J_URI") and os.environ.get("NEO4J_PASSWORD"):
        return {k: os.environ[k] for k in ("NEO4J_URI", "NEO4J_PASSWORD") if k in os.environ} | {
            "NEO4J_USER": os.environ.get("NEO4J_USER", "neo4j")
        }
    from plangraph.local_neo4j import Neo4jLocalError, start_neo4j

    try:
        return start_neo4j()  # a no-op when it runs; a cold start downloads the server first
    except (OSError, subprocess.SubprocessError, Neo4jLocalError) as error:
        run.note(f"Neo4j unavailable: scripts/neo4j-local failed: {str(error).strip()[-500:]}")
        return None


def neo4j_unavailable(run: Run, part: str) -> dict[str, Any]:
    message = f"{part}: Neo4j is not available"
    if os.environ.get("CI"):
        run.fail(f"{message} (required under CI)")
    else:
        run.note(f"{message}; skipped")
    return {"available": False}


def restore_bundled_graph(env: dict[str, str]) -> dict[str, int]:
    """Load the bundled plans' graph back (the load benchmark replaced it)."""
    from neo4j import GraphDatabase

    from ingest.build import build_graph
    from ingest.neo4j_load import load

    graph = build_graph().graph
    with GraphDatabase.driver(
        env["NEO4J_URI"], auth=(env["NEO4J_USER"], env["NEO4J_PASSWORD"])
    ) as driver:
        report = load(graph, driver)
    return {"nodes": report.nodes, "relationships": report.relationships}


def neo4j_load(run: Run, env: dict[str, str] | None, districts: int) -> dict[str, Any]:
    if env is None:
        return neo4j_unavailable(run, "Neo4j load")
    run.say(f"Neo4j load: batched vs one row per transaction, {districts} generated districts")
    with tempfile.TemporaryDirectory(prefix="plangraph-bench-") as tmp:
        out = Path(tmp) / "load.json"
        done = _python(
            [
                *("-m", "benchmarks.load_neo4j", "--districts", str(districts)),
                *("--repeats", "1", "--json", str(out)),
            ],
            env,
            timeout=3600,
        )
        if done.returncode != 0 or not out.exists():
            run.fail(f"Neo4j load benchmark failed (exit {done.returncode}): {done.stderr[-1500:]}")
            return {"available": True, "error": done.stderr[-1500:]}
        result = json.loads(out.read_text(encoding="utf-8"))
    result = {"available": True, "districts": districts, **result}
    try:
        result["restored_bundled_graph"] = restore_bundled_graph(env)
    except Exception as error:  # the figures stand; the restore failing must still be heard
        run.fail(f"could not load the bundled graph back after the load benchmark: {error}")
    speedup = result.get("speedup")
    result["speedup_aim"] = LOAD_SPEEDUP_AIM
    result["meets_aim"] = bool(speedup and speedup >= LOAD_SPEEDUP_AIM)
    if not result["meets_aim"]:
        run.note(f"batched load is {speedup}x one row per transaction (aim: {LOAD_SPEEDUP_AIM}x)")
    run.say(f"Neo4j load: speedup {speedup}x")
    return result


# -- API -------------------------------------------------------------------------------------


def api(run: Run, store: str, env: dict[str, str] | None, seconds: float, clients: int):
    if store == "neo4j" and env is None:
        return neo4j_unavailable(run, "API on Neo4j")
    run.say(f"API on {store}: {clients} clients for {seconds:g} s")
    done = _python(
        [
            *("-m", "benchmarks.api_latency", "--store", store, "--seconds", str(seconds)),
            *("--clients", str(clients), "--json"),
        ],
        env or {},
        timeout=seconds + 600,
    )
    if done.returncode != 0:
        run.fail(f"API benchmark on {store} failed (exit {done.returncode}): {done.stderr[-1500:]}")
        return {"available": True, "error": done.stderr[-1500:]}
    result = json.loads(done.stdout.strip().splitlines()[-1])
    errors = sum(e["errors"] for e in result["endpoints"].values())
    requests = sum(e["requests"] for e in result["endpoints"].values())
    result["errors"] = errors
    if errors:
        run.fail(f"API on {store}: {errors} errors in {requests} requests")
    if len(result["endpoints"]) != API_ENDPOINTS_EXPECTED or not requests:
        run.fail(f"API on {store}: expected {API_ENDPOINTS_EXPECTED} endpoints with requests")
    run.say(f"API on {store}: healthy after {result['startup_s']} s, {errors} errors")
    return {"available": True, **result}


def _python(args: list[str], env: dict[str, str], timeout: float) -> subprocess.CompletedProcess:
    full_env = {
        **os.environ,
        **env,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=full_env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


# -- plot ------------------------------------------------------------------------------------


def plot(run: Run, build: dict[str, Any], out: Path | None) -> dict[str, Any]:
    from benchmarks.plot import PlotUnavailable, plot_build_scaling

    temporary = None
    if out is None:  # --quick: draw, to prove the plot works, but leave docs/ alone
        temporary = tempfile.mkdtemp(prefix="plangraph-plot-")
        out = Path(temporary) / "build-scaling.png"
    try:
        path = plot_build_scaling(build, out)
    except PlotUnavailable as error:
        if run.quick:
            run.note(str(error))
        else:
            run.fail(str(error))
        return {"written": None, "note": str(error)}
    return {"written": str(path), "temporary": temporary is not None}


# -- main ------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes and short API runs")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--plot",
        type=Path,
        default=None,
        help="where to write the PNG (default docs/build-scaling.png; --quick: a temp folder)",
    )
    parser.add_argument(
        "--parts",
        nargs="+",
        choices=("build", "load", "api"),
        default=["build", "load", "api"],
        help="run only these parts",
    )
    args = parser.parse_args(argv)

    run = Run(quick=args.quick, verbose=True)
    sizes = build_scaling.QUICK_SIZES if args.quick else build_scaling.FULL_SIZES
    load_districts = 5 if args.quick else 100
    api_seconds, api_clients = (3.0, 8) if args.quick else (30.0, 32)
    started = time.perf_counter()
    report: dict[str, Any] = {"quick": args.quick, "machine": machine()}

    if "build" in args.parts:
        build = build_scaling.run(sizes, log=run.say)
        report["build"] = build
        if not build["linear"]:
            growth = build["growth"]
            run.fail(
                f"build time grew {growth['time_ratio']}x from N={growth['from']} to "
                f"N={growth['to']} (limit {build['growth_limit']}x)"
            )
        plot_out = args.plot or (
            None if args.quick else build_scaling.ROOT / "docs" / "build-scaling.png"
        )
        report["plot"] = plot(run, build, plot_out)

    env = neo4j_env(run) if {"load", "api"} & set(args.parts) else None
    if "load" in args.parts:
        report["neo4j_load"] = neo4j_load(run, env, load_districts)
    if "api" in args.parts:
        report["api"] = {
            store: api(run, store, env if store == "neo4j" else None, api_seconds, api_clients)
            for store in ("embedded", "neo4j")
        }

    report["criteria"] = criteria(report)
    report["notes"] = run.notes
    report["failures"] = run.failures
    report["ok"] = not run.failures
    report["seconds"] = round(time.perf_counter() - started, 1)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print_summary(report)
    return 0 if report["ok"] else 1


def criteria(report: dict[str, Any]) -> dict[str, Any]:
    """The run's own pass/fail figures, in one place (tests/benchmarks/test_quick_run.py
    reads it)."""
    out: dict[str, Any] = {}
    build = report.get("build")
    if build:
        out["build_linear"] = build["linear"]
        out["build_growth"] = build["growth"]
        out["build_growth_limit"] = build["growth_limit"]
        out["alignment_f1"] = build["runs"][-1]["alignment_tasks"]["f1"]
    load = report.get("neo4j_load")
    if load and load.get("available"):
        out["load_speedup"] = load.get("speedup")
        out["load_speedup_meets_aim"] = load.get("meets_aim")
    apis = report.get("api") or {}
    available = [a for a in apis.values() if a.get("available")]
    if available:
        out["api_errors"] = sum(a.get("errors", 0) for a in available if "endpoints" in a)
        out["api_zero_errors"] = out["api_errors"] == 0 and all("endpoints" in a for a in available)
    return out


def print_summary(report: dict[str, Any]) -> None:
    m = report["machine"]
    print(f"machine: {m['cpus']} CPUs, {m['ram_gb']} GB RAM, {m['cpu']}, Python {m['python']}")
    build = report.get("build")
    if build:
        print("\nbuild (parse + extract + align + graph), median seconds:")
        print(
            f"{'N':>6} {'s':>9} {'ms/child':>9} {'peak MB':>8} {'nodes':>8} {'rels':>8} {'F1':>6}"
        )
        for r in build["runs"]:
            print(
                f"{r['n']:>6} {r['seconds']:>9.2f} {r['ms_per_child']:>9.1f} "
                f"{r['peak_rss_mb']:>8.0f} {r['nodes']:>8} {r['relationships']:>8} "
                f"{r['alignment_tasks']['f1']:>6}"
            )
        if build["growth"]:
            g = build["growth"]
            print(
                f"time({g['to']})/time({g['from']}) = {g['time_ratio']} "
                f"(limit {build['growth_limit']}): {'linear' if build['linear'] else 'NOT linear'}"
            )
    load = report.get("neo4j_load")
    if load and load.get("available") and "speedup" in load:
        print(f"\nNeo4j load ({load['nodes']} nodes, {load['relationships']} relationships):")
        for name in ("batched", "naive"):
            s = load[name]
            print(
                f"  {name:8s} {s['median_seconds']:8.2f} s {s['nodes_per_second']:10.0f} nodes/s "
                f"{s['relationships_per_second']:10.0f} rels/s"
            )
        print(f"  speedup {load['speedup']}x (aim {LOAD_SPEEDUP_AIM:g}x)")
    for store, result in (report.get("api") or {}).items():
        if not result.get("available") or "endpoints" not in result:
            continue
        print(f"\nAPI on {store}: healthy after {result['startup_s']} s")
        for path, s in result["endpoints"].items():
            print(
                f"  {path:<42} median {s['median_ms']} ms  p99 {s['p99_ms']} ms  "
                f"{s['requests_per_s']} req/s  {s['errors']} errors"
            )
    for note in report["notes"]:
        print(f"note: {note}")
    for failure in report["failures"]:
        print(f"FAILED: {failure}")
    print(f"\n{'ok' if report['ok'] else 'FAILED'} in {report['seconds']} s")


if __name__ == "__main__":
    raise SystemExit(main())
