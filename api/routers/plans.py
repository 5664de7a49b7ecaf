"""Plans: what is loaded, one plan's tree, and how a child plan maps onto its parent."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import Response

from api import compose
from api.cache import cached, json_answer
from api.deps import ReaderDep
from api.models import AlignmentOut, PlanList, PlanTree
from api.responses import NOT_FOUND, UNAVAILABLE, VALIDATION

router = APIRouter(prefix="/plans", tags=["plans"])

PlanPath = Annotated[
    str,
    Path(
        description="A plan id (沪松府-2023-138), its document number (沪松府〔2023〕138号, "
        "spaces allowed) or its region (松江区).",
        examples=["松江区"],
    ),
]


@router.get(
    "", response_model=PlanList, summary="Every plan, loaded or cited", responses=UNAVAILABLE
)
@cached
async def list_plans(read: ReaderDep) -> Response:
    return json_answer(PlanList(plans=await read(compose.plan_list)))


@router.get(
    "/{plan}",
    response_model=PlanTree,
    summary="One plan: goals, action groups with their tasks, measures and targets",
    responses={**NOT_FOUND, **VALIDATION, **UNAVAILABLE},
)
@cached
async def get_plan(plan: PlanPath, read: ReaderDep) -> Response:
    return json_answer(await read(compose.plan_tree, plan))


@router.get(
    "/{plan}/alignment",
    response_model=AlignmentOut,
    summary="District-to-city map: each child task's parent task(s), and the unaligned",
    responses={**NOT_FOUND, **VALIDATION, **UNAVAILABLE},
)
@cached
async def get_alignment(plan: PlanPath, read: ReaderDep) -> Response:
    return json_answer(await read(compose.alignment, plan))
