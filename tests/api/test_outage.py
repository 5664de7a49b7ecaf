"""A real Neo4j outage: the API answers 503 with Retry-After, then recovers by itself."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from fastapi.testclient import TestClient

from api.app import create_app


@pytest.mark.neo4j
@pytest.mark.slow
def test_neo4j_outage_gives_503_then_recovers(neo4j_factory):
    from plangraph import local_neo4j as neo4j_support

    with TestClient(create_app(neo4j_factory, store_kind="neo4j")) as client:
        assert client.get("/health").status_code == 200
        assert client.get("/views/tasks_by_agency", params={"agency": "区经委"}).status_code == 200
        try:
            neo4j_support.stop_neo4j()

            health = client.get("/health")
            assert health.status_code == 503
            assert health.json()["reachable"] is False
            assert int(health.headers["retry-after"]) > 0
            # Kept short: every other suite on this machine shares the server, and one of them
            # may start it again (ensure_neo4j_running) while it is down.
            for url in ("/plans/松江区/alignment", "/views/agency_counterparts"):
                response = client.get(url)
                assert response.status_code == 503, (url, response.text)
                assert response.json()["error"] == "unavailable"
                assert int(response.headers["retry-after"]) > 0
                assert "Traceback" not in response.text
        finally:
            # Whatever happened above, the server must be back for the rest of the suite.
            neo4j_support.start_neo4j()

        # Same app, same store object: the driver reconnects without a restart.
        deadline = time.monotonic() + 60
        while (status := client.get("/health").status_code) != 200:
            assert time.monotonic() < deadline, f"/health still {status} after Neo4j restarted"
            time.sleep(1)
        rows = client.get("/views/tasks_by_agency", params={"agency": "区经委"}).json()["rows"]
        assert rows


class _HangUp:
    """A port where something accepts and hangs up at once, counting the attempts: a server
    that is not there, observed from its side."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.attempts = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.attempts += 1
            conn.close()

    def close(self) -> None:
        self.listener.close()


def test_an_unreachable_server_answers_503_at_once():
    """No server at all: the store must not spend the driver's transient-retry window (about
    7 s of reconnecting here) but try once, and once more, and answer."""
    from queries.neo4j_store import Neo4jStore

    hang_up = _HangUp()

    def factory():
        return Neo4jStore.connect(f"bolt://127.0.0.1:{hang_up.port}", "neo4j", "unused")

    try:
        with TestClient(create_app(factory, store_kind="neo4j")) as client:
            for url in ("/health", "/plans/松江区/alignment", "/agencies", "/views/plans"):
                before = hang_up.attempts
                response = client.get(url)
                assert response.status_code == 503, (url, response.text)
                body = response.json()
                assert (
                    body["reachable"] is False
                    if url == "/health"
                    else body["error"] == "unavailable"
                )
                # One try and one retry, each at most two connections (the driver may open a
                # second one for the server's details): not the driver's retry loop, which
                # keeps reconnecting for its whole window.
                assert hang_up.attempts - before <= 4, (url, hang_up.attempts - before)
    finally:
        hang_up.close()


def test_a_transient_error_is_retried_and_a_lost_connection_tried_once_more():
    from neo4j.exceptions import ServiceUnavailable, TransientError

    from queries.errors import StoreUnavailable
    from queries.neo4j_store import Neo4jStore

    class FlakyStore(Neo4jStore):
        def __init__(self, failures):
            super().__init__(driver=None, retry_time=2.0)  # type: ignore[arg-type]
            self.failures = list(failures)
            self.attempts = 0

        def _read_once(self, query, params):
            self.attempts += 1
            if self.failures:
                raise self.failures.pop(0)
            return [{"ok": 1}]

    def transient():
        return TransientError._hydrate_neo4j(
            code="Neo.TransientError.Transaction.DeadlockDetected", message="deadlock"
        )

    store = FlakyStore([transient(), transient()])
    assert store._read("RETURN 1", {}) == [{"ok": 1}] and store.attempts == 3

    store = FlakyStore([ServiceUnavailable("stale pooled connection")])
    assert store._read("RETURN 1", {}) == [{"ok": 1}] and store.attempts == 2

    store = FlakyStore([ServiceUnavailable("refused")] * 5)
    with pytest.raises(StoreUnavailable):
        store._read("RETURN 1", {})
    assert store.attempts == 2  # tried once more, then gave up: no retry loop
