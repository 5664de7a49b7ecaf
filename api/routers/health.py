"""Liveness and what is loaded: the first thing a user or a load balancer asks."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from api.deps import StoreDep

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    store: str
    reachable: bool
    plans: int
    tasks: int
    agencies: int
    links: int


@router.get("/health", response_model=Health, summary="Store kind, reachability and counts")
def health(store: StoreDep) -> Health:
    counts = store.counts()
    return Health(status="ok", store=store.kind, reachable=True, **counts)
