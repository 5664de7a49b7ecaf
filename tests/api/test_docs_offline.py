"""/docs and /redoc name only assets the API serves itself (the browser test renders them)."""

from __future__ import annotations

import re

import pytest

ASSET = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']|url:\s*'([^']+)'""")


def referenced(html: str) -> list[str]:
    return [a or b for a, b in ASSET.findall(html)]


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_page_loads_nothing_from_elsewhere(embedded_client, page):
    response = embedded_client.get(page)
    assert response.status_code == 200
    html = response.text
    urls = referenced(html)
    assert any(url.endswith(".js") for url in urls), urls
    outside = [url for url in urls if re.match(r"^(https?:)?//", url)]
    assert not outside, f"{page} loads from elsewhere: {outside}"
    assert "cdn.jsdelivr.net" not in html and "fonts.googleapis.com" not in html
    for url in urls:
        if url.startswith("/static/"):
            asset = embedded_client.get(url)
            assert asset.status_code == 200, url
            assert asset.content, url
    # The page may not reach out even for what a library adds by itself (ReDoc's logo).
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "connect-src 'self'" in policy


def test_openapi_schema_the_docs_read_is_served(embedded_client):
    html = embedded_client.get("/docs").text
    assert "/openapi.json" in html
    assert embedded_client.get("/openapi.json").json()["info"]["title"] == "plangraph"


def test_only_listed_vendor_files_are_served(embedded_client):
    assert embedded_client.get("/static/vendor/swagger-ui.css").status_code == 200
    assert embedded_client.get("/static/vendor/package.json").status_code == 404
    assert embedded_client.get("/static/vendor/..%2Fpackage.json").status_code == 404


def test_oauth2_redirect_page_is_served(embedded_client):
    response = embedded_client.get("/docs/oauth2-redirect")
    assert response.status_code == 200 and "oauth2" in response.text.lower()
