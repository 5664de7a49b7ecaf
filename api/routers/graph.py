"""The graph around one node, as nodes and edges ready to draw (the explore page uses it)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api import compose
from api.cache import cached, json_answer
from api.deps import ReaderDep
from api.models import GraphOut
from api.responses import NOT_FOUND, UNAVAILABLE, VALIDATION

router = APIRouter(prefix="/graph", tags=["graph"])

# Three hops already reach most of a two-plan graph; more would only make a hairball.
MAX_DEPTH = 3


@router.get(
    "/neighbourhood",
    response_model=GraphOut,
    summary="Every node within `depth` hops of a node, and every relationship among them",
    responses={**NOT_FOUND, **VALIDATION, **UNAVAILABLE},
)
@cached
async def neighbourhood(
    read: ReaderDep,
    id: Annotated[
        str,
        Query(
            min_length=1,
            max_length=300,
            description="A node id.",
            examples=["沪松府-2023-138/task/7"],
        ),
    ],
    depth: Annotated[int, Query(ge=1, le=MAX_DEPTH, description=f"1 to {MAX_DEPTH}.")] = 1,
) -> Response:
    return json_answer(await read(compose.graph, id, depth))
