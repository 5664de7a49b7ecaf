"""The analyst's desk: coverage of a parent plan by its child plans, and the task ledger.

Both answers are assembled in `queries` (coverage.py, ledger.py) from named views, so the CLI
(`plangraph coverage`, `plangraph ledger`) and these routes give the same content.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from api.cache import cached, json_answer
from api.deps import ReaderDep
from api.responses import NOT_FOUND, UNAVAILABLE, VALIDATION
from api.routers.plans import PlanPath
from queries.coverage import coverage_answer
from queries.ledger import ledger
from queries.store import GraphStore
from queries.workbook import XLSX_MEDIA_TYPE

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
@cached
async def get_coverage(plan: PlanPath, read: ReaderDep) -> Response:
    return json_answer(CoverageOut.model_validate(await read(coverage_answer, plan)))


def _ledger_file(store: GraphStore, plan: str, by_agency: bool) -> tuple[str, bytes]:
    # Built on the store's threads with the reads: openpyxl's writing is CPU work too.
    book = ledger(store, plan, by_agency=by_agency)
    return book.filename, book.xlsx()


@router.get(
    "/{plan}/ledger.xlsx",
    summary="The task ledger (任务分解表) as an Excel workbook",
    description="Sheets: 任务 (tasks with lead and other units, targets with their year, "
    "places, industries, parent tasks with the score), 保障措施 (measures), 覆盖情况 when "
    "loaded plans implement this one, and with `by_agency=true` one sheet per unit. The "
    "same workbook as `plangraph ledger PLAN --out FILE.xlsx`.",
    response_class=Response,
    responses={
        200: {
            "content": {XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}},
            "description": "The workbook, as an attachment named after the plan.",
        },
        **NOT_FOUND,
        **VALIDATION,
        **UNAVAILABLE,
    },
)
async def get_ledger(
    plan: PlanPath,
    read: ReaderDep,
    by_agency: Annotated[
        bool, Query(description="Also one sheet per unit named in the plan's lines.")
    ] = False,
) -> Response:
    filename, data = await read(_ledger_file, plan, by_agency)
    # RFC 6266: an ASCII name for old clients, the plan's own (Chinese) name for the rest.
    disposition = (
        f"attachment; filename=\"plangraph-ledger.xlsx\"; filename*=UTF-8''{quote(filename)}"
    )
    return Response(data, media_type=XLSX_MEDIA_TYPE, headers={"Content-Disposition": disposition})
