"""The explore page in a real browser, on the embedded store (no Neo4j)."""

from __future__ import annotations

import re

import pytest

from api import browser_style

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TIMEOUT_MS = 20_000


def drawn_nodes(page) -> list[dict]:
    return page.evaluate(
        """() => window.explorer.cy.nodes().map(n => ({
            id: n.id(), label: n.data('label'), caption: n.data('caption'),
            center: n.hasClass('center'), colour: n.style('background-color'),
            x: n.renderedPosition().x, y: n.renderedPosition().y }))"""
    )


def rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r},{g},{b})"


def test_search_draw_click_and_expand(page, api_server, test_output_dir):
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{api_server}/explore")

    page.fill("#search", "区经委")
    page.press("#search", "Enter")
    page.wait_for_function(
        "() => window.explorer && window.explorer.cy.nodes('[label = \"Task\"]').length > 0"
    )
    first = page.locator("#results li").first
    assert "经委" in first.inner_text()

    nodes = drawn_nodes(page)
    center = [n for n in nodes if n["center"]]
    assert len(center) == 1 and center[0]["label"] == "Agency"
    assert "经委" in center[0]["caption"]
    tasks = [n for n in nodes if n["label"] == "Task"]
    assert len(tasks) >= 5
    # Captions as in Neo4j Browser ("N. title"), colours from the same style.
    for task in tasks:
        assert re.match(r"^\d+\. \S", task["caption"]), task
        assert "/" not in task["caption"], task
        assert task["colour"] == rgb(browser_style.NODE_STYLES["Task"].color)
    assert center[0]["colour"] == rgb(browser_style.NODE_STYLES["Agency"].color)

    # Click one task in the drawing: its details, the full text included.
    task = min(tasks, key=lambda n: n["id"])
    box = page.locator("#graph").bounding_box()
    page.mouse.click(box["x"] + task["x"], box["y"] + task["y"])
    details = page.locator("#details")
    details.locator("h3").filter(has_text=task["caption"]).wait_for()
    details.locator('dd[data-key="text"]').wait_for()
    assert details.locator('dd[data-key="id"]').inner_text() == task["id"]
    assert len(details.locator('dd[data-key="text"]').inner_text()) > 20

    page.screenshot(path=str(test_output_dir / "explore.png"))

    # Expand it: its own neighbours (its action group, places, industries…) join the drawing.
    before = len(nodes)
    details.locator("#expand").click()
    page.wait_for_function(f"() => window.explorer.cy.nodes().length > {before}")
    labels = {n["label"] for n in drawn_nodes(page)}
    assert "Action" in labels
    page.screenshot(path=str(test_output_dir / "explore-expanded.png"))
    assert not errors, errors


def test_unknown_name_says_so(page, api_server):
    page.goto(f"{api_server}/explore")
    page.fill("#search", "不存在的单位名称")
    page.press("#search", "Enter")
    page.locator("#status").filter(has_text="没有找到").wait_for(timeout=TIMEOUT_MS)
    assert page.evaluate("() => window.explorer.cy.nodes().length") == 0
