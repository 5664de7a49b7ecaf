"""Every endpoint, on both stores (see conftest: `api_client` is parametrised)."""

from __future__ import annotations

import csv
import io

import pytest

CITY = "沪府办发-2023-8"
DISTRICT = "沪松府-2023-138"
DISTRICT_TASK = f"{DISTRICT}/task/7"  # 加强质量品牌建设, implements the city's task 8
CITY_TASK = f"{CITY}/task/8"


def test_health_reports_store_and_counts(api_client, store_kind):
    response = api_client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["store"] == store_kind
    assert body["reachable"] is True
    assert body["plans"] == 2
    assert body["tasks"] == 43  # 22 city tasks + 21 district tasks
    assert body["agencies"] > 10
    assert body["links"] > 0


def test_plans_lists_both_bundled_plans(api_client):
    plans = {p["id"]: p for p in api_client.get("/plans").json()["plans"]}
    assert {CITY, DISTRICT} <= set(plans)
    assert plans[CITY]["doc_number"] == "沪府办发〔2023〕8号"
    assert plans[CITY]["tasks"] == 22
    assert plans[DISTRICT]["tasks"] == 21
    assert [p["id"] for p in plans[DISTRICT]["implements"]] == [CITY]
    assert [p["id"] for p in plans[CITY]["implemented_by"]] == [DISTRICT]


def test_plan_by_id_document_number_or_region_gives_the_same_tree(api_client):
    by_id = api_client.get(f"/plans/{DISTRICT}").json()
    by_number = api_client.get("/plans/沪松府〔2023〕138 号").json()
    by_region = api_client.get("/plans/松江区").json()
    assert by_id == by_number == by_region
    assert by_id["title"].startswith("松江区推动制造业高质量发展")
    tasks = [t for action in by_id["action_items"] for t in action["tasks"]]
    assert len(tasks) == 21
    assert [t["number"] for t in tasks] == sorted(t["number"] for t in tasks)
    assert by_id["goal_items"] and by_id["measure_items"]
    assert any(i["metric"] for i in by_id["indicators"])


def test_alignment_has_the_view_rows_and_both_unaligned_sides(api_client):
    response = api_client.get("/plans/松江区/alignment")
    assert response.status_code == 200
    body = response.json()
    view = api_client.get("/views/district_to_city", params={"plan": "松江区"}).json()
    assert body["rows"] == view["rows"]  # the same rows as the view, nothing reinterpreted
    assert [p["id"] for p in body["parents"]] == [CITY]
    pairs = {(r["child_id"], r["parent_id"]) for r in body["rows"]}
    assert (DISTRICT_TASK, CITY_TASK) in pairs
    no_parent = {r["child_id"] for r in body["rows"] if r["status"] == "no parent"}
    no_child = {r["parent_id"] for r in body["rows"] if r["status"] == "no child"}
    assert {t["id"] for t in body["unaligned_children"]} == no_parent
    assert {t["id"] for t in body["unaligned_parents"]} == no_child
    # DESIGN.md: one district task has no city parent.
    assert body["unaligned_children"]


def test_tasks_are_paged(api_client):
    first = api_client.get("/tasks", params={"limit": 10}).json()
    second = api_client.get("/tasks", params={"limit": 10, "offset": 10}).json()
    assert first["total"] == second["total"] == 43
    assert len(first["items"]) == len(second["items"]) == 10
    assert not {t["id"] for t in first["items"]} & {t["id"] for t in second["items"]}
    last = api_client.get("/tasks", params={"limit": 10, "offset": 40}).json()
    assert len(last["items"]) == 3


def test_task_filters_combine(api_client):
    district = api_client.get("/tasks", params={"plan": "松江区", "limit": 200}).json()
    assert district["total"] == 21
    assert all(t["plan_id"] == DISTRICT for t in district["items"])

    ic = api_client.get("/tasks", params={"industry": "集成电路"}).json()
    assert ic["total"] > 0
    ic_district = api_client.get("/tasks", params={"industry": "集成电路", "plan": DISTRICT}).json()
    assert 0 < ic_district["total"] < ic["total"]

    owned = api_client.get("/tasks", params={"agency": "区经委", "limit": 200}).json()
    assert DISTRICT_TASK in {t["id"] for t in owned["items"]}
    assert all(t["plan_id"] == DISTRICT for t in owned["items"])

    search = api_client.get("/tasks", params={"q": "集成电路"}).json()
    assert search["total"] > 0
    assert all("集成电路" in t["matched"] for t in search["items"])
    both = api_client.get("/tasks", params={"q": "质量品牌", "agency": "区经委"}).json()
    assert DISTRICT_TASK in {t["id"] for t in both["items"]}

    view_rows = api_client.get("/views/tasks_by_region", params={"region": "松江区"}).json()
    region = api_client.get("/tasks", params={"region": "松江区", "limit": 200}).json()
    assert {t["id"] for t in region["items"]} == {r["id"] for r in view_rows["rows"]}


