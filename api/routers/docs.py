"""The interactive API docs, served with their assets so they work with no internet.

FastAPI's own /docs and /redoc load Swagger UI and ReDoc from a CDN, which leaves both pages
blank on an office machine without internet. The app turns those off (docs_url=None,
redoc_url=None) and this router serves the same pages with asset URLs on the API itself; the
assets are the projects' own npm builds (api/static/package.json, installed by
`npm ci --prefix api/static`), listed one by one in VENDOR_FILES.

* ``GET /docs`` — Swagger UI (and ``/docs/oauth2-redirect``, which it opens for OAuth2);
* ``GET /redoc`` — ReDoc;
* ``GET /static/vendor/{name}`` — the listed browser libraries, the explore page's included.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import FileResponse, HTMLResponse, Response

router = APIRouter(include_in_schema=False)

NODE_MODULES = Path(__file__).resolve().parent.parent / "static" / "node_modules"
VENDOR_PREFIX = "/static/vendor/"

# Public name -> (file under node_modules, media type). A fixed list rather than a mounted
# folder, so nothing else of node_modules is reachable.
VENDOR_FILES: dict[str, tuple[str, str]] = {
    "cytoscape.min.js": ("cytoscape/dist/cytoscape.min.js", "text/javascript"),
    "cytoscape-dagre.min.js": ("cytoscape-dagre/dist/cytoscape-dagre.min.js", "text/javascript"),
    "swagger-ui-bundle.js": ("swagger-ui-dist/swagger-ui-bundle.js", "text/javascript"),
    "swagger-ui.css": ("swagger-ui-dist/swagger-ui.css", "text/css"),
    "swagger-favicon.png": ("swagger-ui-dist/favicon-32x32.png", "image/png"),
    "redoc.standalone.js": ("redoc/bundles/redoc.standalone.js", "text/javascript"),
}

OAUTH2_REDIRECT = "/docs/oauth2-redirect"

# The docs pages reach nothing but the API: ReDoc's sidebar shows a logo from cdn.redoc.ly
# (it hides itself when that fails), and no page should tell a third party it was opened.
# Swagger UI's start-up script and both UIs' styles are inline; ReDoc's search runs in a
# worker it makes from a blob.
OFFLINE_CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "worker-src 'self' blob:",
        "connect-src 'self'",
    )
)


def _offline(page: HTMLResponse) -> HTMLResponse:
    page.headers["Content-Security-Policy"] = OFFLINE_CSP
    return page


def vendor_url(name: str) -> str:
    if name not in VENDOR_FILES:
        raise KeyError(name)
    return VENDOR_PREFIX + name


def _openapi_url(request: Request) -> str:
    # Relative to where the app is mounted, as FastAPI's own docs routes do.
    root = request.scope.get("root_path", "").rstrip("/")
    return root + (request.app.openapi_url or "/openapi.json")


@router.get("/docs")
async def swagger_ui(request: Request) -> HTMLResponse:
    page = get_swagger_ui_html(
        openapi_url=_openapi_url(request),
        title=f"{request.app.title} — Swagger UI",
        swagger_js_url=vendor_url("swagger-ui-bundle.js"),
        swagger_css_url=vendor_url("swagger-ui.css"),
        swagger_favicon_url=vendor_url("swagger-favicon.png"),
        oauth2_redirect_url=OAUTH2_REDIRECT,
        # Swagger UI would otherwise send the schema to validator.swagger.io for a badge.
        swagger_ui_parameters={"validatorUrl": None},
    )
    return _offline(page)


@router.get(OAUTH2_REDIRECT)
async def swagger_ui_redirect() -> HTMLResponse:
    return get_swagger_ui_oauth2_redirect_html()


@router.get("/redoc")
async def redoc(request: Request) -> HTMLResponse:
    page = get_redoc_html(
        openapi_url=_openapi_url(request),
        title=f"{request.app.title} — ReDoc",
        redoc_js_url=vendor_url("redoc.standalone.js"),
        redoc_favicon_url=vendor_url("swagger-favicon.png"),
        with_google_fonts=False,  # fonts.googleapis.com is not reachable offline
    )
    return _offline(page)


@router.get(VENDOR_PREFIX + "{name}")
def vendor_file(name: str) -> Response:
    if name not in VENDOR_FILES:
        return Response(f"no vendor file {name!r}\n", status_code=404, media_type="text/plain")
    relative, media_type = VENDOR_FILES[name]
    path = NODE_MODULES / relative
    if not path.exists():
        # The page names the fix instead of failing with a bare 404 in the console.
        message = f"{name} is not installed: run `npm ci --prefix api/static` (make install)\n"
        return Response(message, status_code=503, media_type="text/plain")
    # The versions are pinned by the lockfile; an hour of caching spares reloads.
    return FileResponse(path, media_type=media_type, headers={"Cache-Control": "max-age=3600"})
