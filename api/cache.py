"""Answers from memory, with ETags: the API only reads, so an answer changes only with the graph.

A route opts in with `@cached` (it must depend on nothing but its path and query string). The
`AnswerCache` middleware, the outermost layer, then keeps the encoded bytes of each 200 answer
under (path, query string) for the graph's current stamp version, and answers the next identical
GET or HEAD from memory without routing, validation or a thread. Every 200 answer to a GET, cached
or not, carries an ETag (and `Cache-Control: no-cache`: keep it, but revalidate); a request
whose If-None-Match names it gets 304 and no body. When a new graph empties the cache under
load, the first request for a key already known to be kept composes the answer and the others
wait for it, so the store sees one answer's reads, not one per client.

    ETag of a cached route:  "<stamp version>-<hash of the app version, path and query>"
    ETag of any other:       "h-<hash of the body>"  (also for a graph with no stamp)

Which graph is live comes from `StampWatch`: the embedded store's stamp never changes once the
file is open; Neo4j's is read again at most every `refresh_seconds` (one small read), so a new
`load-neo4j` reaches cached answers within that time plus one round trip. A graph with no stamp
(loaded by an older plangraph) is served, uncached.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.deps import StoreHolder

log = logging.getLogger("plangraph.api")

_CACHED = "__plangraph_cached__"
Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])

# How stale Neo4j's stamp may be: a load is seen by cached answers at most this late, and a
# busy server pays one small read this often (measured in docs/benchmarks.md).
REFRESH_SECONDS = 0.5
# Memory for encoded answers; the least recently used go first. The bundled graph's every
# answer fits in a few megabytes; the bound is for query strings nobody repeats.
MAX_BYTES = 64 * 1024 * 1024
MAX_ENTRY_BYTES = 4 * 1024 * 1024
# Keys remembered as cacheable across graphs (a key is a path and query string, ~100 bytes).
MAX_KNOWN = 100_000

JSON = "application/json"


def cached(endpoint: Endpoint) -> Endpoint:
    """Mark a route whose answer depends only on its path, its query string and the graph."""
    setattr(endpoint, _CACHED, True)
    return endpoint


def is_cached(endpoint: object) -> bool:
    return getattr(endpoint, _CACHED, False) is True


def json_answer(model: BaseModel) -> Response:
    """A model as JSON bytes, encoded once by Pydantic (FastAPI's own path validates the
    model again and walks it through `jsonable_encoder`: ~0.5 ms for a 5 KB answer)."""
    return Response(model.model_dump_json().encode(), media_type=JSON)


class StampWatch:
    """The live graph's stamp version, or None (store not open, unreachable, unstamped)."""

    def __init__(self, holder: StoreHolder, refresh_seconds: float = REFRESH_SECONDS) -> None:
        self.holder = holder
        self.refresh_seconds = refresh_seconds
        self.version: str | None = None
        self._store: object | None = None
        self._checked = float("-inf")
        self._refreshing = False

    async def current(self) -> str | None:
        store = self.holder.current
        if store is None:
            return None
        seen = store is self._store
        if seen and (
            getattr(store, "stamp_changes", True) is False
            or time.monotonic() - self._checked < self.refresh_seconds
        ):
            return self.version
        if self._refreshing:
            # Another request is reading it; meanwhile the last known version holds.
            return self.version if seen else None
        self._refreshing = True
        self._checked = time.monotonic()
        try:
            stamp = await self.holder.call(store.stamp)
            self.version = stamp.version if stamp is not None else None
        except Exception as error:  # an outage: bypass the cache, the route reports it
            log.debug("graph stamp not read: %s", error)
            self.version = None
        finally:
            self._refreshing = False
            self._store = store
        return self.version


@dataclass(frozen=True)
class Entry:
    etag: bytes
    headers: list[tuple[bytes, bytes]]
    body: bytes


