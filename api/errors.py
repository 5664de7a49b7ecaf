"""Every failure a client can see, in one body shape (`ErrorBody`), and nothing more.

Routes raise `NotFound` / `InvalidParameter`; the store raises its own errors (unknown view,
bad view parameter, unavailable). The handlers here turn each into a status code and an
`ErrorBody`; the catch-all middleware turns anything else into a generic 500 and logs the
trace, so a stack trace never reaches a client.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError, ResponseValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.models import ErrorBody, FieldError
from queries import errors as store_errors

log = logging.getLogger("plangraph.api")

# Seconds a client should wait before retrying while the graph database is away: the
# driver reconnects on the next request, so a short wait is enough.
RETRY_AFTER_SECONDS = 5


class ApiError(Exception):
    """An error a route raises on purpose; carries everything `ErrorBody` shows."""

    status_code = 400
    code = "bad_request"

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        suggestions: Sequence[str] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.suggestions = list(suggestions)

    def body(self) -> ErrorBody:
        details = []
        if self.status_code == 422 and self.field:
            details = [FieldError(field=self.field, message=self.message)]
        return ErrorBody(
            error=self.code,
            message=self.message,
            field=self.field,
            suggestions=self.suggestions,
            details=details,
        )


class NotFound(ApiError):
    status_code = 404
    code = "not_found"

    def __init__(self, kind: str, ref: str, suggestions: Sequence[str] = ()) -> None:
        message = f"no {kind} {ref!r}"
        if suggestions:
            message += "; did you mean: " + ", ".join(suggestions)
        super().__init__(message, field=kind, suggestions=suggestions)
        self.kind = kind
        self.ref = ref


class InvalidParameter(ApiError):
    status_code = 422
    code = "invalid_parameter"

    def __init__(self, field: str, message: str, suggestions: Sequence[str] = ()) -> None:
        super().__init__(f"{field}: {message}", field=field, suggestions=suggestions)


class Unavailable(ApiError):
    status_code = 503
    code = "unavailable"


def error_response(
    status_code: int, body: ErrorBody, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(
        status_code=status_code,
        content=body.model_dump(mode="json"),
        headers=headers,
    )


def unavailable_response(reason: str) -> JSONResponse:
    body = ErrorBody(error="unavailable", message=reason, retry_after=RETRY_AFTER_SECONDS)
    return error_response(503, body, {"Retry-After": str(RETRY_AFTER_SECONDS)})


def _loc_to_field(loc: Sequence[Any]) -> str:
    # ("query", "limit") -> "limit"; the source (query/path/body) is noise to a client.
    parts = [str(part) for part in loc]
    if len(parts) > 1 and parts[0] in {"query", "path", "header", "cookie", "body"}:
        parts = parts[1:]
    return ".".join(parts) or "request"


def _short_reason(error: BaseException) -> str:
    """The first line of a store error, trimmed: enough to act on, no internals."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text[:200]


async def _api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    headers = None
    if exc.status_code == 503:
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    return error_response(exc.status_code, exc.body(), headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    details = [
        FieldError(field=_loc_to_field(err.get("loc", ())), message=str(err.get("msg", "")))
        for err in exc.errors()
    ]
    first = details[0] if details else FieldError(field="request", message="invalid request")
    body = ErrorBody(
        error="invalid_parameter",
        message=f"{first.field}: {first.message}",
        field=first.field,
        details=details,
    )
    return error_response(422, body)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    codes = {404: "not_found", 405: "method_not_allowed"}
    message = exc.detail if isinstance(exc.detail, str) else "request failed"
    body = ErrorBody(error=codes.get(exc.status_code, "http_error"), message=message)
    return error_response(exc.status_code, body, dict(exc.headers or {}))


async def _unknown_view(request: Request, exc: Exception) -> JSONResponse:
    name = getattr(exc, "name", None) or request.path_params.get("name", "")
    suggestions = list(getattr(exc, "suggestions", None) or getattr(exc, "matches", None) or [])
    return error_response(404, NotFound("view", str(name), suggestions).body())


async def _view_parameter_error(request: Request, exc: Exception) -> JSONResponse:
    field = getattr(exc, "parameter", None) or getattr(exc, "field", None) or "parameters"
    message = getattr(exc, "message", None) or str(exc)
    suggestions = list(getattr(exc, "suggestions", None) or [])
    body = ErrorBody(
        error="invalid_parameter",
        message=f"{field}: {message}",
        field=str(field),
        suggestions=suggestions,
        details=[FieldError(field=str(field), message=str(message))],
    )
    return error_response(422, body)


async def _name_not_found(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, store_errors.NameNotFound)
    body = NotFound(exc.kind, exc.ref, exc.suggestions).body()
    body.message = exc.message + (
        "; did you mean: " + ", ".join(exc.suggestions) if exc.suggestions else ""
    )
    return error_response(404, body)


async def _store_unavailable(request: Request, exc: Exception) -> JSONResponse:
    log.warning("graph store unavailable on %s: %s", request.url.path, exc)
    return unavailable_response(f"graph store unavailable: {_short_reason(exc)}")


async def _response_validation(request: Request, exc: Exception) -> JSONResponse:
    # A row the response model rejects is our bug, not the client's: log it, answer 500.
    log.error("response failed its model on %s: %s", request.url.path, exc)
    return error_response(500, ErrorBody(error="internal", message="internal server error"))


def install(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(ResponseValidationError, _response_validation)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(store_errors.UnknownView, _unknown_view)
    app.add_exception_handler(store_errors.ViewParameterError, _view_parameter_error)
    # An unknown plan or agency is 404 with the closest names, whichever route named it.
    app.add_exception_handler(store_errors.NameNotFound, _name_not_found)
    app.add_exception_handler(store_errors.StoreUnavailable, _store_unavailable)
    # The outermost layer: whatever escaped every handler above becomes a generic 500.
    app.add_middleware(CatchAllMiddleware)


class CatchAllMiddleware:
    """Answer any unhandled exception with a generic 500 body and log the trace.

    A pure ASGI middleware rather than an `Exception` handler: Starlette re-raises after
    running such a handler, which would put traces in test clients and server logs twice.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            log.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if started:
                # Headers are already out; all we can do is end the response.
                raise
            payload = ErrorBody(error="internal", message="internal server error")
            body = json.dumps(payload.model_dump(mode="json"), ensure_ascii=False).encode()
            await send(
                {
                    "type": "http.response.start",
                    "status": 500,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", str(len(body)).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})
