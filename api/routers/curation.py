"""Reviewing alignment links from the explore page: confirm, reject or add, with a note.

The API only reads, except here, and only when `plangraph serve --allow-curation` asked for it:
the app then includes this router (`create_app(..., curation=CurationAccess(...))`), the
server binds 127.0.0.1 only, and every write must carry the token made at start-up in the
`X-Plangraph-Token` header. The explore page, served by the same server, reads the token from
``GET /curation/session``; a page of another site can neither read that answer (no CORS) nor
send the header without a preflight this server never grants, and the Host check below turns
away DNS-rebinding tricks.

* ``GET /curation/session`` — the token, the decisions file, how the decisions take effect;
* ``GET /curation/decisions?child=&parent=`` — the decision the file holds on a link, if any;
* ``POST /curation/decisions`` — write one decision on a link between two plan items.

A decision goes into the decisions file the builder reads (schema/decisions.py, by default
data/curation/alignment.tsv); the graph being served does not change: `plangraph build` (or
`load-neo4j`) applies the decisions.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from pydantic import BaseModel, Field

from api.deps import StoreDep
from api.errors import ApiError, InvalidParameter, NotFound
from api.models import ErrorBody
from api.responses import NOT_FOUND, UNAVAILABLE, VALIDATION, Responses
from queries.store import GraphStore
from schema import graph_model as gm
from schema.decisions import Decision, DecisionsFileError, read_decisions_file, record_decision

TOKEN_HEADER = "X-Plangraph-Token"
APPLIES = (
    "重新构建 (plangraph build / load-neo4j) 后生效；正在浏览的图不变。"
    "A rebuild applies the decisions; the graph served now does not change."
)
LOOPBACK_HOSTS = {"127.0.0.1", "localhost"}
# The plan items alignment links join, and the property each is keyed by in the file.
ITEM_KEYS = {gm.TASK: "number", gm.ACTION: "order", gm.GOAL: "order", gm.MEASURE: "order"}


@dataclass(frozen=True)
class CurationAccess:
    """What `serve --allow-curation` hands the app: where decisions go, and this start's token."""

    decisions: Path
    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))


class Forbidden(ApiError):
    status_code = 403
    code = "forbidden"


class Conflict(ApiError):
    status_code = 409
    code = "conflict"


class DecisionsFileBroken(ApiError):
    status_code = 409
    code = "decisions_file_invalid"


class DecisionsFileUnwritable(ApiError):
    status_code = 500
    code = "decisions_file_unwritable"


FORBIDDEN: Responses = {
    403: {"model": ErrorBody, "description": f"No or wrong `{TOKEN_HEADER}`, or not loopback."}
}
CONFLICT: Responses = {
    409: {
        "model": ErrorBody,
        "description": "The decision does not fit the graph (rejecting a link that is not "
        "proposed) or the decisions file does not read; nothing was written.",
    }
}


def access(request: Request) -> CurationAccess:
    granted: CurationAccess = request.app.state.curation
    return granted


AccessDep = Annotated[CurationAccess, Depends(access)]


def loopback_only(request: Request, response: Response) -> None:
    """Only pages the browser got from this loopback server: a page of another name resolved
    to 127.0.0.1 (DNS rebinding) sends its own name as Host, another site's page its Origin."""
    # The token and the file's state are never to be kept by a cache, on disk or in between.
    response.headers["Cache-Control"] = "no-store"
    host = urlsplit(f"//{request.headers.get('host', '')}").hostname
    if host not in LOOPBACK_HOSTS:
        raise Forbidden(f"curation answers only at 127.0.0.1, not {host or 'no host'}")
    origin = request.headers.get("origin")
    if origin is not None and urlsplit(origin).netloc != request.headers.get("host"):
        raise Forbidden(f"curation accepts writes from its own pages only, not {origin}")


def token_required(
    granted: AccessDep,
    token: Annotated[str | None, Header(alias=TOKEN_HEADER)] = None,
) -> None:
    if token is None:
        raise Forbidden(f"a write needs the {TOKEN_HEADER} header (the explore page sends it)")
    if not secrets.compare_digest(token.encode(), granted.token.encode()):
        raise Forbidden(f"wrong {TOKEN_HEADER}: the server was restarted? reload the page")


router = APIRouter(prefix="/curation", tags=["curation"], dependencies=[Depends(loopback_only)])


class SessionOut(BaseModel):
    token: str = Field(description=f"Send it as `{TOKEN_HEADER}` with every write.")
    header: str = TOKEN_HEADER
    decisions_file: str
    applies: str = Field(description="How the decisions take effect.")


@router.get(
    "/session",
    response_model=SessionOut,
    summary="This server's curation token and decisions file (for the explore page)",
    responses=FORBIDDEN,
)
def session(granted: AccessDep) -> SessionOut:
    return SessionOut(token=granted.token, decisions_file=str(granted.decisions), applies=APPLIES)


class DecisionOut(BaseModel):
    child_doc: str
    level: str
    child_key: int
    child_title: str
    parent_doc: str
    parent_key: int
    parent_title: str
    decision: str
    note: str
    line: int | None = Field(default=None, description="Its line in the decisions file.")


def _decision_out(d: Decision) -> DecisionOut:
    return DecisionOut(
        child_doc=d.child_doc,
        level=d.level,
        child_key=d.child_key,
        child_title=d.child_title,
        parent_doc=d.parent_doc,
        parent_key=d.parent_key,
        parent_title=d.parent_title,
        decision=d.decision,
        note=d.note,
        line=d.line,
    )


@dataclass(frozen=True)
class Item:
    """One end of a link, as the decisions file names it."""

    id: str
    label: str
    key: int
    title: str
    plan_id: str
    doc_number: str