class AnswerCache:
    """The outermost ASGI layer: answers repeated GETs from memory, ETags and 304s for all."""

    def __init__(
        self,
        app: ASGIApp,
        holder: StoreHolder,
        salt: str = "",
        refresh_seconds: float = REFRESH_SECONDS,
        max_bytes: int = MAX_BYTES,
    ) -> None:
        self.app = app
        self.watch = StampWatch(holder, refresh_seconds)
        # The app's version: a new release may answer differently over the same graph.
        self.salt = salt.encode()
        self.max_bytes = max_bytes
        self.entries: OrderedDict[tuple[str, bytes], Entry] = OrderedDict()
        self.size = 0
        self.entries_version: str | None = None
        self.hits = 0
        # Misses being answered now, and the keys known to be kept: when a new graph empties
        # the cache under load, the first request for a known key composes its answer and the
        # others wait for it, rather than every client asking the store at once.
        self.pending: dict[tuple[str, bytes], asyncio.Future[None]] = {}
        self.known: set[tuple[str, bytes]] = set()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        method = scope["type"] == "http" and scope["method"]
        if method not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        version = await self.watch.current()
        if version != self.entries_version:
            self.entries.clear()
            self.size = 0
            self.entries_version = version
        key = (scope["path"], scope["query_string"])
        if version is not None:
            entry = self.entries.get(key)
            if entry is None and key in self.known and key in self.pending:
                await asyncio.shield(self.pending[key])
                entry = self.entries.get(key) if version == self.entries_version else None
            if entry is not None:
                self.entries.move_to_end(key)
                self.hits += 1
                await self._answer(entry, scope, send, method == "HEAD")
                return
        await self._run(scope, receive, send, version, key)

    # -- a hit -------------------------------------------------------------------------------

    async def _answer(self, entry: Entry, scope: Scope, send: Send, head: bool) -> None:
        if _matches(scope, entry.etag):
            await send({"type": "http.response.start", "status": 304,
                        "headers": [(b"etag", entry.etag)]})  # fmt: skip
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.start", "status": 200, "headers": entry.headers})
        await send({"type": "http.response.body", "body": b"" if head else entry.body})

    # -- a miss ------------------------------------------------------------------------------

    async def _run(
        self, scope: Scope, receive: Receive, send: Send, version: str | None, key: Any
    ) -> None:
        head = scope["method"] == "HEAD"
        # A HEAD runs as the GET it asks about, so it gets the GET's ETag (and fills the cache).
        inner = {**scope, "method": "GET"} if head else scope
        start: Message | None = None
        streaming = False

        async def capture(message: Message) -> None:
            nonlocal start, streaming
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            if streaming:
                if not head:
                    await send(message)
                return
            body = message.get("body", b"")
            if message.get("more_body", False) or start["status"] != 200:
                # Streamed (a file) or not a success: passed on as it comes, no ETag of ours.
                # A HEAD's response ends here; the rest of the GET's body is dropped.
                streaming = True
                await send(start)
                await send(_END if head else message)
                return
            cacheable = version is not None and is_cached(inner.get("endpoint"))
            etag = self._etag(key, version) if version and cacheable else _body_etag(body)
            headers = [(k, v) for k, v in start["headers"] if k != b"etag"]
            headers.append((b"etag", etag))
            if not any(k == b"cache-control" for k, _ in headers):
                # Clients may keep it, but ask again (If-None-Match) before using it.
                headers.append((b"cache-control", b"no-cache"))
            entry = Entry(etag, headers, body)
            if cacheable and version == self.watch.version == self.entries_version:
                self._keep(key, entry)
                if len(self.known) >= MAX_KNOWN:
                    self.known.clear()
                self.known.add(key)
            await self._answer(entry, scope, send, head)

        leads = version is not None and key not in self.pending
        if leads:
            self.pending[key] = asyncio.get_running_loop().create_future()
        try:
            await self.app(inner, receive, capture)
        finally:
            if leads:
                self.pending.pop(key).set_result(None)

    def _etag(self, key: tuple[str, bytes], version: str) -> bytes:
        digest = hashlib.blake2b(digest_size=8)
        for part in (self.salt, key[0].encode(), key[1]):
            digest.update(part)
            digest.update(b"\0")
        return f'"{version[:16]}-{digest.hexdigest()}"'.encode()

    def _keep(self, key: tuple[str, bytes], entry: Entry) -> None:
        if len(entry.body) > min(MAX_ENTRY_BYTES, self.max_bytes):
            return
        old = self.entries.pop(key, None)
        if old is not None:
            self.size -= len(old.body)
        self.entries[key] = entry
        self.size += len(entry.body)
        while self.size > self.max_bytes and self.entries:
            _, evicted = self.entries.popitem(last=False)
            self.size -= len(evicted.body)


_END: Message = {"type": "http.response.body", "body": b"", "more_body": False}


def _body_etag(body: bytes) -> bytes:
    return f'"h-{hashlib.blake2b(body, digest_size=8).hexdigest()}"'.encode()


def _matches(scope: Scope, etag: bytes) -> bool:
    """Whether If-None-Match names `etag` (or is `*`); weak forms compare equal (RFC 9110)."""
    for name, value in scope["headers"]:
        if name == b"if-none-match":
            for candidate in value.split(b","):
                candidate = candidate.strip().removeprefix(b"W/")
                if candidate == etag or candidate == b"*":
                    return True
    return False
