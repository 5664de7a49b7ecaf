"""How aligning many child plans to one parent scales: `python -m benchmarks.align_scaling`.

The parent is prepared once (`prepare_parent`); N deterministic variants of the bundled
district plan (tasks shuffled within their groups, about one in eight dropped) are then aligned
against it. Each N is timed `--repeats` times; the median is printed, with the time per child
and time(1000)/time(100), which is about 10 when align is linear in the number of children.
Variants are built before timing, and tokenising is *not* cached across children: each child
pays its own jieba cost, as a different district's text would.
"""

from __future__ import annotations

import argparse
import copy
import random
import statistics
import time
from pathlib import Path

from ingest.alignment import align, prepare_parent
from ingest.model import Plan

ROOT = Path(__file__).resolve().parents[1]
PARENT = ROOT / "data" / "plans" / "shanghai_2023-2025_manufacturing.txt"
CHILD = ROOT / "data" / "plans" / "songjiang_2023-2025_manufacturing.txt"


def load(path: Path) -> Plan:
    try:
        from ingest.pipeline import load_plan
    except ImportError:  # entity extraction not available: parsed text is enough to align
        from ingest.parsing import parse_file as load_plan
    return load_plan(path)


def variants(child: Plan, n: int, seed: int = 0) -> list[Plan]:
    """n different, reproducible copies of `child`."""
    out = []
    for k in range(n):
        rng = random.Random(seed * 1_000_003 + k)
        plan = copy.deepcopy(child)
        for action in plan.actions:
            rng.shuffle(action.tasks)
            kept = [t for t in action.tasks if rng.random() >= 0.125]
            action.tasks = kept or action.tasks[:1]
        out.append(plan)
    return out


def main(argv: list[str] | None = None) -> dict[int, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100, 1000])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)

    parent, child = load(PARENT), load(CHILD)
    started = time.perf_counter()
    index = prepare_parent(parent)
    prepare = time.perf_counter() - started
    align(child, index)  # warm-up: jieba's dictionary load is not per-child cost
    print(f"prepare_parent: {prepare:.3f} s (once)")
    print(f"{'N':>6} {'median s':>10} {'ms/child':>10}")
    medians: dict[int, float] = {}
    for n in args.sizes:
        children = variants(child, n)
        times = []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            for plan in children:
                align(plan, index)
            times.append(time.perf_counter() - t0)
        medians[n] = statistics.median(times)
        print(f"{n:>6} {medians[n]:>10.3f} {1000 * medians[n] / n:>10.2f}")
    if 100 in medians and 1000 in medians:
        print(f"time(1000)/time(100) = {medians[1000] / medians[100]:.2f} (linear: 10)")
    return medians


if __name__ == "__main__":
    main()
