"""Agencies (责任单位): who is on the plans, and everything one of them owns."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api import compose
from api.deps import StoreDep
from api.models import AgencyList, AgencyTasks
from api.responses import NOT_FOUND, UNAVAILABLE, VALIDATION

router = APIRouter(prefix="/agencies", tags=["agencies"])


@router.get(
    "",
    response_model=AgencyList,
    summary="Every agency on a loaded plan, with its workload and counterparts",
    responses=UNAVAILABLE,
)
def list_agencies(store: StoreDep) -> AgencyList:
    return AgencyList(agencies=compose.agencies(store))


@router.get(
    "/{name:path}/tasks",
    response_model=AgencyTasks,
    summary="Every task and measure an agency is on (the tasks_by_agency view)",
    responses={**NOT_FOUND, **VALIDATION, **UNAVAILABLE},
)
def agency_tasks(
    name: Annotated[
        str,
        Path(description="The agency as written, its full name or its id.", examples=["区经委"]),
    ],
    store: StoreDep,
    include_collective: Annotated[
        bool, Query(description="Also items owned through a collective line (各区政府).")
    ] = True,
    include_counterparts: Annotated[
        bool, Query(description="Also items its counterpart at the other level owns.")
    ] = False,
) -> AgencyTasks:
    rows = compose.agency_tasks(store, name, include_collective, include_counterparts)
    return AgencyTasks(
        agency=name,
        include_collective=include_collective,
        include_counterparts=include_counterparts,
        rows=rows,
    )
