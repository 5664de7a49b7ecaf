"""Answers from memory: ETags, 304s, hits that read nothing, and a new graph that empties it.

The store calls are counted on a real embedded store (a subclass that counts and can be told
a new graph is live, as a Neo4j load would); the Neo4j tests load the real server twice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from queries.embedded_store import EmbeddedStore

ALIGNMENT = "/plans/松江区/alignment"
CACHED_URLS = [
    "/health",
    "/plans",
    ALIGNMENT,
    "/views/tasks_by_agency?agency=区经委",
    "/tasks?q=集成电路",
    "/agencies",
]


class CountingStore(EmbeddedStore):
    """The embedded store, counting its queries; `relabel()` makes it report a new stamp, as
    Neo4j does after `load-neo4j` (the rows stay: only the version matters here)."""

    stamp_changes = True
    queries: Counter[str]

    def _run(self, query, params):
        self.queries["all"] += 1
        return super()._run(query, params)

    def relabel(self, version: str | None) -> None:
        current = self._read_stamp()
        self._stamp = replace(current, version=version) if version else None  # type: ignore[arg-type]


@pytest.fixture()
def counted(bundled_graph) -> Iterator[tuple[TestClient, CountingStore]]:
    store = CountingStore.from_graph(bundled_graph)
    store.queries = Counter()
    # Refresh at every request, so a new stamp shows at once (no waiting in a test).
    app = create_app(lambda: store, stamp_refresh_seconds=0.0)
    with TestClient(app) as client:
        yield client, store


@pytest.mark.parametrize("url", CACHED_URLS)
def test_a_repeated_answer_reads_nothing(counted, url):
    client, store = counted
    first = client.get(url)
    assert first.status_code == 200, first.text
    store.queries.clear()
    again = client.get(url)
    assert again.status_code == 200
    assert store.queries["all"] == 0
    assert again.content == first.content
    assert again.headers["etag"] == first.headers["etag"]
    assert again.headers["content-type"] == first.headers["content-type"]


def test_if_none_match_gives_304_without_body(counted):
    client, _ = counted
    etag = client.get(ALIGNMENT).headers["etag"]
    assert etag.startswith('"') and etag.endswith('"')
    for sent in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        response = client.get(ALIGNMENT, headers={"If-None-Match": sent})
        assert response.status_code == 304, sent
        assert response.content == b""
        assert response.headers["etag"] == etag
    assert client.get(ALIGNMENT, headers={"If-None-Match": '"other"'}).status_code == 200


def test_head_has_the_get_etag_and_no_body(counted):
    client, _ = counted
    for url in (ALIGNMENT, "/plans?x=head-first"):
        head = client.head(url)
        get = client.get(url)
        assert head.status_code == get.status_code == 200
        assert head.content == b""
        assert head.headers["etag"] == get.headers["etag"]


def test_every_query_string_is_its_own_answer(counted):
    client, _ = counted
    city = client.get("/tasks", params={"plan": "上海市", "limit": 5})
    district = client.get("/tasks", params={"plan": "松江区", "limit": 5})
    assert city.status_code == district.status_code == 200
    assert city.json()["items"] != district.json()["items"]
    assert city.headers["etag"] != district.headers["etag"]


def test_errors_are_not_kept(counted):
    client, store = counted
    missing = "/tasks/沪松府-2023-138/task/999"
    first = client.get(missing)
    assert first.status_code == 404 and "etag" not in first.headers
    store.queries.clear()
    assert client.get(missing).status_code == 404
    assert store.queries["all"] > 0  # asked again, not answered from memory


def test_an_uncached_route_still_gets_an_etag(counted):
    client, _ = counted
    # The guide names the host it was asked on, so it is computed every time.
    first = client.get("/guide")
    assert first.status_code == 200
    assert first.headers["etag"].startswith('"h-')
    assert client.get("/guide", headers={"If-None-Match": first.headers["etag"]}).status_code == 304


def test_a_new_graph_empties_the_cache_and_changes_the_etag(counted):
    client, store = counted
    before = client.get(ALIGNMENT)
    store.relabel("a-new-load")
    store.queries.clear()
    after = client.get(ALIGNMENT)
    assert after.status_code == 200
    assert store.queries["all"] > 0  # read again from the store
    assert after.headers["etag"] != before.headers["etag"]
    assert after.headers["etag"].startswith('"a-new-load')
    # The old ETag no longer matches: the client gets the new answer, not 304.
    assert (
        client.get(ALIGNMENT, headers={"If-None-Match": before.headers["etag"]}).status_code == 200
    )


def test_a_graph_without_a_stamp_is_served_uncached(counted):
    client, store = counted
    store.relabel(None)
    first = client.get(ALIGNMENT)
    assert first.status_code == 200
    assert first.headers["etag"].startswith('"h-')  # from the body: no version to name
    store.queries.clear()
    assert client.get(ALIGNMENT).content == first.content
    assert store.queries["all"] > 0
    health = client.get("/health").json()
    assert {k: health[k] for k in ("plans", "tasks", "agencies", "links")} == store.counts()


def test_an_alignment_costs_one_query_once_names_are_known(counted):
    """Names resolve from tables kept per graph, and the plans list is kept too: only the
    alignment view itself is read (it was two resolutions and four round trips)."""
    client, store = counted
    assert client.get(ALIGNMENT).status_code == 200
    store.queries.clear()
    # Another name for the same plan: another cache key, so the answer is composed again.
    assert client.get("/plans/沪松府-2023-138/alignment").status_code == 200
    assert store.queries["all"] == 1


@pytest.mark.neo4j
def test_a_neo4j_load_reaches_a_running_server(bundled_graph, neo4j_driver, neo4j_factory):
    from ingest.neo4j_load import load

    app = create_app(neo4j_factory, store_kind="neo4j", stamp_refresh_seconds=0.0)
    with TestClient(app) as client:
        first = client.get(ALIGNMENT)
        assert first.status_code == 200
        assert client.get(ALIGNMENT).headers["etag"] == first.headers["etag"]
        load(bundled_graph, neo4j_driver)  # a new load: a new stamp, the same rows
        after = client.get(ALIGNMENT)
        assert after.status_code == 200
        assert after.headers["etag"] != first.headers["etag"]
        assert after.json() == first.json()


@pytest.mark.neo4j
def test_an_unstamped_neo4j_graph_is_served(bundled_graph, neo4j_driver, neo4j_factory):
    from ingest.neo4j_load import load

    load(bundled_graph, neo4j_driver)
    with neo4j_driver.session() as session:
        session.run("MATCH (s:_GraphStamp) DELETE s").consume()
    try:
        app = create_app(neo4j_factory, store_kind="neo4j", stamp_refresh_seconds=0.0)
        with TestClient(app) as client:
            health = client.get("/health")
            assert health.status_code == 200 and health.json()["tasks"] > 0
            response = client.get(ALIGNMENT)
            assert response.status_code == 200
            assert response.headers["etag"].startswith('"h-')
    finally:
        load(bundled_graph, neo4j_driver)  # the stamp back, for the other tests


def test_after_a_new_graph_a_burst_composes_each_answer_once(bundled_graph):
    """32 clients asking for the same answer just after a load: one composes it, the others
    wait for it (the store sees one answer's reads, not 32)."""
    import asyncio

    import httpx

    store = CountingStore.from_graph(bundled_graph)
    store.queries = Counter()
    app = create_app(lambda: store, stamp_refresh_seconds=0.0)

    async def reads_for(version: str, clients: int) -> int:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://test"
        ) as client:
            assert (await client.get("/plans")).status_code == 200  # opens the store
            store.relabel(version)
            assert (await client.get("/plans")).status_code == 200  # sees the new graph
            store.queries.clear()
            answers = await asyncio.gather(*(client.get(ALIGNMENT) for _ in range(clients)))
            assert {a.status_code for a in answers} == {200}
            assert len({a.content for a in answers}) == 1
            return store.queries["all"]

    async def scenario() -> tuple[int, int]:
        await reads_for("warm", 1)  # the alignment is now a key known to be kept
        return await reads_for("one-client", 1), await reads_for("many-clients", 32)

    one, many = asyncio.run(scenario())
    assert one > 0
    assert many == one


