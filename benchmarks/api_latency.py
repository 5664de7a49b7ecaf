"""API latency under concurrent load, end to end through `plangraph serve`.

Its httpx client spends more CPU per request than the server does, so its latencies are
mostly the client's; `benchmarks.server_latency` measures the server (a lean client in its own
process, server CPU from /proc, and the floor of the stack in the same run). This one stays for
`benchmarks.run`'s start-up time and error counts.

    python -m benchmarks.api_latency [--store embedded|neo4j] [--seconds 30] [--clients 32]
                                     [--db PATH] [--json]

Starts `plangraph serve` in a subprocess on a free port, times how long until /health first
answers 200 (start-up: building or loading the graph, opening the store, importing jieba),
then drives three endpoints analysts hit most with N concurrent clients for S seconds, and
reports per endpoint the median and p99 latency, requests per second and errors (any answer
other than 200, or no answer), with their kinds. The clients share one asyncio loop, so the
client side costs little next to the server.

For --store neo4j the server reads NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD (else the local
server's settings from scripts/neo4j-local env) and the graph must already be loaded
(`plangraph load`); the benchmark refuses to run on an empty graph.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
ENDPOINTS = (
    "/views/tasks_by_agency?agency=区经委",
    "/plans/松江区/alignment",
    "/tasks?q=集成电路",
)
STARTUP_TIMEOUT = 180.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _neo4j_env() -> dict[str, str]:
    if os.environ.get("NEO4J_PASSWORD"):
        return {}
    from plangraph.local_neo4j import neo4j_settings

    return neo4j_settings()


def start_server(store: str, port: int, database: Path | None) -> subprocess.Popen:
    command = [sys.executable, "-m", "plangraph", "serve", "--store", store, "--port", str(port)]
    if database is not None:
        command += ["--db", str(database)]
    env = os.environ.copy()
    if store == "neo4j":
        env.update(_neo4j_env())
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )


def wait_healthy(base: str, process: subprocess.Popen, started: float) -> tuple[float, dict]:
    with httpx.Client(base_url=base, timeout=5.0) as client:
        while time.monotonic() - started < STARTUP_TIMEOUT:
            if process.poll() is not None:
                raise SystemExit(f"plangraph serve exited early:\n{process.stderr.read()}")
            try:
                response = client.get("/health")
                if response.status_code == 200:
                    return time.monotonic() - started, response.json()
            except httpx.TransportError:
                pass
            time.sleep(0.05)
    raise SystemExit(f"no healthy answer within {STARTUP_TIMEOUT:.0f}s")


async def drive(base: str, clients: int, seconds: float) -> dict[str, dict[str, Any]]:
    latencies: dict[str, list[float]] = {path: [] for path in ENDPOINTS}
    errors: dict[str, dict[str, int]] = {path: {} for path in ENDPOINTS}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    deadline = time.monotonic() + seconds

    async def client_loop(client: httpx.AsyncClient, offset: int) -> None:
        turn = offset
        while time.monotonic() < deadline:
            path = ENDPOINTS[turn % len(ENDPOINTS)]
            turn += 1
            began = time.perf_counter()
            try:
                response = await client.get(path)
                outcome = str(response.status_code)
            except httpx.HTTPError as error:
                outcome = type(error).__name__
            if outcome == "200":
                latencies[path].append(time.perf_counter() - began)
            else:
                errors[path][outcome] = errors[path].get(outcome, 0) + 1

    async with httpx.AsyncClient(base_url=base, timeout=30.0, limits=limits) as client:
        await asyncio.gather(*(client_loop(client, i) for i in range(clients)))

    report = {}
    for path in ENDPOINTS:
        samples = sorted(latencies[path])
        report[path] = {
            "requests": len(samples) + sum(errors[path].values()),
            "errors": sum(errors[path].values()),
            "error_kinds": errors[path],  # status code or exception name -> count
            "median_ms": round(statistics.median(samples) * 1000, 2) if samples else None,
            "p99_ms": round(samples[min(len(samples) - 1, int(len(samples) * 0.99))] * 1000, 2)
            if samples
            else None,
            "requests_per_s": round(len(samples) / seconds, 1),
        }
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", choices=("embedded", "neo4j"), default="embedded")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--db", type=Path, help="embedded: serve this database")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)

    database = args.db
    if args.store == "embedded" and database is None:
        # Built before the clock starts: start-up then measures opening the database.
        database = Path(tempfile.mkdtemp(prefix="plangraph-bench-")) / "plangraph.lbdb"
        subprocess.run(
            [sys.executable, "-m", "plangraph", "build", "--db", str(database)],
            cwd=ROOT, check=True, capture_output=True, text=True,
        )  # fmt: skip
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    process = start_server(args.store, port, database)
    try:
        startup, health = wait_healthy(base, process, started)
        if not health.get("tasks"):
            raise SystemExit(f"the {args.store} store holds no tasks; load the graph first")
        endpoints = asyncio.run(drive(base, args.clients, args.seconds))
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()

    result = {
        "store": args.store,
        "clients": args.clients,
        "seconds": args.seconds,
        "startup_s": round(startup, 2),
        "graph": {k: health.get(k) for k in ("plans", "tasks", "agencies", "links")},
        "endpoints": endpoints,
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return 0
    print(
        f"store {args.store}: healthy after {result['startup_s']} s; "
        f"{args.clients} clients for {args.seconds:g} s"
    )
    print(f"{'endpoint':<42} {'median ms':>10} {'p99 ms':>10} {'req/s':>8} {'errors':>7}")
    for path, stats in endpoints.items():
        print(
            f"{path:<42} {stats['median_ms']!s:>10} {stats['p99_ms']!s:>10} "
            f"{stats['requests_per_s']:>8} {stats['errors']:>7}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
