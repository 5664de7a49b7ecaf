"""The catalogue of things tasks are about: industries, places and numeric targets."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api import compose
from api.cache import cached, json_answer
from api.deps import ReaderDep
from api.models import IndicatorList, IndustryList, RegionList
from api.responses import NOT_FOUND, UNAVAILABLE, VALIDATION

router = APIRouter(tags=["catalog"])


@router.get(
    "/industries",
    response_model=IndustryList,
    summary="Industries the loaded tasks target, with tier, groupings and task counts",
    responses=UNAVAILABLE,
)
@cached
async def list_industries(read: ReaderDep) -> Response:
    return json_answer(IndustryList(industries=await read(compose.industries)))


@router.get(
    "/regions",
    response_model=RegionList,
    summary="Places the loaded tasks mention, with kind, enclosing places and task counts",
    responses=UNAVAILABLE,
)
@cached
async def list_regions(read: ReaderDep) -> Response:
    return json_answer(RegionList(regions=await read(compose.regions)))


@router.get(
    "/indicators",
    response_model=IndicatorList,
    summary="Numeric and directional targets, each with the parent targets it cascades to",
    responses={**NOT_FOUND, **VALIDATION, **UNAVAILABLE},
)
@cached
async def list_indicators(
    read: ReaderDep,
    plan: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=100,
            description="Only this plan's targets (id, document number or region).",
        ),
    ] = None,
) -> Response:
    return json_answer(IndicatorList(indicators=await read(compose.indicators, plan)))
