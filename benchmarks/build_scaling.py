"""How the whole build scales with the number of plans: `python -m benchmarks.build_scaling`.

For each N a fresh Python process (so peak memory is that N's alone) generates N district plans
from the bundled city plan (benchmarks/corpus.py), writes them to a temporary folder with the
city plan, and times `build_graph` on that folder: reading, parsing, extraction, alignment and
graph assembly, the path `plangraph build` takes. Before timing, a build of the city plan and
one child warms the one-off costs (jieba's dictionary, the lexicons, OpenCC), which are not
per-plan cost. Reported per N: the median of `repeats` builds, seconds per child, the time of
each stage, peak RSS (ru_maxrss of the worker) and the RSS before the build, the graph's size,
and the alignment's precision/recall/F1 against the generator's known truth.

Linear growth is judged on the two largest sizes: time(N_big)/time(N_small) must stay within
1.2 x N_big/N_small (for 100 -> 1000: at most 12).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PARENT = ROOT / "data" / "plans" / "shanghai_2023-2025_manufacturing.txt"
FULL_SIZES = (1, 10, 100, 1000)
QUICK_SIZES = (1, 5, 20)
LINEAR_SLACK = 1.2  # allowed excess over proportional growth between the two largest sizes


def _rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_one(n: int, seed: int = 0, repeats: int = 1) -> dict[str, Any]:
    """Generate, build `repeats` times and score, in this process. Used by the worker."""
    from benchmarks.corpus import generate_children, score_alignments, write_children
    from ingest.build import build_graph
    from ingest.parsing import parse_file

    parent_text = PARENT.read_text(encoding="utf-8")
    children = generate_children(parse_file(PARENT), n, seed)
    with tempfile.TemporaryDirectory(prefix="plangraph-bench-") as tmp:
        folder = Path(tmp) / "plans"
        write_children(children, folder)
        (folder / "aaa_parent.txt").write_text(parent_text, encoding="utf-8")
        warm = Path(tmp) / "warm"
        write_children(children[:1], warm)
        (warm / "aaa_parent.txt").write_text(parent_text, encoding="utf-8")
        build_graph([warm])
        input_bytes = sum(p.stat().st_size for p in folder.iterdir())

        rss_before = _rss_mb()
        times: list[float] = []
        stage_runs: list[dict[str, float]] = []
        result = None
        for _ in range(repeats):
            result = None  # let the previous graph go before the next build
            marks: dict[str, float] = {}

            def progress(stage: str, done: int, total: int, marks=marks) -> None:
                marks.setdefault(stage, time.perf_counter())

            started = time.perf_counter()
            result = build_graph([folder], progress=progress)
            ended = time.perf_counter()
            times.append(ended - started)
            order = sorted(marks.items(), key=lambda item: item[1])
            stage_runs.append(
                {
                    stage: (order[i + 1][1] if i + 1 < len(order) else ended) - at
                    for i, (stage, at) in enumerate(order)
                }
            )
        peak = _rss_mb()
    assert result is not None
    median = statistics.median(times)
    stages = {
        stage: round(statistics.median(run.get(stage, 0.0) for run in stage_runs), 4)
        for stage in stage_runs[0]
    }
    return {
        "n": n,
        "repeats": repeats,
        "seconds": round(median, 4),
        "seconds_all": [round(t, 4) for t in times],
        "ms_per_child": round(1000 * median / n, 2),
        "stages": stages,
        "peak_rss_mb": round(peak, 1),
        "rss_before_build_mb": round(rss_before, 1),
        "input_mb": round(input_bytes / 1e6, 3),
        "nodes": result.graph.number_of_nodes(),
        "relationships": result.graph.number_of_edges(),
        "aligned_children": len(result.alignments),
        "alignment_tasks": score_alignments(result.alignments, children, "tasks"),
        "alignment_measures": score_alignments(result.alignments, children, "measures"),
    }


def run_worker(n: int, seed: int, repeats: int, timeout: float | None = None) -> dict[str, Any]:
    """measure_one(n) in a fresh interpreter; its JSON is the last line of its output."""
    command = [
        sys.executable,
        "-m",
        "benchmarks.build_scaling",
        "--worker",
        str(n),
        "--seed",
        str(seed),
        "--repeats",
        str(repeats),
    ]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    done = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"build benchmark for N={n} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def repeats_for(n: int) -> int:
    # Small builds are noisy, big ones are long: three runs up to 100 plans, one beyond.
    return 3 if n <= 100 else 1


def run(sizes: tuple[int, ...] = FULL_SIZES, seed: int = 0, log=None) -> dict[str, Any]:
    say = log or (lambda message: None)
    results = []
    for n in sizes:
        say(f"build N={n} ...")
        result = run_worker(n, seed, repeats_for(n))
        say(
            f"build N={n}: {result['seconds']:.2f} s, {result['ms_per_child']:.1f} ms/child, "
            f"peak RSS {result['peak_rss_mb']:.0f} MB, task F1 {result['alignment_tasks']['f1']}"
        )
        results.append(result)
    return {"sizes": list(sizes), "seed": seed, "runs": results, **linearity(results)}


def linearity(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Growth between the two largest sizes against proportional growth."""
    if len(results) < 2:
        return {"growth": None, "growth_limit": None, "linear": None}
    small, big = results[-2], results[-1]
    growth = big["seconds"] / small["seconds"] if small["seconds"] else float("inf")
    limit = LINEAR_SLACK * big["n"] / small["n"]
    return {
        "growth": {"from": small["n"], "to": big["n"], "time_ratio": round(growth, 3)},
        "growth_limit": round(limit, 3),
        "linear": growth <= limit,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(FULL_SIZES))
    parser.add_argument("--quick", action="store_true", help=f"sizes {QUICK_SIZES}")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker is not None:
        print(json.dumps(measure_one(args.worker, args.seed, args.repeats), ensure_ascii=False))
        return
    sizes = QUICK_SIZES if args.quick else tuple(args.sizes)
    report = run(sizes, args.seed, log=lambda m: print(m, file=sys.stderr, flush=True))
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
