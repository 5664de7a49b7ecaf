"""Liveness and what is loaded: the first thing a user or a load balancer asks."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.cache import cached
from api.deps import HolderDep
from api.errors import RETRY_AFTER_SECONDS
from api.models import Health

router = APIRouter(tags=["health"])


@router.get(
    "/health",
    response_model=Health,
    summary="Store kind, reachability and counts",
    responses={
        503: {
            "model": Health,
            "description": "The store is unreachable (`reachable` false, with a reason).",
            "headers": {"Retry-After": {"schema": {"type": "integer"}}},
        }
    },
)
@cached
async def health(holder: HolderDep) -> Health | JSONResponse:
    # Cached like any answer, per graph stamp: the stamp is re-read (which probes Neo4j) at
    # most every api.cache.REFRESH_SECONDS, and an unreadable one bypasses the cache, so an
    # outage shows here within that time. Opening and probing touch the database, so both
    # run on the store's threads; the counts come with the stamp (no scan).
    store = holder.current or await holder.call(holder.open)
    state: dict[str, Any]
    if store is None:
        state = {"store": holder.kind, "reachable": False, "reason": holder.last_error}
    else:
        # Never raises: an outage is reported. An embedded store answers from memory (its
        # stamp never changes), so only Neo4j's probe goes to the store's threads.
        probes = getattr(store, "stamp_changes", True) is not False
        state = await holder.call(store.health) if probes else store.health()
    if not state.get("reachable"):
        body = Health(
            status="unavailable",
            store=state.get("store") or holder.kind,
            reachable=False,
            reason=_short(state.get("reason")),
        )
        return JSONResponse(
            status_code=503,
            content=body.model_dump(mode="json"),
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    return Health(
        status="ok",
        store=state["store"],
        reachable=True,
        plans=state.get("plans"),
        tasks=state.get("tasks"),
        agencies=state.get("agencies"),
        links=state.get("links"),
    )


def _short(reason: object) -> str:
    # The driver's messages can run to paragraphs; the first line says enough.
    text = str(reason or "unreachable").strip()
    return (text.splitlines()[0] if text else "unreachable")[:200]
