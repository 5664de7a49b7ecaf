"""The FastAPI application factory.

The store is opened once, in the lifespan, by a factory the caller supplies (the CLI decides
embedded or Neo4j), so this package never imports ingest and routes never see Cypher.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from fastapi import FastAPI

from api import errors
from api.cache import MAX_BYTES, REFRESH_SECONDS, AnswerCache
from api.deps import StoreFactory, StoreHolder
from api.redirects import RelativeRedirects
from api.responses import INTERNAL
from api.routers import agencies, browse, catalog, graph, health, plans, tasks, views
from api.routers import curation as link_review
from api.routers import desk as analysts_desk
from api.routers import docs as offline_docs
from queries import registry

__all__ = ["StoreFactory", "create_app", "server_options"]


def server_options(access_log: bool = False) -> dict[str, Any]:
    """How `plangraph serve` runs uvicorn (benchmarks.server_latency runs its floor app the
    same way): uvloop's event loop and httptools' parser where installed, and no access log
    unless asked for (a log line per request costs more than a cached answer)."""
    return {"loop": "auto", "http": "auto", "log_level": "info", "access_log": access_log}


def _version() -> str:
    # Read from the installed distribution: the API does not import the CLI package.
    try:
        return version("plangraph")
    except PackageNotFoundError:  # a source tree that was never installed
        return "0.0.0+unknown"


def create_app(
    store_factory: StoreFactory,
    *,
    store_kind: str = "unknown",
    stamp_refresh_seconds: float = REFRESH_SECONDS,
    answer_cache_bytes: int = MAX_BYTES,
    curation: link_review.CurationAccess | None = None,
) -> FastAPI:
    """The app over the store `store_factory()` opens at start-up.

    `store_kind` is only what /health says if the store cannot be opened at all (Neo4j down
    at start-up); once open, the store reports its own kind. `stamp_refresh_seconds`: how
    stale a Neo4j graph's stamp may get before cached answers check it again (api/cache.py);
    `answer_cache_bytes`: memory for cached answers (0: none kept, ETags still given).
    """
    holder = StoreHolder(store_factory, kind=store_kind)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        holder.open()
        # Open the search segmenter now rather than in the first search request: jieba's
        # import and its compact dictionary (~0.1 s, ~3 MB; made once per machine, ~1.5 s).
        registry.query_terms("预热")
        try:
            yield
        finally:
            holder.close()

    app = FastAPI(
        title="plangraph",
        version=_version(),
        summary="Chinese government action plans as a knowledge graph: tasks, bureaus, "
        "places, industries, targets and district-to-city alignment.",
        lifespan=lifespan,
        # Served by api/routers/docs.py from local assets: FastAPI's own load them from a CDN.
        docs_url=None,
        redoc_url=None,
        responses=INTERNAL,
    )
    app.state.store_holder = holder
    errors.install(app)
    app.add_middleware(RelativeRedirects)
    # Outermost, so a cached answer skips every other layer (api/cache.py).
    app.add_middleware(
        AnswerCache,
        holder=holder,
        salt=_version(),
        refresh_seconds=stamp_refresh_seconds,
        max_bytes=answer_cache_bytes,
    )
    for module in (health, plans, tasks, agencies, catalog, views, graph, browse):
        app.include_router(module.router)
    app.include_router(analysts_desk.router)  # coverage and ledger (issue 17)
    app.include_router(offline_docs.router)  # /docs and /redoc, offline
    if curation is not None:  # serve --allow-curation: the only writes (api/routers/curation.py)
        app.state.curation = curation
        app.include_router(link_review.router)
    return app
