"""Typed dependencies: routes ask for `StoreDep` and get the store opened at start-up.

The store is opened once, in the app's lifespan. If the graph database is down at that
moment the app still starts, answers 503, and opens the store on the first request after the
database returns: a service should not need a restart because Neo4j came up second.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request

from queries.errors import StoreUnavailable
from queries.store import GraphStore

log = logging.getLogger("plangraph.api")

StoreFactory = Callable[[], GraphStore]


class StoreHolder:
    """The one store of the app, opened by the factory; reopened only if opening failed."""

    def __init__(self, factory: StoreFactory, kind: str = "unknown") -> None:
        self._factory = factory
        # What /health reports before the store could be opened at all.
        self.kind = kind
        self._store: GraphStore | None = None
        self._lock = threading.Lock()
        self.last_error: str | None = None

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
            if self._store is not None:
                self._store.close()
                self._store = None


def get_holder(request: Request) -> StoreHolder:
    return request.app.state.store_holder


def get_store(request: Request) -> GraphStore:
    return get_holder(request).get()


StoreDep = Annotated[GraphStore, Depends(get_store)]
HolderDep = Annotated[StoreHolder, Depends(get_holder)]
