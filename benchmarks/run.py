"""All benchmarks in one run: `python -m benchmarks.run [--quick] [--json]`.

1. **Build scaling** (benchmarks/build_scaling.py): N generated district plans plus the city
   plan, built end to end, one process per N; N = 1, 10, 100, 1000 (--quick: 1, 5, 20). Time,
   peak memory, alignment F1 against the generator's truth; the growth between the two largest
   sizes must stay within 1.2x proportional.
2. **Neo4j load** (benchmarks/load_neo4j.py): the batched loader against one row per
   transaction on the same graph (the bundled plans plus N = 100 generated districts; --quick:
   5), one run each, as a ratio, with nodes/s and relationships/s. The bundled graph is loaded
   back afterwards, so the API benchmark and anyone browsing see the usual graph.
3. **API** (benchmarks/server_latency.py): on each store, the API with its answer cache
   (`cached`), without it (`uncached`) and the floor (uvicorn serving the same answer bytes from
   a dict), loaded in turn by the lean out-of-process client `benchmarks.http_load`; 1 and 32
   clients, 5 s, median of 3 rotated rounds (its defaults; --quick: 8 clients, 3 s, 1 round).
   Reported per store and client count: the cached and uncached p99 and their ratio to the
   floor of the same run. There must be no errors: every answer 200 and every server started.
   The servers listen on --port and the two ports after it.

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
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import build_scaling

ROOT = Path(__file__).resolve().parents[1]
API_STORES = ("embedded", "neo4j")
API_SERVERS = ("cached", "uncached", "floor")
API_QUICK_CLIENTS = 8
# --quick's settings for benchmarks.server_latency; a full run takes its defaults.
API_QUICK_ARGS = ("--clients", str(API_QUICK_CLIENTS), "--seconds", "3", "--rounds", "1")
API_DEFAULT_PORT = 18000
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


def api(run: Run, store: str, env: dict[str, str] | None, port: int) -> dict[str, Any]:
    """benchmarks.server_latency on one store (its own floor in the same run)."""
    if store == "neo4j" and env is None:
        return neo4j_unavailable(run, "API on Neo4j")
    settings = API_QUICK_ARGS if run.quick else ()
    run.say(f"API on {store}: benchmarks.server_latency {' '.join(settings) or '(defaults)'}")
    args = ["-m", "benchmarks.server_latency", "--stores", store, "--port", str(port), "--json"]
    try:
        # Servers may take minutes to start on a loaded machine (its timeout is 180 s each).
        done = _python([*args, *settings], env or {}, timeout=600 if run.quick else 1800)
    except subprocess.TimeoutExpired as error:
        run.fail(f"API benchmark on {store} did not finish within {error.timeout:g} s")
        return {"available": True, "error": f"timed out after {error.timeout:g} s"}
    if done.returncode != 0:  # a server that did not start or answer ends the run here
        run.fail(f"API benchmark on {store} failed (exit {done.returncode}): {done.stderr[-1500:]}")
        return {"available": True, "error": done.stderr[-1500:]}
    try:
        measured = json.loads(done.stdout)
    except json.JSONDecodeError:
        run.fail(f"API benchmark on {store} printed no JSON: {done.stdout[-500:]!r}")
        return {"available": True, "error": "no JSON report"}
    result = api_result(store, measured)
    if result["errors"]:
        run.fail(f"API on {store}: {result['errors']} errors in {result['requests']} requests")
    for clients in result["clients"]:
        for kind in API_SERVERS:
            if not any(
                r["server"] == kind and r["clients"] == clients and r["requests"]
                for r in result["runs"]
            ):
                run.fail(f"API on {store}: no {kind} run with requests at {clients} clients")
    for row in result["p99"]:
        run.say(
            f"API on {store}, {row['clients']} clients: p99 cached {row['cached_ms']} ms "
            f"({row['cached_vs_floor']}x floor), uncached {row['uncached_ms']} ms "
            f"({row['uncached_vs_floor']}x floor), floor {row['floor_ms']} ms"
        )
    return result


def api_result(store: str, measured: dict[str, Any]) -> dict[str, Any]:
    """server_latency's report for one store, with its errors and p99 summary added."""
    runs = measured["runs"]
    for r in runs:
        if r["server"] == "floor":
            r["store"] = store  # it serves this store's answers (server_latency says embedded)
    statuses: dict[str, int] = {}
    for r in runs:
        for status, count in r["statuses"].items():
            statuses[status] = statuses.get(status, 0) + count
    clients = sorted({r["clients"] for r in runs})
    p99 = []
    for count in clients:
        by_server = {r["server"]: r for r in runs if r["clients"] == count}
        row: dict[str, Any] = {"clients": count}
        for kind in API_SERVERS:
            row[f"{kind}_ms"] = by_server.get(kind, {}).get("all", {}).get("p99_ms")
        for kind in ("cached", "uncached"):
            row[f"{kind}_vs_floor"] = by_server.get(kind, {}).get("p99_vs_floor")
        p99.append(row)
    return {
        "available": True,
        "clients": clients,
        "seconds": measured["seconds"],
        "warmup": measured["warmup"],
        "rounds": measured["rounds"],
        "paths": measured["paths"],
        "load_average": measured["load_average"],
        "requests": sum(r["requests"] for r in runs),
        "statuses": statuses,
        # A connection error shows as its exception's name, a bad answer as its status.
        "errors": sum(count for status, count in statuses.items() if status != "200"),
        "p99": p99,
        "runs": runs,  # each round is in server_latency's own --json (each_round)
    }