def _item(store: GraphStore, node_id: str, role: str) -> Item:
    props = store.node(node_id)
    if props is None:
        raise NotFound(f"{role} item", node_id)
    label = str(props.get("label", ""))
    if label not in ITEM_KEYS:
        kinds = ", ".join(ITEM_KEYS)
        raise InvalidParameter(role, f"{node_id} is a {label or 'node'}; links join {kinds}")
    key = props.get(ITEM_KEYS[label])
    plan_id = str(props.get("plan_id") or "")
    plan = store.node(plan_id) if plan_id else None
    if not isinstance(key, int) or plan is None:
        raise InvalidParameter(role, f"{node_id} has no {ITEM_KEYS[label]} or plan to key it by")
    doc_number = str(plan.get("doc_number") or "")
    if not doc_number:
        raise InvalidParameter(
            role, f"plan {plan_id} has no document number, which decisions are keyed by"
        )
    title = str(props.get("title") or props.get("name") or "")
    return Item(node_id, label, key, title, plan_id, doc_number)


def _links_from(store: GraphStore, node_id: str, rel_type: str) -> dict[str, dict[str, Any]]:
    """The `rel_type` relationships leaving `node_id`: target id -> relationship properties."""
    rows = store.run_view("neighbourhood_links", {"id": node_id, "depth": 1})
    return {
        str(row["target"]): dict(row["relationship"])
        for row in rows
        if row["source"] == node_id and row["relationship"].get("type") == rel_type
    }


def _pair(store: GraphStore, child_id: str, parent_id: str) -> tuple[Item, Item]:
    child = _item(store, child_id, "child")
    parent = _item(store, parent_id, "parent")
    if child.label != parent.label:
        raise InvalidParameter(
            "parent", f"a {child.label} links to a {child.label}, not a {parent.label}"
        )
    if parent.plan_id not in _links_from(store, child.plan_id, gm.IMPLEMENTS):
        raise InvalidParameter(
            "parent",
            f"plan {child.plan_id} does not implement plan {parent.plan_id}: "
            "links join a child plan's items to its parent plan's",
        )
    return child, parent


def _read(granted: CurationAccess) -> tuple[Decision, ...]:
    if not granted.decisions.exists():
        return ()
    try:
        return read_decisions_file(granted.decisions)
    except DecisionsFileError as error:
        raise DecisionsFileBroken(f"{error}; fix the file by hand, nothing was written") from None


def _decision_for(child: Item, parent: Item, kind: str, note: str) -> Decision:
    return Decision(
        child_doc=child.doc_number,
        level=child.label.lower(),
        child_key=child.key,
        child_title=child.title,
        parent_doc=parent.doc_number,
        parent_key=parent.key,
        parent_title=parent.title,
        decision=kind,
        note=note,
    )


class LinkDecisionOut(BaseModel):
    decision: DecisionOut | None = Field(description="The file's decision on the link, if any.")
    decisions_file: str


NodeId = Annotated[str, Query(min_length=1, max_length=300, description="A plan item's id.")]


@router.get(
    "/decisions",
    response_model=LinkDecisionOut,
    summary="The decision the decisions file holds on one link",
    responses={**FORBIDDEN, **NOT_FOUND, **VALIDATION, **CONFLICT, **UNAVAILABLE},
)
def decision_on_link(
    store: StoreDep, granted: AccessDep, child: NodeId, parent: NodeId
) -> LinkDecisionOut:
    child_item, parent_item = _pair(store, child, parent)
    wanted = _decision_for(child_item, parent_item, "confirm", "").link
    found = next((d for d in _read(granted) if d.link == wanted), None)
    return LinkDecisionOut(
        decision=_decision_out(found) if found else None, decisions_file=str(granted.decisions)
    )


class DecisionIn(BaseModel):
    child: str = Field(min_length=1, max_length=300, description="The child (district) item.")
    parent: str = Field(min_length=1, max_length=300, description="The parent (city) item.")
    decision: Literal["confirm", "reject", "add"]
    note: str = Field(default="", max_length=500, description="Who, when, why.")


class RecordedOut(BaseModel):
    decision: DecisionOut
    replaced: DecisionOut | None = Field(description="The decision it replaced on that link.")
    decisions_file: str
    applies: str


@router.post(
    "/decisions",
    response_model=RecordedOut,
    summary="Confirm, reject or add a link (written to the decisions file)",
    dependencies=[Depends(token_required)],
    responses={**FORBIDDEN, **NOT_FOUND, **VALIDATION, **CONFLICT, **UNAVAILABLE},
)
def record(store: StoreDep, granted: AccessDep, body: DecisionIn) -> RecordedOut:
    child, parent = _pair(store, body.child, body.parent)
    # A link rejected earlier is still in the graph (status 'rejected'): it may be confirmed.
    proposed = parent.id in _links_from(store, child.id, gm.ALIGNS_WITH)
    if body.decision in ("confirm", "reject") and not proposed:
        hint = " (add it instead)" if body.decision == "confirm" else ""
        raise Conflict(f"the graph has no link {child.id} → {parent.id} to {body.decision}{hint}")
    _read(granted)  # a file that does not read is refused before the write, with its line
    try:
        recorded = record_decision(
            granted.decisions, _decision_for(child, parent, body.decision, body.note)
        )
    except DecisionsFileError as error:
        raise DecisionsFileBroken(f"{error}; nothing was written") from None
    except OSError as error:
        raise DecisionsFileUnwritable(
            f"cannot write {granted.decisions}: {error.strerror or error}"
        ) from None
    return RecordedOut(
        decision=_decision_out(recorded.decision),
        replaced=_decision_out(recorded.replaced) if recorded.replaced else None,
        decisions_file=str(granted.decisions),
        applies=APPLIES,
    )
