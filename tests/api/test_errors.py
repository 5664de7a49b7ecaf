"""Error answers: one body shape, the right status, the field named, suggestions, no traces."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from queries.errors import StoreUnavailable

ERROR_KEYS = {"error", "message", "field", "suggestions", "details", "retry_after"}


def _error(response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == ERROR_KEYS
    return body


def test_unknown_agency_suggests_the_bureau_and_its_counterpart(api_client):
    body = _error(api_client.get("/agencies/经委/tasks"), 404)
    assert body["error"] == "not_found" and body["field"] == "agency"
    # The district bureau (written 区经委, qualified with its district) and the city bureau
    # it mirrors.
    assert body["suggestions"][:2] == ["松江区经委", "市经济信息化委"]
    assert "经委" in body["message"]


def test_unknown_plan_task_view_node(api_client):
    plan = _error(api_client.get("/plans/松江"), 404)
    assert plan["field"] == "plan" and "松江区" in plan["suggestions"]
    assert _error(api_client.get("/plans/松江/alignment"), 404)["field"] == "plan"

    task = _error(api_client.get("/tasks/沪松府-2023-138/task/99"), 404)
    assert task["field"] == "task"
    assert "沪松府-2023-138/task/9" in task["suggestions"]
    # An id of another kind of node is not a task.
    assert _error(api_client.get("/tasks/agency/310117/松江区经委"), 404)["field"] == "task"

    view = _error(api_client.get("/views/tasks_by_agncy"), 404)
    assert view["field"] == "view" and view["suggestions"][0] == "tasks_by_agency"

    node = _error(api_client.get("/graph/neighbourhood", params={"id": "no/such/node"}), 404)
    assert node["field"] == "node"

    route = _error(api_client.get("/no-such-route"), 404)
    assert route["error"] == "not_found"


@pytest.mark.parametrize(
    ("url", "params", "field"),
    [
        ("/tasks", {"limit": 201}, "limit"),
        ("/tasks", {"limit": 0}, "limit"),
        ("/tasks", {"offset": -1}, "offset"),
        ("/tasks", {"offset": "x"}, "offset"),
        ("/tasks", {"industry": "不存在产业"}, "industry"),
        ("/tasks", {"region": "不存在镇"}, "region"),
        ("/tasks", {"q": "的"}, "q"),
        ("/graph/neighbourhood", {"id": "沪松府-2023-138", "depth": 4}, "depth"),
        ("/graph/neighbourhood", {"id": "沪松府-2023-138", "depth": 0}, "depth"),
        ("/graph/neighbourhood", {}, "id"),
        ("/agencies/区经委/tasks", {"include_collective": "maybe"}, "include_collective"),
        ("/views/tasks_by_agency", {}, "agency"),
        ("/views/tasks_by_agency", {"agency": "区经委", "bogus": "1"}, "bogus"),
        ("/views/tasks_by_agency", {"agency": "区经委", "format": "xml"}, "format"),
        ("/views/neighbourhood", {"id": "x", "depth": 9}, "depth"),
        ("/views/city_task_children", {"plan": "上海市", "task": "seven"}, "task"),
        ("/views/search_tasks", {"q": "集成电路", "limit": 501}, "limit"),
    ],
)
def test_bad_parameters_are_422_naming_the_field(api_client, url, params, field):
    body = _error(api_client.get(url, params=params), 422)
    assert body["error"] == "invalid_parameter"
    assert body["field"] == field
    assert body["message"].startswith(f"{field}:")
    assert field in {d["field"] for d in body["details"]}


def test_bad_filter_value_suggests_close_names(api_client):
    body = _error(api_client.get("/tasks", params={"industry": "集成电"}), 422)
    assert "集成电路" in body["suggestions"]


@pytest.mark.parametrize(
    ("kind", "ref", "urls", "suggested"),
    [
        (
            "agency",
            "经委",
            ["/agencies/{ref}/tasks", "/tasks?agency={ref}", "/views/tasks_by_agency?agency={ref}"],
            "松江区经委",
        ),
        (
            "plan",
            "松江",
            [
                "/plans/{ref}",
                "/plans/{ref}/alignment",
                "/tasks?plan={ref}",
                "/indicators?plan={ref}",
                "/views/plan_overview?plan={ref}",
            ],
            "松江区",
        ),
    ],
)
def test_an_unknown_name_is_404_with_the_same_suggestions_everywhere(
    api_client, kind, ref, urls, suggested
):
    bodies = [_error(api_client.get(url.format(ref=ref)), 404) for url in urls]
    assert {body["field"] for body in bodies} == {kind}
    assert suggested in bodies[0]["suggestions"]
    assert all(body["suggestions"] == bodies[0]["suggestions"] for body in bodies), bodies


def test_a_common_short_name_finds_the_bureau(api_client):
    # 市经信委: the short form analysts type for 市经济信息化委 (no plan writes it that way).
    short = api_client.get("/agencies/市经信委/tasks")
    full = api_client.get("/agencies/市经济信息化委/tasks")
    assert short.status_code == 200 and short.json()["rows"] == full.json()["rows"]


def test_a_known_agency_is_found_whatever_its_rows(api_client):
    # Found by its full name; an empty answer is still an answer, not a 404.
    for params in ({}, {"include_collective": "false"}):
        response = api_client.get("/agencies/佘山镇人民政府/tasks", params=params)
        assert response.status_code == 200, response.text
    direct = api_client.get(
        "/agencies/佘山镇人民政府/tasks", params={"include_collective": "false"}
    )
    assert all(row["via"] == "direct" for row in direct.json()["rows"])


class _BrokenStore:
    """A store whose every read fails the way a real outage or a bug would."""

    kind = "neo4j"

    def __init__(self, error: Exception):
        self.error = error

    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise self.error

        return fail

    def health(self):
        return {"store": self.kind, "reachable": False, "reason": str(self.error)}

    def close(self):
        pass


def test_outage_is_503_with_retry_after_and_no_trace():
    app = create_app(lambda: _BrokenStore(StoreUnavailable("Neo4j is unreachable: refused")))
    with TestClient(app) as client:
        health = client.get("/health")
        assert health.status_code == 503
        assert health.json()["reachable"] is False
        assert int(health.headers["retry-after"]) > 0
        for url in ("/plans", "/tasks", "/views/agency_counterparts", "/agencies/区经委/tasks"):
            response = client.get(url)
            body = _error(response, 503)
            assert body["error"] == "unavailable"
            assert int(response.headers["retry-after"]) == body["retry_after"]
            assert "Traceback" not in response.text


def test_store_unavailable_at_start_up_recovers_without_restart():
    attempts = []

    def factory():
        attempts.append(1)
        if len(attempts) <= 2:  # down at start-up and at the first request
            raise StoreUnavailable("connection refused")
        from queries.embedded_store import EmbeddedStore
        from schema.graph_model import graph_from_snapshot_data

        empty = {"format": "plangraph-snapshot", "version": 1, "nodes": [], "edges": []}
        return EmbeddedStore.from_graph(graph_from_snapshot_data(empty))

    with TestClient(create_app(factory, store_kind="neo4j")) as client:
        down = client.get("/health")
        assert down.status_code == 503 and down.json()["store"] == "neo4j"
        up = client.get("/health")
        assert up.status_code == 200 and up.json()["plans"] == 0
        assert client.get("/tasks").json()["total"] == 0
    assert len(attempts) == 3  # opened once it could be, then kept


def test_unexpected_error_is_a_generic_500_and_logged(caplog):
    secret = "secret internal detail"
    app = create_app(lambda: _BrokenStore(RuntimeError(secret)))
    with TestClient(app, raise_server_exceptions=False) as client, caplog.at_level("ERROR"):
        response = client.get("/plans")
    body = _error(response, 500)
    assert body["error"] == "internal"
    assert secret not in response.text and "Traceback" not in response.text
    assert any(secret in (r.exc_text or "") or secret in str(r.exc_info) for r in caplog.records)
