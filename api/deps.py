"""Typed dependencies: routes ask for `StoreDep` and get the store opened at start-up."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from queries.store import GraphStore


def get_store(request: Request) -> GraphStore:
    return request.app.state.store


StoreDep = Annotated[GraphStore, Depends(get_store)]
