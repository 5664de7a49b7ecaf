"""/docs and /redoc in a real browser with no internet: every request off the API's host fails."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TIMEOUT_MS = 30_000


def offline(page, api_url: str) -> list[str]:
    """Abort every request that does not go to the API; return the list of those aborted."""
    own = urlsplit(api_url).netloc
    blocked: list[str] = []

    def route(route) -> None:
        url = route.request.url
        if urlsplit(url).netloc == own or url.startswith("data:"):
            route.continue_()
        else:
            blocked.append(url)
            route.abort("internetdisconnected")

    page.route("**/*", route)
    return blocked


def operations(api_server_url: str) -> int:
    import json
    from urllib.request import urlopen

    with urlopen(f"{api_server_url}/openapi.json") as response:
        schema = json.load(response)
    methods = {"get", "put", "post", "delete", "patch", "head", "options"}
    return sum(1 for item in schema["paths"].values() for method in item if method in methods)


def test_swagger_ui_renders_offline(page, api_server, test_output_dir):
    blocked = offline(page, api_server)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{api_server}/docs")
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() == operations(api_server)
    assert page.locator(".info .title").inner_text().startswith("plangraph")
    # An operation opens and shows its parameters: the UI works, not only its shell.
    page.locator(".opblock-summary-path", has_text="/graph/neighbourhood").first.click()
    page.locator(".opblock.is-open .parameters").first.wait_for()
    page.screenshot(path=str(test_output_dir / "docs-offline.png"))
    assert not blocked, f"/docs reached off the API's host: {blocked}"
    assert not errors, errors


def test_redoc_renders_offline(page, api_server, test_output_dir):
    blocked = offline(page, api_server)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{api_server}/redoc")
    # ReDoc gives every operation a section with an id "operation/<operationId>".
    sections = page.locator('[id^="operation/"]')
    sections.first.wait_for()
    assert sections.count() == operations(api_server)
    assert "plangraph" in page.locator("h1").first.inner_text()
    page.screenshot(path=str(test_output_dir / "redoc-offline.png"))
    assert not blocked, f"/redoc reached off the API's host: {blocked}"
    assert not errors, errors
