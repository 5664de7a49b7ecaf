"""The documented error answers routes share, so /openapi.json lists each one with its model."""

from __future__ import annotations

from typing import Any

from api.models import ErrorBody

Responses = dict[int | str, dict[str, Any]]

NOT_FOUND: Responses = {
    404: {"model": ErrorBody, "description": "Not found; `suggestions` has the closest names."}
}
VALIDATION: Responses = {
    422: {"model": ErrorBody, "description": "A parameter is invalid; `field` names it."}
}
UNAVAILABLE: Responses = {
    503: {
        "model": ErrorBody,
        "description": "The graph database is unreachable or timed out; retry after "
        "`Retry-After` seconds.",
        "headers": {
            "Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}
        },
    }
}
INTERNAL: Responses = {500: {"model": ErrorBody, "description": "Unexpected error (logged)."}}
