"""Every view on both engines: latency per call, and opening the embedded database.

    python -m benchmarks.view_latency [--rounds 30] [--warmup 3] [--children 0] [--json]

Builds the bundled plans (with `--children N`, also N generated district plans implementing
the city plan, from benchmarks/corpus.py), writes the embedded database, loads the same graph
into the local Neo4j (scripts/neo4j-local; NEO4J_* from the environment or the local server),
then times
`run_view` for each case of the parity suite on both stores through the same `BaseStore`
code: parameter checks, name resolution, the query, the header's ordering. Prints a markdown
table of median and p99 milliseconds per view on each engine and the embedded median's ratio
to Neo4j's measured in the same run, then the time to open the database read-only (what
`plangraph serve` does before it answers) and to write it (what `plangraph build` adds).

Without Neo4j the embedded column is still measured and the ratio left out.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from schema.paths import DEFAULT_PLANS_DIR

# Names that stay unique when generated district plans join the bundled pair.
UNIQUE = {"松江区": "沪松府〔2023〕138号", "上海市": "沪府办发〔2023〕8号", "区经委": "松江区经委"}


def _timed(call: Callable[[], Any], rounds: int, warmup: int) -> list[float]:
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def _summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return {"median_ms": round(statistics.median(ordered), 2), "p99_ms": round(p99, 2)}


def _graph(children: int):
    from ingest.build import build_graph

    files = sorted(DEFAULT_PLANS_DIR.glob("*.txt"))
    if children:
        from benchmarks.corpus import generate_children, write_children

        city = DEFAULT_PLANS_DIR / "shanghai_2023-2025_manufacturing.txt"
        folder = Path(tempfile.mkdtemp(prefix="plangraph-views-"))
        files += write_children(generate_children(city, children), folder)
    return build_graph(files).graph


def _neo4j_store(graph):
    """The local Neo4j loaded with `graph`, or None (with the reason) when there is none."""
    try:
        from neo4j import GraphDatabase

        from ingest.neo4j_load import load
        from queries.neo4j_store import Neo4jStore

        if not os.environ.get("NEO4J_PASSWORD"):
            from plangraph.local_neo4j import ensure_neo4j_running, neo4j_settings

            ensure_neo4j_running()
            os.environ.update(neo4j_settings())
        driver = GraphDatabase.driver(
            os.environ["NEO4J_URI"],
            auth=(os.environ.get("NEO4J_USER", "neo4j"), os.environ["NEO4J_PASSWORD"]),
        )
        load(graph, driver)
        return Neo4jStore(driver, owns_driver=True), None
    except Exception as error:  # any failure to have a server means: embedded only
        return None, str(error).splitlines()[0]


def measure(rounds: int, warmup: int, children: int) -> dict[str, Any]:
    from queries.embedded_store import EmbeddedStore
    from schema.embedded_db import open_database, write_database
    from tests.queries.test_parity import CASES

    graph = _graph(children)
    path = Path(tempfile.mkdtemp(prefix="plangraph-views-")) / "plangraph.lbdb"
    write = _timed(lambda: write_database(graph, path), max(3, rounds // 10), 1)
    opening = _timed(lambda: open_database(path).close(), rounds, warmup)
    embedded = EmbeddedStore.open(path)
    neo4j, why_not = _neo4j_store(graph)
    views: dict[str, Any] = {}
    try:
        for view, cases in CASES.items():
            # Generated children share the bundled district's region and bureau names.
            params = {k: UNIQUE.get(v, v) for k, v in cases[0].items()}
            row: dict[str, Any] = {"params": params}
            for name, store in (("embedded", embedded), ("neo4j", neo4j)):
                if store is None:
                    continue
                call = functools.partial(store.run_view, view, params)
                row[name] = _summary(_timed(call, rounds, warmup))
            if neo4j is not None:
                row["ratio"] = round(row["embedded"]["median_ms"] / row["neo4j"]["median_ms"], 2)
            views[view] = row
    finally:
        embedded.close()
        if neo4j is not None:
            neo4j.close()
    return {
        "nodes": graph.number_of_nodes(),
        "relationships": graph.number_of_edges(),
        "database_bytes": path.stat().st_size,
        "write": _summary(write),
        "open": _summary(opening),
        "views": views,
        "neo4j": why_not or "loaded",
        "rounds": rounds,
    }


def table(report: dict[str, Any]) -> str:
    lines = [
        f"Graph: {report['nodes']} nodes, {report['relationships']} relationships; "
        f"database file {report['database_bytes'] / 1e6:.1f} MB, written in "
        f"{report['write']['median_ms']:.0f} ms (median), opened read-only in "
        f"{report['open']['median_ms']:.1f} ms (median; p99 {report['open']['p99_ms']:.1f} ms). "
        f"{report['rounds']} calls per view; Neo4j: {report['neo4j']}.",
        "",
        "| view | embedded median ms | embedded p99 ms | Neo4j median ms | Neo4j p99 ms "
        "| embedded / Neo4j |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for view, row in report["views"].items():
        neo = row.get("neo4j", {})
        lines.append(
            f"| {view} | {row['embedded']['median_ms']} | {row['embedded']['p99_ms']} "
            f"| {neo.get('median_ms', '–')} | {neo.get('p99_ms', '–')} | {row.get('ratio', '–')} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--children", type=int, default=0, help="generated district plans")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    report = measure(args.rounds, args.warmup, args.children)
    print(json.dumps(report, ensure_ascii=False) if args.json else table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
