"""Reviewing alignment links in the explore page, in a real browser.

With `serve --allow-curation` (the `curation_server` fixture) the review panel confirms,
rejects and adds links, and the decisions file has the rows; without it the page only shows
the link, and the write route does not exist.
"""

from __future__ import annotations

import pytest

from schema import graph_model as gm
from schema.decisions import read_decisions_file
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TIMEOUT_MS = 20_000


def task_links(graph) -> list[tuple[str, str]]:
    return sorted(
        (u, v)
        for u, v, k in graph.edges(keys=True)
        if k == gm.ALIGNS_WITH and graph.nodes[u]["label"] == gm.TASK
    )


def open_node(page, base: str, node_id: str) -> None:
    page.goto(f"{base}/explore")
    page.wait_for_selector("body[data-ready=true]")
    page.evaluate("id => window.explorer.open(id)", node_id)
    page.locator('#details dd[data-key="text"]').wait_for()


def review_from_details(page, parent_caption: str) -> None:
    """What an analyst does: in the child task's relations, click 审核 next to the parent."""
    row = page.locator("#details ul.links li", has_text=parent_caption)
    row.locator("a.review-link").click()
    page.locator(".side-by-side").wait_for()


def caption(graph, node_id: str) -> str:
    node = graph.nodes[node_id]
    return f"{node['number']}. {node['title']}"


def decide(page, decision: str, note: str) -> str:
    page.locator("#decision-note").fill(note)
    page.locator(f'#decision-form button[data-decision="{decision}"]').click()
    result = page.locator("#decision-result")
    result.filter(has_text="第").wait_for()
    return result.inner_text()


def test_review_confirm_reject_and_add(page, curation_server, bundled_graph, test_output_dir):
    base, decisions = curation_server
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_default_timeout(TIMEOUT_MS)
    (c1, p1), (c2, p2) = task_links(bundled_graph)[:2]

    open_node(page, base, c1)
    assert page.locator("#curation-badge").is_visible()
    review_from_details(page, caption(bundled_graph, p1))

    # Both tasks' text side by side, the evidence terms marked in it.
    child_text = page.locator('.source[data-role="child"] .source-text').inner_text()
    parent_text = page.locator('.source[data-role="parent"] .source-text').inner_text()
    assert child_text == bundled_graph.nodes[c1]["text"]
    assert parent_text == bundled_graph.nodes[p1]["text"]
    evidence = bundled_graph.edges[c1, p1, gm.ALIGNS_WITH]["evidence"]
    marked = set(page.locator(".source mark").all_inner_texts())
    assert marked, "no evidence term marked"
    assert all(any(item.endswith(term) for item in evidence) for term in marked), marked
    for role in ("child", "parent"):
        assert page.locator(f'.source[data-role="{role}"] mark').count() > 0
    lines = page.locator('.source[data-role="child"] .source-plan').inner_text()
    assert str(bundled_graph.nodes[c1]["line_start"]) in lines
    screenshot(page, test_output_dir, "review-panel.png")

    said = decide(page, "confirm", "核对无误")
    assert "rebuild" in said or "重新构建" in said

    open_node(page, base, c2)
    review_from_details(page, caption(bundled_graph, p2))
    decide(page, "reject", "不是同一项工作")

    # Add: from a district task, find a city task it has no link to, by name.
    linked = {v for u, v in task_links(bundled_graph) if u == c1}
    city_plan = bundled_graph.nodes[p1]["plan_id"]
    target = next(
        n
        for n, a in sorted(bundled_graph.nodes(data=True))
        if a["label"] == gm.TASK and a.get("plan_id") == city_plan and n not in linked
    )
    open_node(page, base, c1)
    page.locator("#add-link-query").fill(bundled_graph.nodes[target]["title"])
    page.locator("form.add-link button").click()
    page.locator("#add-link-results a", has_text=bundled_graph.nodes[target]["title"]).click()
    page.locator('#decision-form button[data-decision="add"]').wait_for()
    decide(page, "add", "漏掉的对应")

    rows = read_decisions_file(decisions)
    assert [(d.decision, d.child_key, d.parent_key, d.note) for d in rows] == [
        (
            "confirm",
            bundled_graph.nodes[c1]["number"],
            bundled_graph.nodes[p1]["number"],
            "核对无误",
        ),
        (
            "reject",
            bundled_graph.nodes[c2]["number"],
            bundled_graph.nodes[p2]["number"],
            "不是同一项工作",
        ),
        (
            "add",
            bundled_graph.nodes[c1]["number"],
            bundled_graph.nodes[target]["number"],
            "漏掉的对应",
        ),
    ]
    # The page's own fetch without the token is refused, and writes nothing.
    status = page.evaluate(
        """([child, parent]) => fetch('/curation/decisions', {method: 'POST',
            headers: {'Content-Type': 'application/json'},
            body: JSON.stringify({child, parent, decision: 'confirm'})}).then(r => r.status)""",
        [c2, p2],
    )
    assert status == 403
    assert len(read_decisions_file(decisions)) == 3
    assert not errors, errors


def test_without_allow_curation_the_page_only_reads(page, api_server, bundled_graph):
    page.set_default_timeout(TIMEOUT_MS)
    c1, p1 = task_links(bundled_graph)[0]
    open_node(page, api_server, c1)
    assert not page.locator("#curation-badge").is_visible()
    assert page.locator("#add-link-query").count() == 0
    review_from_details(page, caption(bundled_graph, p1))
    assert page.locator(".source mark").count() > 0  # reviewing still shows the evidence
    assert page.locator("#decision-form").count() == 0
    page.locator("#details .hint", has_text="--allow-curation").wait_for()
    status = page.evaluate(
        """([child, parent]) => fetch('/curation/decisions', {method: 'POST',
            headers: {'Content-Type': 'application/json'},
            body: JSON.stringify({child, parent, decision: 'confirm'})}).then(r => r.status)""",
        [c1, p1],
    )
    assert status in (404, 405)
