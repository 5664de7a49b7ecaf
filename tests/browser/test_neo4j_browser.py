"""Neo4j Browser at :7474/browser/, for real: connect, the guide opens, a view is drawn.

Debian's Chromium (headless) drives the Browser shipped with the local Neo4j, which holds the
bundled plans; the API serves the guide and the style on 127.0.0.1:8000.
"""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.neo4j, pytest.mark.slow]

TIMEOUT_MS = 30_000


def run_block(page, block) -> None:
    """What an analyst does: click the guide's block (it fills the editor), then Run."""
    block.click()
    page.get_by_test_id("editor-Run").click()


def show_slide_with(carousel, figure) -> None:
    for _ in range(60):
        if figure.count() and figure.is_visible():
            return
        carousel.get_by_test_id("nextSlide").click()
    raise AssertionError("the guide has no slide with the tasks_by_agency view")


def node_captions(frame) -> list[str]:
    """The caption drawn in each node of the frame's graph (its <text> lines joined)."""
    return frame.locator("svg g.node").evaluate_all(
        "nodes => nodes.map(n => [...n.querySelectorAll('text')]"
        ".map(t => t.textContent.trim()).filter(Boolean).join(''))"
    )


def test_guide_opens_and_draws_tasks_by_agency(
    page, neo4j_settings, loaded_neo4j, api_server, bundled_graph, test_output_dir
):
    browser_url = neo4j_settings.get("NEO4J_HTTP_URL", "http://127.0.0.1:7474").rstrip("/")
    page.set_default_timeout(TIMEOUT_MS)
    page.set_viewport_size({"width": 1400, "height": 1300})  # the drawing and the guide
    page.goto(f"{browser_url}/browser/")

    # Connect with the form, as a person would.
    page.get_by_test_id("username").fill(neo4j_settings["NEO4J_USER"])
    page.get_by_test_id("password").fill(neo4j_settings["NEO4J_PASSWORD"])
    page.get_by_test_id("connect").click()

    # The guide opens by itself (browser.post_connect_cmd) and shows the store's counts.
    carousel = page.get_by_test_id("carousel")
    carousel.wait_for()
    guide_frame = page.get_by_test_id("frame").filter(has=carousel)
    assert f"play {api_server}/guide" in guide_frame.get_by_test_id("frameCommand").inner_text()
    intro = carousel.inner_text()
    assert "plangraph" in intro
    tasks = sum(1 for _, a in bundled_graph.nodes(data=True) if a["label"] == "Task")
    assert re.search(rf"\b{tasks}\b\s*任务", intro), intro

    # Readable captions and colours: the guide's own :style block.
    run_block(page, carousel.locator("pre.runnable", has_text=":style"))
    page.get_by_test_id("frameCommand").filter(has_text=":style").first.wait_for()

    # tasks_by_agency, 区经委: first the parameters, then the view.
    params = page.locator('figure[data-view="tasks_by_agency"][data-step="params"]')
    show_slide_with(carousel, params)
    # 区经委, resolved to its node's id as the store resolves it for every call of the view.
    assert ":param agency => 'agency/310117/松江区经委';" in params.inner_text()
    run_block(page, params.locator("pre.runnable"))
    page.wait_for_function(
        "() => { const icons = [...document.querySelectorAll("
        "'[data-testid=multi-statement-list-icon]')];"
        " return icons.length >= 3 && icons.slice(0, 3).every("
        "i => i.title === 'Status: success'); }",
        timeout=TIMEOUT_MS,
    )
    query = page.locator('figure[data-view="tasks_by_agency"][data-step="query"]')
    run_block(page, query.locator("pre.runnable"))

    # The newest frame is on top: the view's result, drawn.
    result = page.get_by_test_id("frame").first
    result.locator("svg g.node").first.wait_for()
    page.wait_for_timeout(1500)  # let the force layout settle before looking and shooting
    captions = node_captions(result)
    assert len(captions) >= 5, captions
    assert all(captions), f"a node without a caption: {captions}"
    assert not [c for c in captions if "/" in c], f"ids instead of captions: {captions}"
    assert any(re.match(r"^\d+\.\s*\S", c) for c in captions), f"no 'N. title': {captions}"
    assert any("经委" in c for c in captions), f"the agency is not drawn: {captions}"
    overview = result.inner_text()
    assert "Task" in overview and "Agency" in overview

    # Close the :param and :style frames so the picture shows the drawing above the guide.
    for command in (":param", ":style"):
        frame = page.get_by_test_id("frame").filter(
            has=page.get_by_test_id("frameCommand").filter(has_text=command)
        )
        frame.locator('button[title="Close"]').first.click()
    page.wait_for_timeout(500)
    page.screenshot(path=str(test_output_dir / "browser-guide.png"))
