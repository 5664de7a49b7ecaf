"""Plans: what is loaded, one plan's tree, and how a child plan maps onto its parent."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from api import compose
from api.deps import StoreDep
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
def list_plans(store: StoreDep) -> PlanList:
    return PlanList(plans=compose.plan_list(store))


@router.get(
    "/{plan}",
    response_model=PlanTree,
    summary="One plan: goals, action groups with their tasks, measures and targets",
    responses={**NOT_FOUND, **VALIDATION, **UNAVAILABLE},
)
def get_plan(plan: PlanPath, store: StoreDep) -> PlanTree:
    return compose.plan_tree(store, plan)


@router.get(
    "/{plan}/alignment",
    response_model=AlignmentOut,
    summary="District-to-city map: each child task's parent task(s), and the unaligned",
    responses={**NOT_FOUND, **VALIDATION, **UNAVAILABLE},
)
def get_alignment(plan: PlanPath, store: StoreDep) -> AlignmentOut:
    return compose.alignment(store, plan)
