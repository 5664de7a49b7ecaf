"""The build-scaling figure: cost against number of district plans (docs/build-scaling.png).

    python -m benchmarks.plot results.json [--out docs/build-scaling.png]

`results.json` is the output of `python -m benchmarks.run --json` (or of
`python -m benchmarks.build_scaling`). matplotlib is an optional dependency (the `bench` extra);
`plot_build_scaling` raises `PlotUnavailable` without it so callers can skip with a note.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "docs" / "build-scaling.png"


class PlotUnavailable(RuntimeError):
    """matplotlib is not installed."""


def plot_build_scaling(build: dict[str, Any], out: Path = DEFAULT_OUT) -> Path:
    """Draw time (total and per stage) and peak memory against N; return the written path."""
    try:
        import matplotlib

        matplotlib.use("Agg")  # no display on CI machines
        import matplotlib.pyplot as plt
    except ImportError as error:
        raise PlotUnavailable(
            "matplotlib is not installed (pip install 'plangraph[bench]'); plot skipped"
        ) from error

    runs = sorted(build["runs"], key=lambda r: r["n"])
    sizes = [r["n"] for r in runs]
    fig, (ax_time, ax_mem) = plt.subplots(1, 2, figsize=(11, 4.2), dpi=120)

    ax_time.plot(sizes, [r["seconds"] for r in runs], "o-", color="black", lw=2, label="total")
    for stage, colour in (
        ("Parsing plans", "tab:blue"),
        ("Aligning plans", "tab:orange"),
        ("Building graph", "tab:green"),
    ):
        values = [r["stages"].get(stage) for r in runs]
        if all(v is not None for v in values):
            ax_time.plot(sizes, values, ".--", color=colour, label=stage.lower())
    # Proportional growth through the largest-but-one point: where a linear build would be.
    anchor = runs[-2] if len(runs) > 1 else runs[-1]
    per_child = anchor["seconds"] / anchor["n"]
    ax_time.plot(
        sizes,
        [per_child * n for n in sizes],
        ":",
        color="grey",
        label=f"linear (through N={anchor['n']})",
    )
    ax_time.set_xscale("log")
    ax_time.set_yscale("log")
    ax_time.set_xlabel("district plans built with the city plan (N)")
    ax_time.set_ylabel("seconds (median)")
    growth = build.get("growth")
    title = "Build time: parse + extract + align + graph"
    if growth:
        title += f"\ntime({growth['to']}) / time({growth['from']}) = {growth['time_ratio']}"
    ax_time.set_title(title, fontsize=10)
    ax_time.grid(True, which="both", alpha=0.3)
    ax_time.legend(fontsize=8)

    # What the build itself added on top of the interpreter (jieba, lexicons): on log-log
    # axes, linear growth is a slope-1 line.
    grown = [max(r["peak_rss_mb"] - r["rss_before_build_mb"], 0.1) for r in runs]
    ax_mem.plot(sizes, grown, "o-", color="tab:red", label="peak RSS - RSS before the build")
    mem_anchor = grown[-2] if len(grown) > 1 else grown[-1]
    ax_mem.plot(
        sizes,
        [mem_anchor * n / sizes[max(len(sizes) - 2, 0)] for n in sizes],
        ":",
        color="grey",
        label="linear",
    )
    ax_mem.set_xscale("log")
    ax_mem.set_yscale("log")
    before = runs[-1]["rss_before_build_mb"]
    ax_mem.set_xlabel("district plans built with the city plan (N)")
    ax_mem.set_ylabel("MB")
    f1 = runs[-1]["alignment_tasks"]["f1"]
    ax_mem.set_title(
        f"Build memory (one process per N; {before:.0f} MB before the build)\n"
        f"task alignment F1 at N={sizes[-1]}: {f1}",
        fontsize=10,
    )
    ax_mem.grid(True, which="both", alpha=0.3)
    ax_mem.legend(fontsize=8)

    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out)
    plt.close(fig)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", type=Path)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    data = json.loads(args.results.read_text(encoding="utf-8"))
    build = data.get("build", data)
    try:
        print(plot_build_scaling(build, args.out))
    except PlotUnavailable as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
