"""Batched loader vs one-row-per-transaction loader, on the same graph, into the local Neo4j.

    eval "$(scripts/neo4j-local env)"
    python -m benchmarks.load_neo4j                    # bundled plans + 10 generated districts
    python -m benchmarks.load_neo4j --districts 0 --repeats 5 --batch-size 1000

The graph is the bundled city and district plans plus `--districts` generated district plans
(benchmarks/corpus.py), built by the real pipeline. Each loader runs `--repeats` times; the
medians, their ratio and nodes/s and relationships/s are printed (and `--json` writes them).
Credentials come from NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD. The load replaces the
plangraph graph in that database; load the graph you want back afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

from neo4j import GraphDatabase

from ingest.build import build_graph
from ingest.neo4j_load import load, load_naive

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "data" / "plans"
CITY = PLANS / "shanghai_2023-2025_manufacturing.txt"


def bench_graph(districts: int, seed: int = 0):
    if districts <= 0:
        return build_graph([PLANS]).graph
    from benchmarks.corpus import generate_children, write_children
    from ingest.parsing import parse_file

    with tempfile.TemporaryDirectory() as folder:
        children = generate_children(parse_file(CITY), districts, seed)
        files = write_children(children, Path(folder))
        return build_graph([*sorted(PLANS.glob("*.txt")), *files]).graph


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--districts", type=int, default=10, help="generated district plans")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--database", default=None)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)

    try:
        uri, user = os.environ["NEO4J_URI"], os.environ.get("NEO4J_USER", "neo4j")
        password = os.environ["NEO4J_PASSWORD"]
    except KeyError as missing:
        print(f'set {missing.args[0]} (eval "$(scripts/neo4j-local env)")', file=sys.stderr)
        return 2

    graph = bench_graph(args.districts)
    nodes, rels = graph.number_of_nodes(), graph.number_of_edges()
    print(f"graph: {nodes} nodes, {rels} relationships ({args.districts} generated districts)")
    results: dict[str, list[float]] = {"batched": [], "naive": []}
    with GraphDatabase.driver(uri, auth=(user, password)) as driver:
        load(graph, driver, database=args.database)  # warm up: schema, caches, JIT
        for run in range(args.repeats):
            for name in ("batched", "naive"):
                if name == "batched":
                    report = load(graph, driver, args.database, batch_size=args.batch_size)
                else:
                    report = load_naive(graph, driver, args.database)
                results[name].append(report.seconds)
                print(f"  run {run + 1} {name:8s} {report.seconds:8.3f} s "
                      f"({report.transactions} transactions)")  # fmt: skip

    summary = {"nodes": nodes, "relationships": rels, "batch_size": args.batch_size}
    for name, times in results.items():
        median = statistics.median(times)
        summary[name] = {
            "median_seconds": round(median, 4),
            "nodes_per_second": round(nodes / median, 1),
            "relationships_per_second": round(rels / median, 1),
            "runs": [round(t, 4) for t in times],
        }
    ratio = summary["naive"]["median_seconds"] / summary["batched"]["median_seconds"]
    summary["speedup"] = round(ratio, 2)
    for name in results:
        s = summary[name]
        print(f"{name:8s} median {s['median_seconds']:8.3f} s  "
              f"{s['nodes_per_second']:10.1f} nodes/s  "
              f"{s['relationships_per_second']:10.1f} rels/s")  # fmt: skip
    print(f"batched is {ratio:.1f}x faster than one row per transaction")
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
