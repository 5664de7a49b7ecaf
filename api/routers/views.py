"""Named queries, datasette-style: every registered view as its own documented endpoint.

Each `queries/*.cypher` view gets a route `GET /views/{name}` whose query parameters are the
ones its header declares (type, default, range, example), so /docs shows them and clients can
be generated. A catch-all `GET /views/{name}` after them answers an unknown name with 404 and
the closest view names. Parameters are validated by the registry, the same rules the CLI uses;
a parameter the view does not declare is a 422, not silently ignored.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api.cache import cached, json_answer
from api.deps import ReaderDep
from api.models import ErrorBody, ViewList, ViewOut, ViewParameterOut, ViewResult
from api.responses import NOT_FOUND, UNAVAILABLE, VALIDATION
from queries import registry
from queries.registry import ParamSpec, ViewSpec
from queries.store import GraphStore
from queries.tabular import columns_of, rows_to_csv

router = APIRouter(prefix="/views", tags=["views"])


class Format(StrEnum):
    json = "json"
    csv = "csv"


CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
_PYTHON_TYPES: dict[str, type] = {"int": int, "float": float, "bool": bool}


def view_out(spec: ViewSpec) -> ViewOut:
    return ViewOut(
        name=spec.name,
        title=spec.title,
        purpose=spec.purpose,
        parameters=[ViewParameterOut(**p.describe()) for p in spec.params],
        url=f"/views/{spec.name}",
    )


@router.get(
    "",
    response_model=ViewList,
    summary="Every registered view with its parameters",
    responses=UNAVAILABLE,
)
@cached
async def list_views() -> Response:
    return json_answer(ViewList(views=[view_out(spec) for spec in registry.all_views().values()]))


def run_view(
    store: GraphStore, name: str, params: dict[str, Any], fmt: Format = Format.json
) -> Response:
    """Validate against the view's header, run it, answer JSON or CSV."""
    spec = registry.get_view(name)
    values = spec.validate(params)
    rows = store.run_view(name, values)
    columns = columns_of(rows)
    if fmt is Format.csv:
        return Response(content=rows_to_csv(rows, columns), media_type=CSV_MEDIA_TYPE)
    return json_answer(
        ViewResult(view=name, parameters=values, columns=columns, rows=rows, count=len(rows))
    )


def _query_for(spec: ParamSpec) -> tuple[Any, Any]:
    """The annotation and default FastAPI needs to document (and pre-check) one parameter."""
    py_type = _PYTHON_TYPES.get(spec.type, str)
    extra: dict[str, Any] = {}
    if spec.minimum is not None:
        extra["ge"] = spec.minimum
    if spec.maximum is not None:
        extra["le"] = spec.maximum
    if spec.example is not None:
        example: Any = spec.example
        if py_type is not str:
            # The header example is text; the schema example must have the declared type.
            try:
                example = example.lower() == "true" if py_type is bool else py_type(example.strip())
            except ValueError:
                example = None
        if example is not None:
            extra["examples"] = [example]
    if py_type is str:
        # The registry treats blank text as missing; say so in the schema.
        extra["min_length"] = 1
    description = f"{spec.description} ({spec.type})"
    if spec.required:
        return Annotated[py_type, Query(description=description, **extra)], inspect.Parameter.empty
    default = spec.default
    return (
        Annotated[py_type | None, Query(description=description, **extra)],
        default,
    )


def _endpoint_for(spec: ViewSpec) -> Callable[..., Any]:
    @cached
    async def endpoint(request: Request, read: ReaderDep, **_declared: Any) -> Response:
        # Validate what the client actually sent (not FastAPI's defaults), so a parameter
        # the header does not declare is reported rather than dropped.
        params = {k: v for k, v in request.query_params.items() if k != "format"}
        fmt = Format(request.query_params.get("format", "json"))
        return await read(run_view, spec.name, params, fmt)

    parameters = [
        inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request),
        inspect.Parameter("read", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=ReaderDep),
        inspect.Parameter(
            "format",
            inspect.Parameter.KEYWORD_ONLY,
            annotation=Annotated[Format, Query(description="json (default) or csv")],
            default=Format.json,
        ),
    ]
    for param in spec.params:
        annotation, default = _query_for(param)
        parameters.append(
            inspect.Parameter(
                param.name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default
            )
        )
    endpoint.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    endpoint.__name__ = f"view_{spec.name}"
    return endpoint


_VIEW_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            "text/csv": {"schema": {"type": "string"}, "example": "id,title\n"},
        },
        "description": "Rows as JSON, or as CSV (UTF-8, no BOM) with `?format=csv`.",
    },
    **VALIDATION,
    **UNAVAILABLE,
}


def add_view_routes(target: APIRouter) -> None:
    """One documented route per registered view, then the unknown-name fallback."""
    for spec in registry.all_views().values():
        target.add_api_route(
            f"/{spec.name}",
            _endpoint_for(spec),
            methods=["GET"],
            response_model=ViewResult,
            summary=spec.title,
            description=spec.purpose,
            responses=(
                {**_VIEW_RESPONSES, **NOT_FOUND}
                if any(p.type in registry.RESOLVED_TYPES for p in spec.params)
                else _VIEW_RESPONSES
            ),
        )

    @target.get(
        "/{name}",
        response_model=ViewResult,
        summary="Any other name: 404 with the closest view names",
        responses={
            404: {"model": ErrorBody, "description": "No such view."},
            **VALIDATION,
            **UNAVAILABLE,
        },
        include_in_schema=True,
    )
    async def unknown_view(
        name: str, request: Request, read: ReaderDep, format: Format = Format.json
    ) -> Response:
        # Registered views matched their own route above, so the registry answers 404 here.
        params = {k: v for k, v in request.query_params.items() if k != "format"}
        return await read(run_view, name, params, format)


add_view_routes(router)
