"""A real Neo4j outage: the API answers 503 with Retry-After, then recovers by itself."""

from __future__ import annotations

import socket
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


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens here once the socket is closed


def test_an_unreachable_server_answers_503_at_once():
    """No server at all: the store must not spend its transient-retry window reconnecting."""
    from queries.neo4j_store import Neo4jStore

    port = _closed_port()

    def factory():
        return Neo4jStore.connect(f"bolt://127.0.0.1:{port}", "neo4j", "unused")

    with TestClient(create_app(factory, store_kind="neo4j")) as client:
        for url in ("/health", "/plans/松江区/alignment", "/agencies", "/views/plans"):
            started = time.monotonic()
            response = client.get(url)
            assert response.status_code == 503, (url, response.text)
            body = response.json()
            assert (
                body["reachable"] is False if url == "/health" else body["error"] == "unavailable"
            )
            # The driver's own retry took about 7 s here; one reconnect attempt takes ms.
            assert time.monotonic() - started < 1.5, url


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
    started = time.monotonic()
    with pytest.raises(StoreUnavailable):
        store._read("RETURN 1", {})
    assert store.attempts == 2 and time.monotonic() - started < 0.5