def test_task_detail(api_client):
    response = api_client.get(f"/tasks/{DISTRICT_TASK}")
    assert response.status_code == 200
    task = response.json()
    assert task["title"] == "加强质量品牌建设"
    assert task["plan"]["id"] == DISTRICT
    assert task["action"]["id"].startswith(f"{DISTRICT}/action/")
    owners = task["owners"]
    assert owners[0]["name"] == "松江区经委" and owners[0]["role"] == "lead"
    assert owners[0]["order"] == 1
    assert {o["role"] for o in owners[1:]} == {"co"}
    assert CITY_TASK in {p["id"] for p in task["parents"]}
    assert all(p["score"] is not None for p in task["parents"])
    assert task["indicators"] and task["indicators"][0]["id"].startswith(DISTRICT_TASK)
    assert task["source"]["file"] == "songjiang_2023-2025_manufacturing.txt"
    assert 0 < task["source"]["line_start"] <= task["source"]["line_end"]

    city = api_client.get(f"/tasks/{CITY_TASK}").json()
    assert DISTRICT_TASK in {c["id"] for c in city["children"]}
    assert city["parents"] == []


def test_task_detail_lists_places_and_industries(api_client):
    task = api_client.get(f"/tasks/{CITY}/task/1").json()
    names = {i["name"] for i in task["industries"]}
    assert {"集成电路", "生物医药", "人工智能"} <= names


def test_agencies_and_their_tasks(api_client):
    agencies = {a["name"]: a for a in api_client.get("/agencies").json()["agencies"]}
    economic = agencies["松江区经委"]
    assert economic["led"] > 0
    assert "市经济信息化委" in economic["counterparts"]
    assert "松江区经委" in agencies["市经济信息化委"]["counterparts"]

    direct = api_client.get("/agencies/区经委/tasks").json()
    assert direct["rows"] and {r["via"] for r in direct["rows"]} <= {"direct", "collective"}
    with_mirror = api_client.get(
        "/agencies/区经委/tasks", params={"include_counterparts": "true"}
    ).json()
    assert len(with_mirror["rows"]) > len(direct["rows"])
    assert {r["through"] for r in with_mirror["rows"] if r["via"] == "counterpart"} == {
        "市经济信息化委"
    }
    view = api_client.get(
        "/views/tasks_by_agency", params={"agency": "区经委", "include_counterparts": "true"}
    ).json()
    assert with_mirror["rows"] == view["rows"]


def test_collective_lines_count_unless_excluded(api_client):
    # 九亭镇 owns items through 各街镇 as well as some where it is listed by name.
    town = api_client.get("/agencies/九亭镇/tasks").json()["rows"]
    assert {r["via"] for r in town} == {"direct", "collective"}
    direct = api_client.get("/agencies/九亭镇/tasks", params={"include_collective": "false"})
    assert direct.status_code == 200
    assert direct.json()["rows"] == [r for r in town if r["via"] == "direct"]


def test_industries_regions_indicators(api_client):
    industries = {i["name"]: i for i in api_client.get("/industries").json()["industries"]}
    assert industries["集成电路"]["tasks"] > 0
    regions = {r["name"]: r for r in api_client.get("/regions").json()["regions"]}
    # Divisions carry the gazetteer's tier and their code as id.
    assert regions["松江区"]["kind"] == "county" and regions["松江区"]["id"] == "region/310117"
    assert "上海市" in regions["松江区"]["part_of"]

    everything = api_client.get("/indicators").json()["indicators"]
    district = api_client.get("/indicators", params={"plan": "松江区"}).json()["indicators"]
    assert 0 < len(district) < len(everything)
    assert {i["plan_id"] for i in district} == {DISTRICT}
    assert any(i["cascades_to"] for i in district)


def test_views_list_and_run(api_client):
    views = {v["name"]: v for v in api_client.get("/views").json()["views"]}
    assert "tasks_by_agency" in views and "district_to_city" in views
    params = {p["name"]: p for p in views["tasks_by_agency"]["parameters"]}
    assert params["agency"]["required"] is True
    assert params["include_counterparts"]["default"] is False

    result = api_client.get("/views/tasks_by_agency", params={"agency": "区经委"}).json()
    assert result["count"] == len(result["rows"]) > 0
    assert result["parameters"] == {
        "agency": "区经委",
        "include_collective": True,
        "include_counterparts": False,
    }
    assert result["columns"][:2] == ["agency", "plan"]
    # Views without parameters run too.
    assert api_client.get("/views/agency_counterparts").json()["count"] > 0