def _python(args: list[str], env: dict[str, str], timeout: float) -> subprocess.CompletedProcess:
    full_env = {
        **os.environ,
        **env,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    # Its own process group, so a timeout or Ctrl-C also ends the servers it started.
    with subprocess.Popen(
        [sys.executable, *args],
        cwd=ROOT,
        env=full_env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        process_group=0,
    ) as process:
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except BaseException:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


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
    parser.add_argument(
        "--port",
        type=int,
        default=API_DEFAULT_PORT,
        help="the API part's first port (it uses this one and the two after it)",
    )
    args = parser.parse_args(argv)

    run = Run(quick=args.quick, verbose=True)
    sizes = build_scaling.QUICK_SIZES if args.quick else build_scaling.FULL_SIZES
    load_districts = 5 if args.quick else 100
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
            store: api(run, store, env if store == "neo4j" else None, args.port)
            for store in API_STORES
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
        out["api_errors"] = sum(a.get("errors", 0) for a in available if "runs" in a)
        # A store whose benchmark ended early (a server that did not start) has no runs.
        out["api_zero_errors"] = out["api_errors"] == 0 and all("runs" in a for a in available)
        out["api_p99"] = {store: a["p99"] for store, a in apis.items() if "p99" in a}
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
        if not result.get("available") or "runs" not in result:
            continue
        print(
            f"\nAPI on {store} (benchmarks.server_latency, {result['seconds']:g} s per run, "
            f"median of {result['rounds']} round(s); p99 / floor of the same run):"
        )
        header = ("clients", "answers", "req/s", "median ms", "p99 ms", "p99/floor")
        print("{:>8} {:<9} {:>9} {:>10} {:>9} {:>10}".format(*header))
        for r in sorted(
            result["runs"], key=lambda r: (r["clients"], API_SERVERS.index(r["server"]))
        ):
            print(
                f"{r['clients']:>8} {r['server']:<9} {r.get('requests_per_s', 0):>9,.0f} "
                f"{r['all']['median_ms']:>10} {r['all']['p99_ms']:>9} "
                f"{r.get('p99_vs_floor', '-'):>10}"
            )
        print(f"  {result['errors']} errors in {result['requests']} requests")
    for note in report["notes"]:
        print(f"note: {note}")
    for failure in report["failures"]:
        print(f"FAILED: {failure}")
    print(f"\n{'ok' if report['ok'] else 'FAILED'} in {report['seconds']} s")


if __name__ == "__main__":
    raise SystemExit(main())
