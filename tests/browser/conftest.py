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
from pathlib import Path
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


@pytest.fixture()
def curation_server(bundled_graph, tmp_path) -> Iterator[tuple[str, object]]:
    """The app as `serve --allow-curation` makes it, writing to a copy of the project's
    decisions file; yields its base URL and the file. On the port after the API's."""
    from api.app import create_app
    from api.routers.curation import CurationAccess
    from queries.embedded_store import EmbeddedStore
    from schema.paths import DEFAULT_DECISIONS

    decisions = tmp_path / "alignment.tsv"
    decisions.write_text(DEFAULT_DECISIONS.read_text(encoding="utf-8"), encoding="utf-8")
    port = API_PORT + 1
    if not _port_is_free("127.0.0.1", port):
        unavailable(f"port {port} is taken")
    app = create_app(
        lambda: EmbeddedStore.from_graph(bundled_graph),
        curation=CurationAccess(decisions=decisions),
    )
    with serving(app, "127.0.0.1", port) as url:
        yield url, decisions


DOCS_DIR = Path(__file__).resolve().parents[2] / "docs"


def screenshot(page, test_output_dir: Path, name: str, **options) -> None:
    """Save a picture in test-output/; with PLANGRAPH_UPDATE_DOCS=1 also the one in docs/ that
    README.md shows (so the committed pictures are what a test run draws)."""
    page.screenshot(path=str(test_output_dir / name), **options)
    if os.environ.get("PLANGRAPH_UPDATE_DOCS") == "1":
        page.screenshot(path=str(DOCS_DIR / name), **options)


# Every district plan the tests have that implements the bundled city plan: the coverage
# heatmap needs more than one column to show anything.
DISTRICT_FILES = (
    "data/plans/shanghai_2023-2025_manufacturing.txt",
    "data/plans/songjiang_2023-2025_manufacturing.txt",
    "tests/plans_pairs/jiading_manufacturing.txt",
    "tests/plans_own/own_03_no_groups_numbered.txt",
    "tests/plans_own/own_05_oneline_bom_halfwidth.txt",
)


@pytest.fixture(scope="session")
def districts_server() -> Iterator[str]:
    """The API over the city plan and four district plans that implement it."""
    from api.app import create_app
    from ingest.build import build_graph
    from queries.embedded_store import EmbeddedStore

    root = DOCS_DIR.parent
    graph = build_graph([root / name for name in DISTRICT_FILES]).graph
    port = API_PORT + 2
    if not _port_is_free("127.0.0.1", port):
        unavailable(f"port {port} is taken")
    with serving(create_app(lambda: EmbeddedStore.from_graph(graph)), "127.0.0.1", port) as url:
        yield url
