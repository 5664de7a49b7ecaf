"""Browsing the graph: the Neo4j Browser guide and style, and the explore page.

* ``GET /guide`` — the Browser guide (``:play http://127.0.0.1:8000/guide``), generated from
  the view registry and the store's counts;
* ``GET /browser/style.grass`` — the Browser style (``:style …/browser/style.grass``) and
  ``GET /browser/style.json``, the same mapping for the explore page;
* ``GET /explore`` — a search-and-expand page over ``/search`` and ``/graph/neighbourhood``;
  works on either store, so no Neo4j is needed;
* ``GET /search?q=`` — names containing q, for the explore page's search box, and
  ``GET /explore/node?id=`` — one node's every property, for its details pane.

Neo4j Browser fetches the guide and the style from its own origin (:7474) with no-cache
headers, which makes the request a CORS preflight; both routes answer it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field

from api import browser_style
from api.cache import cached, json_answer
from api.deps import ReaderDep
from api.errors import NotFound
from api.guide import guide_html
from api.responses import NOT_FOUND, UNAVAILABLE, VALIDATION
from queries.registry import all_views
from queries.store import GraphStore

router = APIRouter(tags=["browse"])

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
# Installed by `npm ci --prefix api/static` (the Makefile's install target).
CYTOSCAPE_JS = STATIC_DIR / "node_modules" / "cytoscape" / "dist" / "cytoscape.min.js"
PAGE_FILES = {"explore.js": "text/javascript", "explore.css": "text/css"}


def _cors_headers(request: Request) -> dict[str, str]:
    # No credentials travel with these reads, so any origin may have them: the Browser may be
    # served from :7474, from a Docker host name, or from browser.neo4j.io.
    requested = request.headers.get("access-control-request-headers")
    return {
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Allow-Methods": "GET, OPTIONS",
        "Access-Control-Allow-Headers": requested or "*",
        "Access-Control-Max-Age": "600",
    }


def _preflight(request: Request) -> Response:
    return Response(status_code=204, headers=_cors_headers(request))


@router.get(
    "/guide",
    response_class=HTMLResponse,
    summary="Neo4j Browser guide: what is loaded, then every view as a runnable block",
    responses=UNAVAILABLE,
)
async def guide(request: Request, read: ReaderDep) -> HTMLResponse:
    # Not @cached: the page names the host it was asked on.
    base = str(request.base_url).rstrip("/")
    html = await read(_guide_html, base)
    headers = _cors_headers(request) | {"Cache-Control": "no-cache"}
    return HTMLResponse(html, headers=headers)


def _guide_html(store: GraphStore, base: str) -> str:
    return guide_html(all_views().values(), store.counts(), base_url=base, resolve=store.resolve)


@router.options("/guide", include_in_schema=False)
async def guide_preflight(request: Request) -> Response:
    return _preflight(request)


@router.get(
    "/browser/style.grass",
    response_class=Response,
    summary="Neo4j Browser style (GraSS): colours and readable captions per label",
    responses={200: {"content": {"text/plain": {}}}},
)
async def style_grass(request: Request) -> Response:
    return Response(
        browser_style.render_grass(),
        media_type="text/plain; charset=utf-8",
        headers=_cors_headers(request),
    )


@router.options("/browser/style.grass", include_in_schema=False)
async def style_grass_preflight(request: Request) -> Response:
    return _preflight(request)


class NodeStyleOut(BaseModel):
    color: str
    border: str
    text_color: str
    caption: str = Field(description="The caption template, e.g. `{number}. {name}`.")
    diameter: int
    title: str


class RelStyleOut(BaseModel):
    caption: str
    color: str
    width: int


class StyleOut(BaseModel):
    nodes: dict[str, NodeStyleOut]
    default_node: NodeStyleOut
    relationships: dict[str, RelStyleOut]
    default_relationship: RelStyleOut


@router.get(
    "/browser/style.json",
    response_model=StyleOut,
    summary="The Browser style as JSON (what the explore page draws with)",
)
async def style_json() -> JSONResponse:
    return JSONResponse(browser_style.style_json())


class SearchHit(BaseModel):
    id: str
    label: str
    name: str
    caption: str = Field(description="What the graph shows for it (a task: number. title).")
    plan_id: str | None = Field(default=None, description="The plan a plan item belongs to.")


class SearchOut(BaseModel):
    query: str
    results: list[SearchHit]


@router.get(
    "/search",
    response_model=SearchOut,
    summary="Nodes whose name contains q",
    responses={**VALIDATION, **UNAVAILABLE},
)
@cached
async def search(
    read: ReaderDep,
    q: Annotated[str, Query(min_length=1, max_length=100, description="Part of a name.")],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Response:
    return json_answer(await read(_search, q, limit))


def _search(store: GraphStore, q: str, limit: int) -> SearchOut:
    hits = []
    for hit in store.search_names(q, limit=limit):
        props = store.node(hit["id"]) or {}
        caption = browser_style.caption_for(hit["label"], {**hit, **props})
        hits.append(
            SearchHit(
                id=hit["id"],
                label=hit["label"],
                name=hit["name"],
                caption=str(caption),
                plan_id=props.get("plan_id"),
            )
        )
    return SearchOut(query=q, results=hits)


class NodeDetails(BaseModel):
    id: str
    label: str
    name: str
    caption: str
    properties: dict[str, Any] = Field(description="Every property, the full text included.")


@router.get(
    "/explore/node",
    response_model=NodeDetails,
    summary="One node with all its properties (the explore page's details pane)",
    responses={**NOT_FOUND, **VALIDATION, **UNAVAILABLE},
)
@cached
async def node_details(
    read: ReaderDep,
    id: Annotated[str, Query(min_length=1, max_length=300, description="A node id.")],
) -> Response:
    return json_answer(await read(_node_details, id))


def _node_details(store: GraphStore, id: str) -> NodeDetails:
    props = store.node(id)
    if props is None:
        suggestions = [hit["id"] for hit in store.search_names(id, limit=5)]
        raise NotFound("node", id, suggestions)
    label = str(props.get("label", ""))
    name = str(props.get("name", ""))
    caption = browser_style.caption_for(label, props)
    rest = {k: v for k, v in props.items() if k not in ("id", "label", "name")}
    return NodeDetails(id=id, label=label, name=name, caption=str(caption), properties=rest)


@router.get("/explore", response_class=FileResponse, summary="Explore page (no Neo4j needed)")
async def explore() -> FileResponse:
    return FileResponse(STATIC_DIR / "explore.html", media_type="text/html")


@router.get("/static/vendor/cytoscape.min.js", include_in_schema=False)
async def cytoscape_js() -> Response:
    if not CYTOSCAPE_JS.exists():
        message = (
            "// cytoscape is not installed: run `npm ci --prefix api/static` (make install)\n"
            "document.title = 'plangraph: run npm ci --prefix api/static';\n"
        )
        return Response(message, status_code=503, media_type="text/javascript")
    return FileResponse(CYTOSCAPE_JS, media_type="text/javascript")


@router.get("/static/{name}", include_in_schema=False)
async def page_asset(name: str) -> Response:
    # A fixed list rather than a mounted folder, so node_modules and the npm files stay private.
    if name not in PAGE_FILES:
        return JSONResponse(
            {"error": "not_found", "message": f"no static file {name!r}"}, status_code=404
        )
    return FileResponse(STATIC_DIR / name, media_type=PAGE_FILES[name])
