"""The FastAPI application factory.

The store is opened once, in the lifespan, by a factory the caller supplies (the CLI decides
embedded or Neo4j), so this package never imports ingest and routes never see Cypher.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api.routers import health
from plangraph import __version__
from queries.store import GraphStore

StoreFactory = Callable[[], GraphStore]


def create_app(store_factory: StoreFactory) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.store = store_factory()
        try:
            yield
        finally:
            app.state.store.close()

    app = FastAPI(
        title="plangraph",
        version=__version__,
        summary="Chinese government action plans as a knowledge graph: tasks, bureaus, "
        "places, industries, targets and district-to-city alignment.",
        lifespan=lifespan,
    )
    app.include_router(health.router)
    return app
