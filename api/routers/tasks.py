"""Tasks: filtered, paged lists and one task with everything around it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from api import compose
from api.cache import cached, json_answer
from api.deps import ReaderDep
from api.models import TaskDetail, TaskPage
from api.responses import NOT_FOUND, UNAVAILABLE, VALIDATION

router = APIRouter(prefix="/tasks", tags=["tasks"])

# A page is bounded so one request cannot ask the store for everything at once.
MAX_PAGE = 200

Filter = Annotated[str | None, Query(min_length=1, max_length=100)]


@router.get(
    "",
    response_model=TaskPage,
    summary="Tasks matching every filter given, paged",
    responses={**NOT_FOUND, **VALIDATION, **UNAVAILABLE},
)
@cached
async def list_tasks(
    read: ReaderDep,
    plan: Annotated[
        str | None,
        Query(min_length=1, max_length=100, description="Plan id, document number or region."),
    ] = None,
    agency: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=100,
            description="Owned by this agency (directly or through a collective line).",
        ),
    ] = None,
    industry: Annotated[
        str | None,
        Query(min_length=1, max_length=100, description="Targets it or a sub-industry."),
    ] = None,
    region: Annotated[
        str | None,
        Query(min_length=1, max_length=100, description="Mentions it or a place inside it."),
    ] = None,
    q: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=200,
            description="Words in the title or text (jieba-segmented); ranks the results.",
        ),
    ] = None,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"At most {MAX_PAGE}.")] = 50,
) -> Response:
    items = await read(
        compose.filter_tasks, plan=plan, agency=agency, industry=industry, region=region, q=q
    )
    return json_answer(
        TaskPage(total=len(items), offset=offset, limit=limit, items=items[offset : offset + limit])
    )


@router.get(
    "/{task_id:path}",
    response_model=TaskDetail,
    summary="One task: owners, parents, children, places, industries, targets, source lines",
    responses={**NOT_FOUND, **VALIDATION, **UNAVAILABLE},
)
@cached
async def get_task(
    task_id: Annotated[str, Path(description="The task id.", examples=["沪松府-2023-138/task/7"])],
    read: ReaderDep,
) -> Response:
    return json_answer(await read(compose.task_detail, task_id))