def test_a_head_of_a_streamed_file_ends_its_response(tmp_path, embedded_factory):
    """A HEAD runs as the GET; when that GET streams (a file in chunks), the HEAD's answer must
    still end, or a keep-alive connection waits forever for the rest."""
    import asyncio

    from starlette.responses import FileResponse

    from api.cache import AnswerCache
    from api.deps import StoreHolder

    big = tmp_path / "big.js"
    big.write_bytes(b"x" * 300_000)  # several of FileResponse's 64 KB chunks

    async def files(scope, receive, send):
        await FileResponse(big)(scope, receive, send)

    layer = AnswerCache(files, holder=StoreHolder(embedded_factory))

    def run(method: str) -> list[dict]:
        sent: list[dict] = []

        asked: list[bool] = []

        async def receive():
            if not asked:
                asked.append(True)
                return {"type": "http.request", "body": b"", "more_body": False}
            await asyncio.Event().wait()  # the client stays: no disconnect

        async def send(message):
            sent.append(message)

        scope = {"type": "http", "method": method, "path": "/big.js", "query_string": b"",
                 "headers": [], "http_version": "1.1", "scheme": "http"}  # fmt: skip
        asyncio.run(layer(scope, receive, send))
        return sent

    for method in ("HEAD", "GET"):
        sent = run(method)
        bodies = [m for m in sent if m["type"] == "http.response.body"]
        assert sent[0]["status"] == 200
        assert bodies[-1].get("more_body", False) is False, method
        size = sum(len(m["body"]) for m in bodies)
        assert size == (0 if method == "HEAD" else 300_000)
