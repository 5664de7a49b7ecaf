"""Server latency against the stack's floor, measured from outside the server.

    python -m benchmarks.server_latency [--stores embedded,neo4j] [--clients 1,32]
                                        [--seconds 5] [--warmup 1] [--rounds 3]
                                        [--port 18000] [--json]

For each store it starts the API (one uvicorn process each, the options `plangraph serve`
uses: `api.app.server_options`) twice, with the answer cache and without it (uncached: every
request composes its answer from the store), and the floor: the same uvicorn serving the very
same answer bytes per path from a dict, with no framework, so the ratio to the floor is what
the API adds. All servers run at once; each round loads each in turn (rotating the order), and
every figure is the median over rounds, the ratio taken to the floor of the same round, so
the machine's other load falls on all of them alike. Load comes from `benchmarks.http_load`,
a separate process with raw keep-alive sockets (1 and 32 connections); it reads the server's
CPU (and Neo4j's) per request from /proc. The report: median and p99 per path and overall,
requests/s, CPU ms per request of server, database and client, context switches per request,
and p99 / floor p99.

Neo4j: the server reads NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD (else scripts/neo4j-local's
settings) and the bundled graph must be loaded (`plangraph load-neo4j`); an empty graph is
refused. The embedded database is built from the bundled plans into a temporary folder.

The machine's other load shows in every figure; compare the ratios, not the milliseconds.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

ROOT = Path(__file__).resolve().parent.parent
PATHS = (
    "/views/tasks_by_agency?agency=区经委",
    "/plans/松江区/alignment",
    "/tasks?q=集成电路",
    "/health",
)
STARTUP_TIMEOUT = 180.0


# -- the servers (run in their own process: `python -m benchmarks.server_latency serve …`) ----


def _floor_app(bodies: dict[str, bytes]) -> Any:
    """The least an ASGI app can do: the answer's bytes for its path, from a dict."""
    headers = [(b"content-type", b"application/json")]

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return  # lifespan: nothing to start
        query = scope["query_string"]
        body = bodies.get(scope["path"] + ("?" + unquote(query.decode()) if query else ""), b"{}")
        length = (b"content-length", str(len(body)).encode())
        await send({"type": "http.response.start", "status": 200, "headers": [*headers, length]})
        await send({"type": "http.response.body", "body": body})

    return app


def serve(kind: str, port: int, store: str, db: Path | None, bodies: Path | None) -> None:
    import uvicorn

    from api.app import create_app, server_options

    if kind == "floor":
        assert bodies is not None
        loaded = json.loads(bodies.read_text())
        app: Any = _floor_app({path: body.encode() for path, body in loaded.items()})
    else:
        from queries.settings import Settings, open_store

        settings = Settings(store=store, database=db) if db else Settings(store=store)
        app = create_app(
            lambda: open_store(settings),
            store_kind=store,
            answer_cache_bytes=0 if kind == "uncached" else 64 * 1024 * 1024,
        )
    uvicorn.run(app, host="127.0.0.1", port=port, **server_options())


# -- driving ---------------------------------------------------------------------------------


def _neo4j_env() -> dict[str, str]:
    if os.environ.get("NEO4J_PASSWORD"):
        return {}
    from plangraph.local_neo4j import neo4j_settings

    return neo4j_settings()


