"""A TCP relay to the Neo4j server that a test can break like a network: the loader's fault
tests put it between the driver and the server."""

from __future__ import annotations

import contextlib
import socket
import threading
from typing import Any
from urllib.parse import urlparse


class TcpProxy:
    """Relays 127.0.0.1:<port> to the target.

    - `cut()` drops every open connection and refuses new ones (a dead network);
    - `swallow_next_reply()` lets the client's next request through but drops the server's
      answer, then behaves as `cut()`: the request took effect, the client never hears so;
    - `reopen()` accepts new connections again.
    """

    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        self.cut_off = False
        self.swallowing = False
        self.swallowed = threading.Event()
        self._guard = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.cut_off:
                client.close()
                continue
            try:
                server = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            with self._guard:
                self.sockets += [client, server]
            threading.Thread(target=self._pipe, args=(client, server, False), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client, True), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, from_server: bool) -> None:
        try:
            while data := source.recv(65536):
                if from_server and self.swallowing:
                    self.swallowing = False
                    self.cut()
                    self.swallowed.set()
                    return
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def swallow_next_reply(self) -> None:
        self.swallowed.clear()
        self.swallowing = True

    def cut(self) -> None:
        self.cut_off = True
        with self._guard:
            sockets, self.sockets = self.sockets, []
        for s in sockets:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
                s.close()

    def reopen(self) -> None:
        self.cut_off = False

    def close(self) -> None:
        self.cut()
        self.listener.close()


def proxy_to(settings: dict[str, str]) -> TcpProxy:
    """A proxy in front of the Neo4j that `settings` (NEO4J_URI …) name."""
    url = urlparse(settings["NEO4J_URI"])
    return TcpProxy(url.hostname or "127.0.0.1", url.port or 7687)


def driver_through(proxy: TcpProxy, settings: dict[str, str], retry_seconds: float) -> Any:
    """A driver that reaches Neo4j through `proxy`; a short retry window, so a dead line
    surfaces as an error in seconds rather than after the driver's default 30 s."""
    from neo4j import GraphDatabase

    return GraphDatabase.driver(
        f"bolt://127.0.0.1:{proxy.port}",
        auth=(settings["NEO4J_USER"], settings["NEO4J_PASSWORD"]),
        max_transaction_retry_time=retry_seconds,
        connection_timeout=max(2.0, retry_seconds),
    )
