"""The coverage heatmap in the explore page: the city plan's tasks × the district plans."""

from __future__ import annotations

import json
from urllib.parse import quote
from urllib.request import urlopen

import pytest

from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TIMEOUT_MS = 20_000


def coverage(base: str, plan_id: str) -> dict:
    with urlopen(f"{base}/plans/{quote(plan_id, safe='')}/coverage") as response:
        return json.load(response)


def city_plan(base: str) -> str:
    with urlopen(f"{base}/plans") as response:
        body = json.load(response)
    plans = body["plans"] if isinstance(body, dict) else body
    return next(p["id"] for p in plans if p.get("level") == "city")


def test_heatmap_cells_and_a_click_shows_the_implementing_tasks(
    page, districts_server, test_output_dir
):
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_default_timeout(TIMEOUT_MS)
    page.set_viewport_size({"width": 1500, "height": 1000})
    plan_id = city_plan(districts_server)
    answer = coverage(districts_server, plan_id)
    assert len(answer["children"]) >= 3

    # From the plan's details, as an analyst gets there.
    page.goto(f"{districts_server}/explore")
    page.wait_for_selector("body[data-ready=true]")
    page.evaluate("id => window.explorer.open(id)", plan_id)
    page.locator("#coverage-button").click()
    heatmap = page.locator("#heatmap")
    heatmap.wait_for()

    columns = heatmap.locator("thead th.child").all_inner_texts()
    assert columns == [c["region"] or c["title"] for c in answer["children"]]
    rows = heatmap.locator("tbody tr[data-task]")
    assert rows.count() == len(answer["rows"])
    cells = heatmap.locator("td.cell")
    assert cells.count() == len(answer["rows"]) * len(answer["children"])
    assert heatmap.locator("td.cell.gap").count() == sum(
        1 for row in answer["rows"] for cell in row["cells"] if not cell
    )
    numbers = [int(n) for n in heatmap.locator("tbody td.num").all_inner_texts()]
    assert numbers == sorted(numbers)

    # The task with the most implementing tasks in one district: click, and they are listed.
    row, column = max(
        ((r, i) for r in answer["rows"] for i in range(len(answer["children"]))),
        key=lambda pair: (len(pair[0]["cells"][pair[1]]), -pair[0]["task"]["number"]),
    )
    expected = row["cells"][column]
    assert expected
    cell = heatmap.locator(f'tr[data-task="{row["task"]["id"]}"] td.cell').nth(column)
    assert cell.inner_text() == str(len(expected))
    cell.click()
    listed = page.locator("#cell-detail li[data-id]")
    listed.first.wait_for()
    assert sorted(listed.evaluate_all("items => items.map(i => i.dataset.id)")) == sorted(
        item["id"] for item in expected
    )
    totals = heatmap.locator("tr.totals td").all_inner_texts()
    assert f"{answer['totals']['covered']} / {answer['totals']['tasks']}" in totals[1]
    screenshot(page, test_output_dir, "coverage-heatmap.png")

    # A listed task opens in the drawing.
    listed.first.locator("a").click()
    page.wait_for_function(
        "id => window.explorer.cy.getElementById(id).hasClass('center')", arg=expected[0]["id"]
    )
    assert page.locator("#coverage").is_hidden()
    assert not errors, errors