def _neo4j_pid() -> int | None:
    """The pid of scripts/neo4j-local's server (its home honours PLANGRAPH_NEO4J_HOME)."""
    from plangraph.local_neo4j import neo4j_home

    try:
        return int((neo4j_home() / "run" / "neo4j-local.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _url(port: int, path: str) -> str:
    return f"http://127.0.0.1:{port}{quote(path, safe='/?=&%:')}"


def _get(port: int, path: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(_url(port, path), timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class Server:
    def __init__(self, kind: str, port: int, store: str, db: Path | None, bodies: Path | None):
        command = [sys.executable, "-m", "benchmarks.server_latency", "serve", kind,
                   "--port", str(port), "--store", store]  # fmt: skip
        if db is not None:
            command += ["--db", str(db)]
        if bodies is not None:
            command += ["--bodies", str(bodies)]
        env = os.environ.copy()
        if store == "neo4j":
            env.update(_neo4j_env())
        self.port = port
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT
        )

    def wait_ready(self) -> None:
        started = time.monotonic()
        while time.monotonic() - started < STARTUP_TIMEOUT:
            if self.process.poll() is not None:
                self.log.seek(0)
                raise SystemExit(f"the server exited early:\n{self.log.read().decode()[-3000:]}")
            try:
                if _get(self.port, "/health")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise SystemExit(f"no healthy answer within {STARTUP_TIMEOUT:.0f}s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()

    def __enter__(self) -> Server:
        try:
            self.wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


def load(
    port: int, pid: int, clients: int, seconds: float, warmup: float, also: int | None
) -> dict[str, Any]:
    command = [sys.executable, "-m", "benchmarks.http_load", "--port", str(port),
               "--clients", str(clients), "--seconds", str(seconds), "--warmup", str(warmup),
               "--server-pid", str(pid), *PATHS]  # fmt: skip
    if also:
        command += ["--also-pid", str(also)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"the load client failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


def measure(args: argparse.Namespace) -> dict[str, Any]:
    """Every server up at once, then rounds of load that visit each in turn (in a rotating
    order), so the machine's other load falls on all of them alike; figures are the median
    over rounds, and each run's ratio is to the floor of the same round."""
    work = Path(tempfile.mkdtemp(prefix="plangraph-server-bench-"))
    rounds: list[dict[str, Any]] = []
    try:
        db = work / "plangraph.lbdb"
        subprocess.run(
            [sys.executable, "-m", "plangraph", "build", "--db", str(db)],
            cwd=ROOT, check=True, capture_output=True, text=True,
        )  # fmt: skip
        bodies_file = work / "bodies.json"
        plan = [(kind, store) for store in args.stores for kind in ("cached", "uncached")]
        plan.append(("floor", "embedded"))  # last: it serves the answers the first one gave
        with contextlib.ExitStack() as stack:
            servers = []
            for offset, (kind, store) in enumerate(plan):
                port = args.port + offset
                bodies = bodies_file if kind == "floor" else None
                server = stack.enter_context(
                    Server(kind, port, store, db if store == "embedded" else None, bodies)
                )
                if kind != "floor":
                    _check_answers(port, store, bodies_file)
                servers.append((kind, store, server))
            for turn in range(args.rounds):
                order = servers[turn % len(servers) :] + servers[: turn % len(servers)]
                for clients in args.clients:
                    for kind, store, server in order:
                        also = _neo4j_pid() if store == "neo4j" and kind != "floor" else None
                        result = load(
                            server.port, server.process.pid, clients, args.seconds,
                            args.warmup, also,
                        )  # fmt: skip
                        rounds.append({"server": kind, "store": store, "round": turn, **result})
                        _progress(rounds[-1])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {
        "paths": list(PATHS),
        "seconds": args.seconds,
        "warmup": args.warmup,
        "rounds": args.rounds,
        "load_average": os.getloadavg(),
        "cpus": os.cpu_count(),
        "runs": summarise(rounds),
        "each_round": rounds,
    }


def _check_answers(port: int, store: str, bodies_file: Path) -> None:
    answers = {path: _get(port, path) for path in PATHS}
    bad = {path: status for path, (status, _) in answers.items() if status != 200}
    if bad:
        raise SystemExit(f"{store}: not every path answers 200: {bad}")
    if not json.loads(answers["/health"][1]).get("tasks"):
        raise SystemExit(f"the {store} store holds no tasks; load the graph first")
    if not bodies_file.exists():
        bodies_file.write_text(json.dumps({p: b.decode() for p, (_, b) in answers.items()}))


FIGURES = (
    "requests_per_s",
    "p99_vs_floor",
    "median_vs_floor",
    "server_cpu_ms_per_request",
    "database_cpu_ms_per_request",
    "client_cpu_ms_per_request",
    "server_context_switches_per_request",
)


def summarise(rounds: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One run per (store, answers, clients): the median over rounds of every figure."""
    floors = {(r["round"], r["clients"]): r for r in rounds if r["server"] == "floor"}
    for run in rounds:
        floor = floors.get((run["round"], run["clients"]))
        if run["server"] != "floor" and floor and floor["all"]["p99_ms"] and run["all"]["p99_ms"]:
            run["p99_vs_floor"] = run["all"]["p99_ms"] / floor["all"]["p99_ms"]
            run["median_vs_floor"] = run["all"]["median_ms"] / floor["all"]["median_ms"]
    groups: dict[tuple[str, str, int], list[dict[str, Any]]] = {}
    for run in rounds:
        groups.setdefault((run["store"], run["server"], run["clients"]), []).append(run)
    summary = []
    for (store, kind, clients), runs in groups.items():
        out: dict[str, Any] = {"store": store, "server": kind, "clients": clients,
                               "rounds": len(runs)}  # fmt: skip
        statuses: dict[str, int] = {}
        for run in runs:
            for status, count in run["statuses"].items():
                statuses[status] = statuses.get(status, 0) + count
        out["statuses"] = statuses
        out["requests"] = sum(run["requests"] for run in runs)
        for field in FIGURES:
            values = [run[field] for run in runs if run.get(field) is not None]
            if values:
                out[field] = round(statistics.median(values), 4 if "cpu" in field else 2)
        out["all"] = _median_summary([run["all"] for run in runs])
        out["paths"] = {
            path: _median_summary([run["paths"][path] for run in runs]) for path in runs[0]["paths"]
        }
        summary.append(out)
    return summary


def _median_summary(summaries: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {"count": sum(s["count"] for s in summaries)}
    for field in ("median_ms", "p99_ms"):
        values = [s[field] for s in summaries if s[field] is not None]
        out[field] = round(statistics.median(values), 3) if values else None
    return out


def _progress(run: dict[str, Any]) -> None:
    print(
        f"  round {run['round'] + 1}: {run['store']:<8} {run['server']:<8} "
        f"{run['clients']:>2} clients: {run['requests_per_s']} req/s, "
        f"p99 {run['all']['p99_ms']} ms",
        file=sys.stderr,
    )


def table(report: dict[str, Any]) -> str:
    """The report as the Markdown table docs/benchmarks.md shows."""
    lines = [
        "| store | answers | clients | req/s | median ms | p99 ms | p99 / floor | server CPU "
        "ms/req | database CPU ms/req | client CPU ms/req | context switches/req |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for run in report["runs"]:
        store = "—" if run["server"] == "floor" else run["store"]
        lines.append(
            f"| {store} | {run['server']} | {run['clients']} | {run['requests_per_s']:,} | "
            f"{run['all']['median_ms']} | {run['all']['p99_ms']} | "
            f"{run.get('p99_vs_floor', '—')} | {run.get('server_cpu_ms_per_request', '—')} | "
            f"{run.get('database_cpu_ms_per_request', '—')} | "
            f"{run.get('client_cpu_ms_per_request', '—')} | "
            f"{run.get('server_context_switches_per_request', '—')} |"
        )
    lines += ["", "| store | answers | clients | path | median ms | p99 ms |"]
    lines += ["|---|---|---|---|---|---|"]
    for run in report["runs"]:
        if run["server"] == "floor":
            continue
        for path, stats in run["paths"].items():
            lines.append(
                f"| {run['store']} | {run['server']} | {run['clients']} | `{path}` | "
                f"{stats['median_ms']} | {stats['p99_ms']} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["serve"]:
        parser = argparse.ArgumentParser(prog="benchmarks.server_latency serve")
        parser.add_argument("kind", choices=("cached", "uncached", "floor"))
        parser.add_argument("--port", type=int, required=True)
        parser.add_argument("--store", choices=("embedded", "neo4j"), default="embedded")
        parser.add_argument("--db", type=Path)
        parser.add_argument("--bodies", type=Path)
        served = parser.parse_args(argv[1:])
        serve(served.kind, served.port, served.store, served.db, served.bodies)
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stores", default="embedded,neo4j", help="comma-separated")
    parser.add_argument("--clients", default="1,32", help="comma-separated connection counts")
    parser.add_argument("--seconds", type=float, default=5.0, help="measured, per run")
    parser.add_argument("--warmup", type=float, default=1.0, help="unmeasured, per run")
    parser.add_argument("--rounds", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--port", type=int, default=18000, help="the first of 5 ports")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    args.stores = [s for s in args.stores.split(",") if s]
    args.clients = [int(c) for c in args.clients.split(",") if c]
    if unknown := set(args.stores) - {"embedded", "neo4j"}:
        parser.error(f"unknown store(s): {', '.join(sorted(unknown))}")
    report = measure(args)
    print(json.dumps(report, ensure_ascii=False) if args.json else table(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
