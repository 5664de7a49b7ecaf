"""Typed dependencies: routes ask for `StoreDep` and get the store opened at start-up.

The store is opened once, in the app's lifespan. If the graph database is down at that
moment the app still starts, answers 503, and opens the store on the first request after the
database returns: a service should not need a restart because Neo4j came up second.

The dependencies are `async`: they only read app state, and a sync dependency would cost each
request a hop to the thread pool. Store work (blocking: LadybugDB's engine, the Neo4j driver)
runs through `StoreHolder.call`, on the holder's own small pool, never on the event loop.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Annotated, Concatenate, ParamSpec, TypeVar

from fastapi import Depends, Request

from queries.errors import StoreUnavailable
from queries.store import GraphStore

log = logging.getLogger("plangraph.api")

StoreFactory = Callable[[], GraphStore]

P = ParamSpec("P")
T = TypeVar("T")

# Threads that run store calls, few on purpose: more only take turns at the GIL (the Neo4j
# driver on 32 threads made 435 context switches per request). The embedded store's work is
# CPU (the engine and Python), so one thread per core; a Neo4j query waits on the server,
# so a few more keep both busy. Measured at 32 clients on 2 cores (docs/benchmarks.md):
# embedded 2 threads 1,174 req/s, 4: 542, 8: 652; Neo4j 2: 290, 4: 360, 8: 361, 16: 361.
EMBEDDED_THREADS = max(2, os.cpu_count() or 2)
NEO4J_THREADS = 4


class StoreHolder:
    """The one store of the app, opened by the factory; reopened only if opening failed."""

    def __init__(self, factory: StoreFactory, kind: str = "unknown") -> None:
        self._factory = factory
        # What /health reports before the store could be opened at all.
        self.kind = kind
        self._store: GraphStore | None = None
        self._lock = threading.Lock()
        self.last_error: str | None = None
        self._pool: ThreadPoolExecutor | None = None

    async def call(self, work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """`work(*args, **kwargs)` on the store's threads: for anything that reads the store."""
        if self._pool is None:
            threads = EMBEDDED_THREADS if self.kind == "embedded" else NEO4J_THREADS
            self._pool = ThreadPoolExecutor(threads, thread_name_prefix="store")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, functools.partial(work, *args, **kwargs))

    def open(self) -> GraphStore | None:
        """Open the store now; on an outage remember why and leave it for later."""
        with self._lock:
            if self._store is None:
                try:
                    self._store = self._factory()
                    self.kind = self._store.kind
                    self.last_error = None
                except StoreUnavailable as error:
                    self.last_error = str(error).splitlines()[0] if str(error) else "unavailable"
                    log.warning("graph store not available at start-up: %s", error)
            return self._store

    def get(self) -> GraphStore:
        store = self._store or self.open()
        if store is None:
            raise StoreUnavailable(self.last_error or "graph store not open")
        return store

    @property
    def current(self) -> GraphStore | None:
        return self._store

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=True)
                self._pool = None
            if self._store is not None:
                self._store.close()
                self._store = None


async def get_holder(request: Request) -> StoreHolder:
    return request.app.state.store_holder


async def get_store(request: Request) -> GraphStore:
    holder: StoreHolder = request.app.state.store_holder
    store = holder.current
    if store is not None:
        return store
    # Not open yet (the database was down at start-up): opening connects, so off the loop.
    return await holder.call(holder.get)


class Reader:
    """What a route reads the store through: `await read(compose.alignment, plan)` runs
    `compose.alignment(store, plan)` on the store's threads, off the event loop."""

    def __init__(self, holder: StoreHolder, store: GraphStore) -> None:
        self.holder = holder
        self.store = store

    async def __call__(
        self, work: Callable[Concatenate[GraphStore, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        return await self.holder.call(work, self.store, *args, **kwargs)


async def get_reader(request: Request) -> Reader:
    return Reader(request.app.state.store_holder, await get_store(request))


StoreDep = Annotated[GraphStore, Depends(get_store)]
HolderDep = Annotated[StoreHolder, Depends(get_holder)]
ReaderDep = Annotated[Reader, Depends(get_reader)]
