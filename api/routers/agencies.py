"""Agencies (责任单位): who is on the plans, and everything one of them owns."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from api import compose
from api.cache import cached, json_answer
from api.deps import ReaderDep
from api.models import AgencyList, AgencyTasks
from api.responses import NOT_FOUND, UNAVAILABLE, VALIDATION

router = APIRouter(prefix="/agencies", tags=["agencies"])


@router.get(
    "",
    response_model=AgencyList,
    summary="Every agency on a loaded plan, with its workload and counterparts",
    responses=UNAVAILABLE,
)
@cached
async def list_agencies(read: ReaderDep) -> Response:
    return json_answer(AgencyList(agencies=await read(compose.agencies)))


@router.get(
    "/{name:path}/tasks",
    response_model=AgencyTasks,
    summary="Every task and measure an agency is on (the tasks_by_agency view)",
    responses={**NOT_FOUND, **VALIDATION, **UNAVAILABLE},
)
@cached
async def agency_tasks(
    name: Annotated[
        str,
        Path(description="The agency as written, its full name or its id.", examples=["区经委"]),
    ],
    read: ReaderDep,
    include_collective: Annotated[
        bool, Query(description="Also items owned through a collective line (各区政府).")
    ] = True,
    include_counterparts: Annotated[
        bool, Query(description="Also items its counterpart at the other level owns.")
    ] = False,
) -> Response:
    rows = await read(compose.agency_tasks, name, include_collective, include_counterparts)
    return json_answer(
        AgencyTasks(
            agency=name,
            include_collective=include_collective,
            include_counterparts=include_counterparts,
            rows=rows,
        )
    )
