"""Start-up costs: `python -m benchmarks.startup [--runs N] [--port P] [--json]`.

1. **Build:** `plangraph build` of the bundled pair (data/plans/) into a temporary database, as
   a user runs it (a fresh process each time, imports included): wall time and peak RSS of each
   run, with the median; then the same work phase by phase in one fresh process (where the
   time goes).
2. **Dictionary:** opening jieba's dictionary in a fresh process, jieba's own way
   (`jieba.Tokenizer().initialize()`, from jieba's marshal cache) against the compact copy the
   project segments with (`schema.segmenter.dictionary()`, from its cache): seconds and the
   RSS it adds.
3. **Server:** `plangraph serve` on that database: seconds until /health answers, resident
   memory (VmRSS) after start, after the first search request (`/tasks?q=`) and after 20
   more, each a different query, and the peak (VmHWM); then, in a fresh process loading the
   same parts in the same order, what each part adds (where the memory goes).

The machine may be shared: every figure is the median of --runs fresh processes, and the
minimum and maximum are printed beside it so the spread shows. No figure here is asserted on.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SEARCH_WORDS = (
    "集成电路",
    "人工智能",
    "专精特新",
    "数字化转型",
    "绿色制造",
    "智能工厂",
    "生物医药",
)
# Distinct queries (pairs of words), so no answer comes from the API's cache.
SEARCHES = [f"{a} {b}" for a in SEARCH_WORDS for b in SEARCH_WORDS if a < b]

# Run in a fresh interpreter: how long the dictionary takes to open and what it adds to RSS.
_DICTIONARY_PROBE = """
import json, sys, time
def rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 2**20
kind = sys.argv[1]
if kind == "jieba":
    import jieba
    jieba.setLogLevel(60)
    before, start = rss_mb(), time.perf_counter()
    held = jieba.Tokenizer()
    held.initialize()
else:
    from schema import segmenter
    before, start = rss_mb(), time.perf_counter()
    held = segmenter.dictionary()
print(json.dumps({"seconds": time.perf_counter() - start, "rss_mb": rss_mb() - before}))
"""

# Run in a fresh interpreter: where a build's time goes, phase by phase, in the order
# `plangraph build` meets them (the CLI's imports, then the data each phase loads first).
_BUILD_PHASES_PROBE = """
import json, sys, time
from pathlib import Path
phases, last = {}, time.perf_counter()
def step(name):
    global last
    now = time.perf_counter()
    phases[name], last = now - last, now
import plangraph.cli
from ingest import places
from ingest.build import build_from_plans
from ingest.pipeline import load_plan
from schema.embedded_db import write_database
from schema.lexicon import load_lexicon
step("imports")
load_lexicon()
step("lexicons (schema/lexicon.py)")
places._data()
step("gazetteer for places (ingest/places.py)")
plans = [load_plan(path) for path in sorted(Path("data/plans").glob("*.txt"))]
step("parse and extract both plans")
result = build_from_plans(plans)
step("graph and alignment")
write_database(result.graph, sys.argv[1])
step("write the database")
print(json.dumps(phases))
"""

# Run in a fresh interpreter: what each part of the server adds to its resident memory, in
# the order `plangraph serve` loads them (the store opened as the API's lifespan opens it).
_SERVER_PARTS_PROBE = """
import json, sys
def rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 2**20
parts, last = {}, rss_mb()
parts["python"] = last
def step(name):
    global last
    now = rss_mb()
    parts[name], last = now - last, now
import fastapi, uvicorn
step("fastapi + uvicorn (+ pydantic, starlette)")
import api.app, plangraph.cli
step("api + cli modules")
from queries.settings import Settings, open_store
store = open_store(Settings(store="embedded", database=sys.argv[1]))
step("embedded store opened")
store.health()
step("first /health answer")
from queries import registry
registry.query_terms("集成电路 人工智能")
step("search segmenter (jieba + compact dictionary)")
parts["total"] = rss_mb()
print(json.dumps(parts))
"""


def _spread(values: list[float]) -> dict[str, float]:
    return {
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
    }


def _run_timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process, which must succeed."""
    start = time.perf_counter()
    child = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    errors = child.stderr.read() if child.stderr else ""
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {child.returncode}: {errors[-2000:]}")
    return seconds, usage.ru_maxrss / 1024


def measure_build(database: Path, runs: int) -> dict[str, Any]:
    command = [sys.executable, "-m", "plangraph", "build", "--db", str(database)]
    _run_timed(command)  # once untimed: jieba's and the project's caches exist afterwards
    times, peaks = zip(*(_run_timed(command) for _ in range(runs)), strict=True)
    return {
        "command": "plangraph build --db DB",
        "seconds": _spread(list(times)),
        "peak_rss_mb": _spread(list(peaks)),
        "runs": [round(t, 3) for t in times],
    }


def measure_build_phases(database: Path, runs: int) -> dict[str, dict[str, float]]:
    return _probe_spread(_BUILD_PHASES_PROBE, database, runs)


