"""The analyst's desk: coverage of a parent plan by its child plans, and the task ledger.

Both answers are assembled in `queries` (coverage.py, ledger.py) from named views, so the CLI
(`plangraph coverage`, `plangraph ledger`) and these routes give the same content.
"""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.deps import StoreDep
from api.responses import NOT_FOUND, UNAVAILABLE, VALIDATION
from api.routers.plans import PlanPath
from queries.coverage import coverage_answer

router = APIRouter(prefix="/plans", tags=["desk"])


class CoveragePlan(BaseModel):
    id: str
    title: str | None = None
    level: str | None = Field(default=None, description="city, district, …")


class CoverageChild(BaseModel):
    id: str
    title: str | None = None
    region: str | None = None


class CoverageTask(BaseModel):
    id: str
    number: int | None = Field(default=None, description="The task's number in its document.")
    title: str | None = None
    action: str | None = Field(default=None, description="Its action group's title.")


class CoverageChildTask(BaseModel):
    id: str
    number: int | None = None
    title: str | None = None
    score: float | None = Field(default=None, description="The alignment score of the link.")


class CoverageRow(BaseModel):
    task: CoverageTask
    cells: list[list[CoverageChildTask]] = Field(
        description="Per child plan, in `children` order: its tasks implementing this task."
    )


class CoverageTotals(BaseModel):
    tasks: int = Field(description="Parent tasks.")
    covered: int = Field(description="Parent tasks at least one child plan picks up.")
    by_child: list[int] = Field(description="Per child plan: the parent tasks it picks up.")


class CoverageOut(BaseModel):
    plan: CoveragePlan
    children: list[CoverageChild] = Field(
        description="Loaded plans implementing this one, by title."
    )
    rows: list[CoverageRow] = Field(description="The parent's tasks in document order.")
    totals: CoverageTotals


@router.get(
    "/{plan}/coverage",
    response_model=CoverageOut,
    summary="Coverage: the plan's tasks × the loaded plans implementing it",
    description="Each cell lists the child plan's tasks that implement the parent task "
    "(rejected links left out). A plan nothing implements has no children and empty cells.",
    responses={**NOT_FOUND, **VALIDATION, **UNAVAILABLE},
)
def get_coverage(plan: PlanPath, store: StoreDep) -> CoverageOut:
    return CoverageOut.model_validate(coverage_answer(store, plan))
