"""How fast the parser reads the bundled plans: median ms per plan and MB/s.

    python -m benchmarks.parse_throughput [--rounds N]

Decoding is included (parse_file), so the number is what `plangraph parse` pays per file.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from ingest.parsing import parse_file

PLANS = Path(__file__).resolve().parent.parent / "data" / "plans"


def measure(paths: list[Path], rounds: int) -> dict[str, float]:
    for path in paths:  # warm caches (the opencc character table, regexes)
        parse_file(path)
    per_plan_ms: list[float] = []
    total_bytes = sum(path.stat().st_size for path in paths)
    round_seconds: list[float] = []
    for _ in range(rounds):
        started = time.perf_counter()
        for path in paths:
            t0 = time.perf_counter()
            parse_file(path)
            per_plan_ms.append((time.perf_counter() - t0) * 1000)
        round_seconds.append(time.perf_counter() - started)
    median_round = statistics.median(round_seconds)
    return {
        "plans": len(paths),
        "rounds": rounds,
        "median_ms_per_plan": statistics.median(per_plan_ms),
        "mb_per_s": total_bytes / median_round / 1e6,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    paths = sorted(PLANS.glob("*.txt"))
    result = measure(paths, args.rounds)
    print(
        f"{result['plans']} plans x {result['rounds']} rounds: "
        f"median {result['median_ms_per_plan']:.2f} ms per plan, "
        f"{result['mb_per_s']:.2f} MB/s"
    )


if __name__ == "__main__":
    main()
