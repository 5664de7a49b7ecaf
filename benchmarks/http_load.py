"""A lean HTTP/1.1 load client: N keep-alive connections on raw asyncio sockets, one process.

    python -m benchmarks.http_load --port 18000 --clients 32 --seconds 10 --warmup 1 \\
        --server-pid PID [--also-pid PID] /health /plans/松江区/alignment ...

Each client owns one connection and sends the paths in turn (client i starts at path i), one
request at a time, for `warmup` seconds unmeasured and then `seconds` measured. It prints one
JSON object: per path the latencies' median and p99 and the count, the statuses seen, and for
the measured window the CPU seconds of the server (`/proc/<pid>/stat`, every thread), its
context switches and this client's own CPU, so a report can show the client costs less than
the server. No HTTP library on the hot path: a request is pre-encoded bytes, a response is
parsed only as far as its status and Content-Length (every answer measured has one).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far, all threads (fields 14 and 15 of stat)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def context_switches(pid: int) -> int:
    """Voluntary and involuntary context switches of every thread of a process so far."""
    total = 0
    for status in Path(f"/proc/{pid}/task").glob("*/status"):
        try:
            for line in status.read_text().splitlines():
                if "ctxt_switches:" in line:  # voluntary and nonvoluntary
                    total += int(line.split()[1])
        except (OSError, ValueError):  # a thread that ended meanwhile
            continue
    return total


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Connection(asyncio.Protocol):
    """One keep-alive connection; `request` sends bytes and resolves to the status code."""

    def __init__(self) -> None:
        self.transport: Any = None  # asyncio's or uvloop's transport
        self.buffer = bytearray()
        self.waiter: asyncio.Future[int] | None = None
        self.lost: BaseException | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport

    def connection_lost(self, exc: BaseException | None) -> None:
        self.lost = exc or ConnectionResetError("closed by the server")
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(self.lost)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0 or self.waiter is None:
            return
        head = bytes(self.buffer[:end]).lower()
        length = 0
        at = head.find(b"\r\ncontent-length:")
        if at >= 0:
            line_end = head.find(b"\r\n", at + 2)
            length = int(head[at + 17 : line_end if line_end >= 0 else None])
        if len(self.buffer) < end + 4 + length:
            return
        status = int(head[9:12])
        del self.buffer[: end + 4 + length]
        waiter, self.waiter = self.waiter, None
        if not waiter.done():
            waiter.set_result(status)

    async def request(self, payload: bytes) -> int:
        if self.lost is not None or self.transport is None:
            raise ConnectionResetError("connection closed")
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(payload)
        return await self.waiter


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    index = max(0, min(len(sorted_values) - 1, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


def summary_ms(samples: list[float]) -> dict[str, Any]:
    ordered = sorted(samples)
    if not ordered:
        return {"count": 0, "median_ms": None, "p99_ms": None}
    return {
        "count": len(ordered),
        "median_ms": round(percentile(ordered, 0.5) * 1000, 3),
        "p99_ms": round(percentile(ordered, 0.99) * 1000, 3),
    }


async def run(
    host: str,
    port: int,
    paths: list[str],
    clients: int,
    seconds: float,
    warmup: float,
    pids: dict[str, int],
) -> dict[str, Any]:
    loop = asyncio.get_running_loop()
    payloads = [
        f"GET {quote(path, safe='/?=&%:')} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode()
        for path in paths
    ]
    connections = []
    for _ in range(clients):
        _, protocol = await loop.create_connection(Connection, host, port)
        connections.append(protocol)
    latencies: list[list[float]] = [[] for _ in paths]
    statuses: dict[str, int] = {}
    started = time.perf_counter()
    measure_from = started + warmup
    measure_to = measure_from + seconds
    marks: dict[str, dict[str, float]] = {}

    async def mark_window() -> None:
        # Resource readings at the measured window's edges, taken on the loop, off the clients.
        await asyncio.sleep(max(0.0, measure_from - time.perf_counter()))
        marks["start"] = _readings(pids)
        await asyncio.sleep(max(0.0, measure_to - time.perf_counter()))
        marks["end"] = _readings(pids)

    async def client(index: int, connection: Connection) -> None:
        turn = index
        while True:
            which = turn % len(paths)
            turn += 1
            began = time.perf_counter()
            if began >= measure_to:
                return
            try:
                status = await connection.request(payloads[which])
                outcome = str(status)
            except (OSError, ValueError) as error:
                outcome = type(error).__name__
                statuses[outcome] = statuses.get(outcome, 0) + 1
                return  # this connection is gone
            if began >= measure_from:
                statuses[outcome] = statuses.get(outcome, 0) + 1
                if outcome == "200":
                    latencies[which].append(time.perf_counter() - began)

    await asyncio.gather(mark_window(), *(client(i, c) for i, c in enumerate(connections)))
    for connection in connections:
        if connection.transport is not None:
            connection.transport.close()
    measured = sum(len(samples) for samples in latencies)
    result: dict[str, Any] = {
        "clients": clients,
        "seconds": seconds,
        "requests": measured,
        "requests_per_s": round(measured / seconds, 1),
        "statuses": statuses,
        "all": summary_ms([s for samples in latencies for s in samples]),
        "paths": {
            path: summary_ms(samples) for path, samples in zip(paths, latencies, strict=True)
        },
    }
    if "start" in marks and "end" in marks and measured:
        for name, value in marks["end"].items():
            spent = value - marks["start"][name]
            per = spent / measured
            if name.endswith("cpu"):
                result[f"{name}_ms_per_request"] = round(per * 1000, 4)
            else:
                result[f"{name}_per_request"] = round(per, 2)
    return result


def _readings(pids: dict[str, int]) -> dict[str, float]:
    readings = {"client_cpu": own_cpu_seconds()}
    for name, pid in pids.items():
        try:
            readings[f"{name}_cpu"] = cpu_seconds(pid)
            readings[f"{name}_context_switches"] = float(context_switches(pid))
        except OSError:  # the process is gone: its figures are simply left out
            continue
    return readings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--server-pid", type=int, help="the server process, for its CPU")
    parser.add_argument("--also-pid", type=int, help="another process to account (Neo4j)")
    args = parser.parse_args(argv)
    pids = {}
    if args.server_pid:
        pids["server"] = args.server_pid
    if args.also_pid:
        pids["database"] = args.also_pid
    try:
        import uvloop  # the client's own overhead, kept as low as the server's

        runner = uvloop.run
    except ImportError:
        runner = asyncio.run
    result = runner(
        run(args.host, args.port, args.paths, args.clients, args.seconds, args.warmup, pids)
    )
    json.dump(result, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
