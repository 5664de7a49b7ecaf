"""Neo4j Browser at :7474/browser/, for real: connect, the guide opens, a view is drawn.

Debian's Chromium (headless) drives the Browser shipped with the local Neo4j, which holds the
bundled plans; the API serves the guide and the style on 127.0.0.1:8000.
"""

from __future__ import annotations

import re

import pytest

from api import browser_style
from schema import graph_model as gm
from tests.browser.conftest import screenshot

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
    raise AssertionError(f"the guide has no slide with {figure}")


def node_captions(frame) -> list[str]:
    """The caption drawn in each node of the frame's graph (its <text> lines joined)."""
    return frame.locator("svg g.node").evaluate_all(
        "nodes => nodes.map(n => [...n.querySelectorAll('text')]"
        ".map(t => t.textContent.trim()).filter(Boolean).join(''))"
    )


def connect(page, neo4j_settings):
    """Open the Browser and connect with the form, as a person would; the guide opens by
    itself (browser.post_connect_cmd). Returns the guide's carousel."""
    browser_url = neo4j_settings.get("NEO4J_HTTP_URL", "http://127.0.0.1:7474").rstrip("/")
    page.set_default_timeout(TIMEOUT_MS)
    page.set_viewport_size({"width": 1400, "height": 1300})  # the drawing and the guide
    page.goto(f"{browser_url}/browser/")
    page.get_by_test_id("username").fill(neo4j_settings["NEO4J_USER"])
    page.get_by_test_id("password").fill(neo4j_settings["NEO4J_PASSWORD"])
    page.get_by_test_id("connect").click()
    carousel = page.get_by_test_id("carousel")
    carousel.wait_for()
    return carousel


def run_view_from_guide(page, carousel, view: str):
    """Set the view's parameters and run it from its guide slide; returns the result frame."""
    params = page.locator(f'figure[data-view="{view}"][data-step="params"]')
    show_slide_with(carousel, params)
    run_block(page, params.locator("pre.runnable"))
    # One :param line gives a :param frame (several, a multi-statement frame); either way the
    # parameter then shows in the :params list.
    page.get_by_test_id("frameCommand").filter(has_text=":param").first.wait_for()
    query = page.locator(f'figure[data-view="{view}"][data-step="query"]')
    run_block(page, query.locator("pre.runnable"))
    result = page.get_by_test_id("frame").first
    result.locator("svg g.node").first.wait_for()
    return result


def test_guide_opens_and_draws_tasks_by_agency(
    page, neo4j_settings, loaded_neo4j, api_server, bundled_graph, test_output_dir
):
    # The guide opens by itself (browser.post_connect_cmd) and shows the store's counts.
    carousel = connect(page, neo4j_settings)
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
    screenshot(page, test_output_dir, "browser-guide.png")


def node_fills(frame) -> list[str]:
    """The fill colour of every node circle drawn in the frame, as #RRGGBB."""
    return frame.locator("svg g.node circle.b-outline").evaluate_all(
        "circles => circles.map(c => c.getAttribute('fill'))"
    )


def test_district_to_city_draws_city_and_district_tasks_in_two_colours(
    page, neo4j_settings, loaded_neo4j, api_server, bundled_graph, test_output_dir
):
    carousel = connect(page, neo4j_settings)
    run_block(page, carousel.locator("pre.runnable", has_text=":style"))
    page.get_by_test_id("frameCommand").filter(has_text=":style").first.wait_for()
    result = run_view_from_guide(page, carousel, "district_to_city")
    page.wait_for_timeout(1500)  # let the force layout settle before looking and shooting

    # The loader gave each task its plan's level as a second label.
    with loaded_neo4j.session() as session:
        levels = dict(
            session.run(
                "MATCH (t:Task) RETURN [l IN labels(t) WHERE l <> 'Task'][0] AS level, "
                "count(*) AS tasks"
            ).values()
        )
    city, district = gm.TASK_LEVEL_LABELS["city"], gm.TASK_LEVEL_LABELS["district"]
    assert levels.get(city) and levels.get(district), levels

    city_colour = browser_style.TASK_LEVEL_STYLES[city].color.lower()
    district_colour = browser_style.TASK_LEVEL_STYLES[district].color.lower()
    assert city_colour != district_colour
    fills = [fill.lower() for fill in node_fills(result)]
    assert fills.count(city_colour) >= 5, fills
    assert fills.count(district_colour) >= 5, fills
    # No task left in the plain Task colour: every drawn task shows its level.
    assert browser_style.NODE_STYLES[gm.TASK].color.lower() not in fills
    # The overview lists the two labels, so a reader can tell which colour is which.
    overview = result.inner_text()
    assert city in overview and district in overview

    for command in (":param", ":style"):
        frame = page.get_by_test_id("frame").filter(
            has=page.get_by_test_id("frameCommand").filter(has_text=command)
        )
        frame.locator('button[title="Close"]').first.click()
    # The picture for docs/: the drawing alone, large enough to read the captions.
    result.locator('button[title="Fullscreen"]').first.click()
    page.wait_for_timeout(1000)
    fit = page.locator('[aria-label="zoom-to-fit"], .zoom-to-fit, [title="Zoom to fit"]')
    if fit.count():  # only the picture depends on it; the Browser's markup may change
        fit.first.click()
        page.wait_for_timeout(1000)
    screenshot(page, test_output_dir, "browser-two-colours.png")