def test_view_as_csv(api_client):
    response = api_client.get(
        "/views/tasks_by_agency", params={"agency": "区经委", "format": "csv"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert not response.content.startswith(b"\xef\xbb\xbf")  # no BOM
    assert "松江区经委".encode() in response.content  # Chinese as-is
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    json_rows = api_client.get("/views/tasks_by_agency", params={"agency": "区经委"}).json()
    assert len(rows) == json_rows["count"]
    assert rows[0]["id"] == json_rows["rows"][0]["id"]


def test_neighbourhood_graph(api_client):
    one = api_client.get("/graph/neighbourhood", params={"id": DISTRICT_TASK}).json()
    ids = {n["id"] for n in one["nodes"]}
    assert {DISTRICT_TASK, CITY_TASK, "agency/310117/松江区经委"} <= ids
    assert {"source": DISTRICT_TASK, "target": CITY_TASK, "type": "ALIGNS_WITH"} in [
        {k: e[k] for k in ("source", "target", "type")} for e in one["edges"]
    ]
    assert all(e["source"] in ids and e["target"] in ids for e in one["edges"])
    task = next(n for n in one["nodes"] if n["id"] == DISTRICT_TASK)
    assert task["label"] == "Task" and task["properties"]["number"] == 7
    two = api_client.get("/graph/neighbourhood", params={"id": DISTRICT_TASK, "depth": 2}).json()
    assert ids < {n["id"] for n in two["nodes"]}


def test_chinese_is_sent_as_utf8_not_escaped(api_client):
    response = api_client.get(f"/tasks/{DISTRICT_TASK}")
    assert "加强质量品牌建设".encode() in response.content
    assert b"\\u" not in response.content


def test_collective_members_own_a_task_at_the_collective_line_position(api_client):
    task = api_client.get(f"/tasks/{CITY}/task/7").json()
    listed = [o for o in task["owners"] if o["via"] is None]
    members = [o for o in task["owners"] if o["via"] is not None]
    assert task["owners"] == listed + members  # named owners first, in their order
    assert [o["order"] for o in listed] == list(range(1, len(listed) + 1))
    line = next(o for o in listed if o["name"] == "各区政府")
    assert members and {(o["via"], o["order"]) for o in members} == {("各区政府", line["order"])}


def test_task_children_carry_method_and_evidence_like_the_alignment(api_client):
    alignment = api_client.get("/plans/松江区/alignment").json()["rows"]
    by_pair = {(r["child_id"], r["parent_id"]): r for r in alignment if r["score"] is not None}
    city = api_client.get(f"/tasks/{CITY_TASK}").json()
    assert city["children"]
    for child in city["children"]:
        row = by_pair[(child["id"], CITY_TASK)]
        assert (child["method"], child["evidence"]) == (row["method"], row["evidence"])


def test_neighbourhood_edges_carry_their_properties(api_client):
    graph = api_client.get("/graph/neighbourhood", params={"id": DISTRICT_TASK}).json()
    owners = {
        e["source"]: e["properties"] for e in graph["edges"] if e["type"] == "RESPONSIBLE_FOR"
    }
    task = api_client.get(f"/tasks/{DISTRICT_TASK}").json()
    assert owners == {o["id"]: {"role": o["role"], "order": o["order"]} for o in task["owners"]}
    link = next(e for e in graph["edges"] if e["type"] == "ALIGNS_WITH")
    parent = next(p for p in task["parents"] if p["id"] == link["target"])
    assert link["properties"]["score"] == parent["score"]
    node = next(n for n in graph["nodes"] if n["id"] == DISTRICT_TASK)
    assert "text" not in node["properties"]  # long texts come with /explore/node


@pytest.mark.parametrize("url", ["/health", "/plans", "/tasks", "/views/plans", "/guide"])
def test_head_answers_like_get_without_a_body(api_client, url):
    get = api_client.get(url)
    head = api_client.head(url)
    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]


@pytest.mark.parametrize("url", ["/plans/", "/plans/沪松府-2023-138//", "/health/"])
def test_redirects_stay_on_the_site_whatever_the_host_header(api_client, url):
    response = api_client.get(url, follow_redirects=False, headers={"host": "evil.example"})
    assert response.status_code in (307, 308)
    location = response.headers["location"]
    assert location.startswith("/") and "evil.example" not in location
