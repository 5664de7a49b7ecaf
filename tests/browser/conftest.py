"""What the browser tests share: the bundled graph, the API served for real, Neo4j loaded.

The API runs in a thread on 127.0.0.1:8000 because that is the address the local Neo4j's
`browser.post_connect_cmd` plays the guide from (scripts/neo4j-local, PLANGRAPH_API_URL); set
PLANGRAPH_API_URL to serve it elsewhere (the same variable the Neo4j script reads).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest

from tests.conftest import unavailable

_API_URL = urlsplit(os.environ.get("PLANGRAPH_API_URL", "http://127.0.0.1:8000"))
API_HOST = _API_URL.hostname or "127.0.0.1"
API_PORT = _API_URL.port or 8000


def _port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


@contextmanager
def serving(app, host: str, port: int) -> Iterator[str]:
    """Serve `app` with uvicorn in a thread while the block runs; yields its base URL."""
    import uvicorn

    server = uvicorn.Server(
        uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, name=f"plangraph-api-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail(f"the API did not start on {host}:{port}")
        time.sleep(0.05)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def api_server(bundled_graph) -> Iterator[str]:
    """The real app (uvicorn, embedded store on the bundled plans); yields its base URL."""
    from api.app import create_app
    from queries.embedded_store import EmbeddedStore

    if not _port_is_free(API_HOST, API_PORT):
        unavailable(f"port {API_PORT} is taken; the Browser plays its guide from there")
    app = create_app(lambda: EmbeddedStore.from_graph(bundled_graph))
    with serving(app, API_HOST, API_PORT) as url:
        yield url


@pytest.fixture(scope="session")
def loaded_neo4j(neo4j_driver, bundled_graph):
    from ingest.neo4j_load import load

    load(bundled_graph, neo4j_driver)
    return neo4j_driver
