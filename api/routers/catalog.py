"""The catalogue of things tasks are about: industries, places and numeric targets."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api import compose
from api.deps import StoreDep
from api.models import IndicatorList, IndustryList, RegionList
from api.responses import NOT_FOUND, UNAVAILABLE, VALIDATION

router = APIRouter(tags=["catalog"])


@router.get(
    "/industries",
    response_model=IndustryList,
    summary="Industries the loaded tasks target, with tier, groupings and task counts",
    responses=UNAVAILABLE,
)
def list_industries(store: StoreDep) -> IndustryList:
    return IndustryList(industries=compose.industries(store))


@router.get(
    "/regions",
    response_model=RegionList,
    summary="Places the loaded tasks mention, with kind, enclosing places and task counts",
    responses=UNAVAILABLE,
)
def list_regions(store: StoreDep) -> RegionList:
    return RegionList(regions=compose.regions(store))


@router.get(
    "/indicators",
    response_model=IndicatorList,
    summary="Numeric and directional targets, each with the parent targets it cascades to",
    responses={**NOT_FOUND, **VALIDATION, **UNAVAILABLE},
)
def list_indicators(
    store: StoreDep,
    plan: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=100,
            description="Only this plan's targets (id, document number or region).",
        ),
    ] = None,
) -> IndicatorList:
    return IndicatorList(indicators=compose.indicators(store, plan))
