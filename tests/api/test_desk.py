"""The analyst's desk routes: /plans/{plan}/coverage and /plans/{plan}/ledger.xlsx."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.conftest import PLANS_DIR, PROJECT_ROOT

CITY = "沪府办发-2023-8"
DISTRICT = "沪松府-2023-138"
JIADING = PROJECT_ROOT / "tests" / "plans_pairs" / "jiading_manufacturing.txt"


@pytest.fixture(scope="module")
def two_districts_client() -> Iterator[TestClient]:
    """The bundled city and district plans plus a second district (嘉定) implementing the city."""
    from ingest.build import build_graph
    from queries.embedded_store import EmbeddedStore

    graph = build_graph([*sorted(PLANS_DIR.glob("*.txt")), JIADING]).graph
    with TestClient(create_app(lambda: EmbeddedStore.from_graph(graph))) as client:
        yield client


def _check_coverage_against_the_views(client: TestClient, answer: dict) -> None:
    """Every cell is what city_task_children says for that child plan (rejected left out)."""
    overview = client.get("/views/plan_overview", params={"plan": answer["plan"]["id"]}).json()
    tasks = [row for row in overview["rows"] if row["kind"] == "task"]
    assert [row["task"]["id"] for row in answer["rows"]] == [row["id"] for row in tasks]
    child_ids = [child["id"] for child in answer["children"]]
    for row in answer["rows"]:
        children = client.get(
            "/views/city_task_children",
            params={"plan": answer["plan"]["id"], "task": row["task"]["number"]},
        ).json()["rows"]
        for child_id, cell in zip(child_ids, row["cells"], strict=True):
            expected = [
                (link["child_id"], link["score"])
                for link in children
                if link["child_plan"] == child_id and link["status"] != "rejected"
            ]
            assert [(task["id"], task["score"]) for task in cell] == expected
    totals = answer["totals"]
    assert totals["tasks"] == len(answer["rows"])
    assert totals["covered"] == sum(1 for row in answer["rows"] if any(row["cells"]))
    assert totals["by_child"] == [
        sum(1 for row in answer["rows"] if row["cells"][i]) for i in range(len(child_ids))
    ]


def test_coverage_of_the_city_plan(api_client):
    response = api_client.get("/plans/上海市/coverage")
    assert response.status_code == 200
    answer = response.json()
    assert set(answer) == {"plan", "children", "rows", "totals"}
    assert answer["plan"] == {"id": CITY, "title": answer["plan"]["title"], "level": "city"}
    assert [child["id"] for child in answer["children"]] == [DISTRICT]
    assert answer["children"][0]["region"] == "松江区"
    assert set(answer["rows"][0]["task"]) == {"id", "number", "title", "action"}
    assert all(len(row["cells"]) == 1 for row in answer["rows"])
    assert 0 < answer["totals"]["covered"] <= answer["totals"]["tasks"]
    _check_coverage_against_the_views(api_client, answer)


def test_coverage_with_two_districts(two_districts_client):
    answer = two_districts_client.get("/plans/沪府办发〔2023〕8号/coverage").json()
    titles = [child["title"] for child in answer["children"]]
    assert len(titles) == 2 and titles == sorted(titles)
    assert {child["region"] for child in answer["children"]} == {"松江区", "嘉定区"}
    _check_coverage_against_the_views(two_districts_client, answer)


def test_coverage_of_a_plan_nothing_implements(api_client):
    answer = api_client.get("/plans/松江区/coverage").json()
    assert answer["children"] == []
    assert answer["rows"] and all(row["cells"] == [] for row in answer["rows"])
    assert answer["totals"] == {"tasks": len(answer["rows"]), "covered": 0, "by_child": []}


def test_coverage_of_an_unknown_plan_is_404_with_suggestions(api_client):
    response = api_client.get("/plans/松江/coverage")
    assert response.status_code == 404
    body = response.json()
    assert body["error"] == "not_found"
    assert "松江区" in body["suggestions"]


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_the_ledger_is_an_excel_attachment_named_after_the_plan(api_client):
    import io
    from urllib.parse import quote

    import openpyxl

    response = api_client.get("/plans/松江区/ledger.xlsx")
    assert response.status_code == 200
    assert response.headers["content-type"] == XLSX
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote(DISTRICT)}" in disposition
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["任务", "保障措施"]
    tasks = api_client.get("/views/plan_overview", params={"plan": DISTRICT}).json()["rows"]
    numbers = [row["number"] for row in tasks if row["kind"] == "task"]
    assert [row[0].value for row in book["任务"].iter_rows(min_row=2)] == numbers

    by_agency = api_client.get("/plans/松江区/ledger.xlsx", params={"by_agency": "true"})
    sheets = openpyxl.load_workbook(io.BytesIO(by_agency.content)).sheetnames
    assert sheets[:2] == ["任务", "保障措施"] and len(sheets) > 2
    city = api_client.get(f"/plans/{CITY}/ledger.xlsx")
    assert "覆盖情况" in openpyxl.load_workbook(io.BytesIO(city.content)).sheetnames


def test_the_ledger_of_an_unknown_plan_is_404_with_suggestions(api_client):
    response = api_client.get("/plans/松江/ledger.xlsx")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")
    assert "松江区" in response.json()["suggestions"]


def test_a_bad_by_agency_is_422(api_client):
    response = api_client.get("/plans/松江区/ledger.xlsx", params={"by_agency": "perhaps"})
    assert response.status_code == 422