def _probe_spread(probe: str, database: Path, runs: int) -> dict[str, dict[str, float]]:
    """Run `probe` (a Python program printing one JSON object of figures) in `runs` fresh
    processes; each figure's spread."""
    samples = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", probe, str(database)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        samples.append(json.loads(done.stdout))
    return {key: _spread([s[key] for s in samples]) for key in samples[0]}


def measure_dictionary(runs: int) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for kind in ("jieba", "compact"):
        _probe(kind)  # makes the caches, untimed
        samples = [_probe(kind) for _ in range(runs)]
        results[kind] = {
            "seconds": _spread([s["seconds"] for s in samples]),
            "rss_mb": _spread([s["rss_mb"] for s in samples]),
        }
    return results


def _probe(kind: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", _DICTIONARY_PROBE, kind],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(done.stdout)
    return result


def _status_mb(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM of a process, in MB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) / 1024
    return values


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _get(url: str) -> int:
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()
        status: int = response.status
        return status


def measure_server_once(database: Path, port: int) -> dict[str, float]:
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "plangraph", "serve", "--db", str(database)]
    start = time.perf_counter()
    server = subprocess.Popen(
        [*command, "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"plangraph serve exited {server.returncode} at start-up")
            try:
                if _get(f"{base}/health") == 200:
                    break
            except OSError:
                time.sleep(0.05)
            if time.perf_counter() - start > 120:
                raise RuntimeError("plangraph serve did not answer /health within 120 s")
        ready = time.perf_counter() - start
        time.sleep(0.5)  # let start-up allocations settle
        after_start = _status_mb(server.pid)
        _get(f"{base}/tasks?q={urllib.parse.quote(SEARCHES[0])}")
        after_search = _status_mb(server.pid)
        for query in SEARCHES[1:]:
            _get(f"{base}/tasks?q={urllib.parse.quote(query)}")
        after_searches = _status_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {
        "ready_seconds": ready,
        "rss_after_start_mb": after_start["VmRSS"],
        "rss_after_first_search_mb": after_search["VmRSS"],
        "rss_after_all_searches_mb": after_searches["VmRSS"],
        "peak_rss_mb": after_searches["VmHWM"],
    }


def measure_server(database: Path, runs: int, port: int) -> dict[str, Any]:
    samples = [measure_server_once(database, port or _free_port()) for _ in range(runs)]
    return {key: _spread([s[key] for s in samples]) for key in samples[0]}


def measure_server_parts(database: Path, runs: int) -> dict[str, dict[str, float]]:
    return _probe_spread(_SERVER_PARTS_PROBE, database, runs)


def _machine() -> dict[str, Any]:
    load = Path("/proc/loadavg").read_text().split()[:3]
    return {"cores": os.cpu_count(), "load_average": [float(x) for x in load]}


def _print(results: dict[str, Any]) -> None:
    def line(name: str, spread: dict[str, float], unit: str, digits: int = 2) -> None:
        print(
            f"  {name:<46} median {spread['median']:.{digits}f} {unit}"
            f"  (min {spread['min']:.{digits}f}, max {spread['max']:.{digits}f})"
        )

    machine = results["machine"]
    print(f"machine: {machine['cores']} cores, load average {machine['load_average']}")
    build = results["build"]
    print(f"build ({len(build['runs'])} runs: {build['runs']} s)")
    line("wall", build["seconds"], "s")
    line("peak RSS", build["peak_rss_mb"], "MB", 0)
    print("build phases, in one fresh process (the CLI's progress bars and output aside)")
    for phase, spread in results["build_phases"].items():
        line(phase, spread, "s")
    print("dictionary, in a fresh process")
    for kind, label in (
        ("jieba", "jieba's own (marshal cache)"),
        ("compact", "compact (marisa trie)"),
    ):
        line(f"{label}: open", results["dictionary"][kind]["seconds"], "s", 3)
        line(f"{label}: RSS added", results["dictionary"][kind]["rss_mb"], "MB", 1)
    print("server (plangraph serve on the built database)")
    server = results["server"]
    line("until /health answers", server["ready_seconds"], "s")
    line("RSS after start", server["rss_after_start_mb"], "MB", 1)
    line("RSS after the first search", server["rss_after_first_search_mb"], "MB", 1)
    line(
        f"RSS after {len(SEARCHES) - 1} more searches", server["rss_after_all_searches_mb"], "MB", 1
    )
    line("peak RSS (VmHWM)", server["peak_rss_mb"], "MB", 1)
    print("server memory by part (RSS each adds, in load order; one fresh process)")
    for part, spread in results["server_parts"].items():
        line(part, spread, "MB", 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per figure (5)")
    parser.add_argument("--port", type=int, default=0, help="server port (default: a free one)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    with tempfile.TemporaryDirectory(prefix="plangraph-startup-") as tmp:
        database = Path(tmp) / "plangraph.lbdb"
        results = {
            "machine": _machine(),
            "build": measure_build(database, args.runs),
            "build_phases": measure_build_phases(Path(tmp) / "phases.lbdb", args.runs),
            "dictionary": measure_dictionary(args.runs),
            "server": measure_server(database, args.runs, args.port),
            "server_parts": measure_server_parts(database, args.runs),
        }
    results["machine_after"] = _machine()
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        _print(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
