"""The explore page in a real browser, on the embedded store (no Neo4j)."""

from __future__ import annotations

import re

import pytest

from api import browser_style
from tests.browser.conftest import screenshot

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

    screenshot(page, test_output_dir, "explore.png")

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


def open_node(page, api_server, node_id: str) -> None:
    page.goto(f"{api_server}/explore")
    page.wait_for_selector("body[data-ready=true]")
    page.evaluate("id => window.explorer.open(id)", node_id)
    page.locator("#details h3").wait_for()
    page.wait_for_function("() => window.explorer.cy.nodes().length > 1")


def task_ids(graph, plan_id: str) -> list[str]:
    return [
        n for n, a in graph.nodes(data=True) if a["label"] == "Task" and a.get("plan_id") == plan_id
    ]


def linked_task(graph) -> tuple[str, str]:
    return min(
        (u, v)
        for u, v, k in graph.edges(keys=True)
        if k == "ALIGNS_WITH" and graph.nodes[u]["label"] == "Task"
    )


def test_details_read_in_chinese_with_numbers_in_order(page, api_server, bundled_graph):
    page.set_default_timeout(TIMEOUT_MS)
    child, _ = linked_task(bundled_graph)
    open_node(page, api_server, child)
    details = page.locator("#details")
    details.locator('dd[data-key="text"]').wait_for()
    names = details.locator("dt").all_inner_texts()
    for chinese in ("编号", "所属计划", "原文行", "原文", "责任单位"):
        assert chinese in names, names
    assert not {"plan_id", "line_start", "line_end", "number"} & set(names), names
    task = bundled_graph.nodes[child]
    lines = details.locator('dd[data-key="lines"]').inner_text()
    assert str(task["line_start"]) in lines and str(task["line_end"]) in lines
    # The plan is named by its title, not its id.
    plan = bundled_graph.nodes[task["plan_id"]]
    details.locator('dd[data-key="plan_id"]', has_text=plan["caption"]).wait_for()

    # A bureau's tasks, in the list and down the drawing, go 1, 2, … 10, 11 (not 1, 10, 11, 2).
    lead = next(u for u, _, k in bundled_graph.in_edges(child, keys=True) if k == "RESPONSIBLE_FOR")
    open_node(page, api_server, lead)
    listed = [
        int(m.group(1))
        for text in page.locator("#details ul.links li").all_inner_texts()
        if (m := re.match(r"^\S*→ (\d+)\. ", text))
    ]
    assert len(listed) >= 10 and listed == sorted(listed), listed
    tasks = sorted((n for n in drawn_nodes(page) if n["label"] == "Task"), key=lambda n: n["y"])
    drawn = [int(n["caption"].split(".")[0]) for n in tasks]
    assert drawn == sorted(drawn), drawn


def test_layers_run_plan_group_task_and_district_to_city(page, api_server, bundled_graph):
    page.set_default_timeout(TIMEOUT_MS)
    child, parent = linked_task(bundled_graph)
    plan_id = bundled_graph.nodes[child]["plan_id"]
    action = next(u for u, _, k in bundled_graph.in_edges(child, keys=True) if k == "HAS_TASK")
    open_node(page, api_server, action)
    page.evaluate("id => window.explorer.expand(id)", plan_id)
    page.wait_for_function("id => window.explorer.cy.getElementById(id).nonempty()", arg=plan_id)
    page.wait_for_timeout(600)  # the expand glides into place
    x = {n["id"]: n["x"] for n in drawn_nodes(page)}
    tasks = [t for t in task_ids(bundled_graph, plan_id) if t in x]
    assert tasks and all(x[plan_id] < x[action] < x[t] for t in tasks)

    # A district task left of the city task it implements.
    open_node(page, api_server, child)
    x = {n["id"]: n["x"] for n in drawn_nodes(page)}
    assert x[child] < x[parent]


def test_captions_do_not_overlap_after_expand(page, api_server, bundled_graph, test_output_dir):
    page.set_default_timeout(TIMEOUT_MS)
    child, parent = linked_task(bundled_graph)
    open_node(page, api_server, child)
    assert page.evaluate("() => window.explorer.labelOverlaps()") == []
    before = page.evaluate("() => window.explorer.cy.nodes().length")
    page.evaluate("id => window.explorer.expand(id)", parent)
    page.wait_for_function(f"() => window.explorer.cy.nodes().length > {before}")
    page.wait_for_timeout(800)  # the glide to the new layout
    assert page.evaluate("() => window.explorer.labelOverlaps()") == []
    # The drawing fits the pane: nothing was laid out off screen.
    box = page.locator("#graph").bounding_box()
    for node in drawn_nodes(page):
        assert 0 <= node["x"] <= box["width"] and 0 <= node["y"] <= box["height"], node
    screenshot(page, test_output_dir, "explore-expanded.png")
