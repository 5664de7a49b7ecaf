"""What the browser tests share: the bundled graph, the API served for real, Neo4j loaded.

The API runs in a thread on 127.0.0.1:8000 because that is the address the local Neo4j's
`browser.post_connect_cmd` plays the guide from (scripts/neo4j-local, PLANGRAPH_API_URL).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from tests.conftest import unavailable

API_HOST = "127.0.0.1"
API_PORT = 8000


def _port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


@pytest.fixture(scope="session")
def api_server(bundled_graph) -> Iterator[str]:
    """The real app (uvicorn, embedded store on the bundled plans); yields its base URL."""
    import uvicorn

    from api.app import create_app
    from queries.embedded_store import EmbeddedStore

    if not _port_is_free(API_HOST, API_PORT):
        unavailable(f"port {API_PORT} is taken; the Browser plays its guide from there")
    app = create_app(lambda: EmbeddedStore.from_graph(bundled_graph))
    if not any(getattr(route, "path", None) == "/guide" for route in app.routes):
        from api.routers import browse  # until the app factory includes it

        app.include_router(browse.router)
    server = uvicorn.Server(
        uvicorn.Config(app, host=API_HOST, port=API_PORT, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, name="plangraph-api", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail(f"the API did not start on {API_HOST}:{API_PORT}")
        time.sleep(0.05)
    yield f"http://{API_HOST}:{API_PORT}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def loaded_neo4j(neo4j_driver, bundled_graph):
    from ingest.neo4j_load import load

    load(bundled_graph, neo4j_driver)
    return neo4j_driver
