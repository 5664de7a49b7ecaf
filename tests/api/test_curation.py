"""The review routes: only with --allow-curation, only with the token, rows written whole.

The decisions file they write is read back by the builder, which applies it: a confirm
becomes a confirmed link, a reject removes it, an add appears as a manual link.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.routers.curation import TOKEN_HEADER, CurationAccess
from schema import graph_model as gm
from schema.decisions import (
    NEW_FILE_HEADER,
    Decision,
    DecisionsFileError,
    read_decisions_file,
    record_decision,
)
from schema.paths import DEFAULT_DECISIONS
from tests.conftest import PLANS_DIR

LOOPBACK = "http://127.0.0.1:38010"


def task_links(graph) -> list[tuple[str, str, dict]]:
    return sorted(
        (u, v, attrs)
        for u, v, key, attrs in graph.edges(keys=True, data=True)
        if key == gm.ALIGNS_WITH and graph.nodes[u]["label"] == gm.TASK
    )


def unlinked_pair(graph) -> tuple[str, str]:
    """A child task and a parent task of the implemented plan with no link between them."""
    child, parent, _ = task_links(graph)[0]
    parent_plan = graph.nodes[parent]["plan_id"]
    linked = {v for _, v, k in graph.out_edges(child, keys=True) if k == gm.ALIGNS_WITH}
    others = sorted(
        n
        for n, a in graph.nodes(data=True)
        if a["label"] == gm.TASK and a.get("plan_id") == parent_plan and n not in linked
    )
    return child, others[-1]


@pytest.fixture()
def decisions_file(tmp_path) -> Path:
    # A copy of the project's file: its comments and header must survive every write.
    path = tmp_path / "alignment.tsv"
    path.write_text(DEFAULT_DECISIONS.read_text(encoding="utf-8"), encoding="utf-8")
    return path


@pytest.fixture()
def curation_client(embedded_factory, decisions_file):
    access = CurationAccess(decisions=decisions_file)
    app = create_app(embedded_factory, store_kind="embedded", curation=access)
    with TestClient(app, base_url=LOOPBACK) as client:
        client.headers[TOKEN_HEADER] = access.token
        yield client


def post(client, child, parent, decision, note="", **kwargs):
    body = {"child": child, "parent": parent, "decision": decision, "note": note}
    return client.post("/curation/decisions", json=body, **kwargs)


def test_without_allow_curation_there_are_no_write_routes(embedded_client, bundled_graph):
    child, parent, _ = task_links(bundled_graph)[0]
    response = embedded_client.post(
        "/curation/decisions", json={"child": child, "parent": parent, "decision": "confirm"}
    )
    assert response.status_code in (404, 405)
    assert embedded_client.get("/curation/session").status_code == 404
    paths = embedded_client.get("/openapi.json").json()["paths"]
    assert not [p for p in paths if p.startswith("/curation")]
    assert not [p for p, item in paths.items() if set(item) & {"post", "put", "delete"}]


def test_confirm_reject_add_write_rows_and_keep_the_file(
    curation_client, decisions_file, bundled_graph
):
    before = decisions_file.read_text(encoding="utf-8")
    (c1, p1, _), (c2, p2, _) = task_links(bundled_graph)[:2]
    c3, p3 = unlinked_pair(bundled_graph)

    confirmed = post(curation_client, c1, p1, "confirm", "核对无误 (test)")
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["replaced"] is None
    assert "rebuild applies" in confirmed.json()["applies"]
    assert post(curation_client, c2, p2, "reject", "not the same work").status_code == 200
    added = post(curation_client, c3, p3, "add", "missed\twith a tab\nand a line break")
    assert added.status_code == 200, added.text

    text = decisions_file.read_text(encoding="utf-8")
    assert text.startswith(before)  # every comment and the header as they were
    rows = read_decisions_file(decisions_file)
    assert [(d.decision, d.level) for d in rows] == [
        ("confirm", "task"),
        ("reject", "task"),
        ("add", "task"),
    ]
    child, parent = bundled_graph.nodes[c1], bundled_graph.nodes[p1]
    assert rows[0].child_key == child["number"] and rows[0].parent_key == parent["number"]
    assert rows[0].child_title == child["title"] and rows[0].parent_title == parent["title"]
    assert rows[0].child_doc == bundled_graph.nodes[child["plan_id"]]["doc_number"]
    assert rows[0].note == "核对无误 (test)"
    assert rows[2].note == "missed with a tab and a line break"

    # A second decision on a link replaces the first, in place: the reader refuses two.
    changed = post(curation_client, c1, p1, "reject", "changed my mind")
    assert changed.status_code == 200
    assert changed.json()["replaced"]["decision"] == "confirm"
    rows = read_decisions_file(decisions_file)
    assert [d.decision for d in rows] == ["reject", "reject", "add"]
    assert rows[0].note == "changed my mind"

    found = curation_client.get("/curation/decisions", params={"child": c1, "parent": p1})
    assert found.json()["decision"]["decision"] == "reject"
    assert found.headers["cache-control"] == "no-store"  # the file changes under the same URL
    assert curation_client.get("/curation/session").headers["cache-control"] == "no-store"


def test_the_builder_applies_what_was_written(curation_client, decisions_file, bundled_graph):
    from ingest.build import build_graph

    (c1, p1, _), (c2, p2, _) = task_links(bundled_graph)[:2]
    c3, p3 = unlinked_pair(bundled_graph)
    for child, parent, decision in ((c1, p1, "confirm"), (c2, p2, "reject"), (c3, p3, "add")):
        assert post(curation_client, child, parent, decision, "t").status_code == 200
    result = build_graph(sorted(PLANS_DIR.glob("*.txt")), decisions=decisions_file)
    assert not result.problems, result.problems
    graph = result.graph
    assert graph.edges[c1, p1, gm.ALIGNS_WITH]["status"] == "confirmed"
    assert not graph.has_edge(c2, p2, gm.ALIGNS_WITH)
    assert graph.edges[c3, p3, gm.ALIGNS_WITH]["status"] == "manual"


def test_a_write_without_or_with_a_wrong_token_is_forbidden(
    curation_client, decisions_file, bundled_graph
):
    before = decisions_file.read_bytes()
    child, parent, _ = task_links(bundled_graph)[0]
    token = curation_client.headers.pop(TOKEN_HEADER)
    missing = post(curation_client, child, parent, "confirm")
    wrong = post(curation_client, child, parent, "confirm", headers={TOKEN_HEADER: token + "x"})
    assert missing.status_code == 403 and TOKEN_HEADER in missing.json()["message"]
    assert wrong.status_code == 403
    assert decisions_file.read_bytes() == before


def test_other_hosts_and_origins_are_refused(curation_client, bundled_graph):
    child, parent, _ = task_links(bundled_graph)[0]
    # A page of another name resolved to 127.0.0.1 (DNS rebinding) sends its own Host.
    rebound = post(curation_client, child, parent, "confirm", headers={"Host": "evil.example"})
    assert rebound.status_code == 403
    assert (
        curation_client.get("/curation/session", headers={"Host": "evil.example"}).status_code
        == 403
    )
    other_site = post(
        curation_client, child, parent, "confirm", headers={"Origin": "http://evil.example"}
    )
    assert other_site.status_code == 403
    same_site = post(curation_client, child, parent, "confirm", headers={"Origin": LOOPBACK})
    assert same_site.status_code == 200


def test_decisions_that_do_not_fit_the_graph_are_refused(
    curation_client, decisions_file, bundled_graph
):
    before = decisions_file.read_bytes()
    c3, p3 = unlinked_pair(bundled_graph)
    child, parent, _ = task_links(bundled_graph)[0]
    plan = bundled_graph.nodes[child]["plan_id"]
    # Rejecting or confirming a link the graph does not have: say so, write nothing.
    assert post(curation_client, c3, p3, "reject").status_code == 409
    assert "add it instead" in post(curation_client, c3, p3, "confirm").json()["message"]
    # Not plan items, or the wrong way round (a parent plan does not implement its child).
    assert post(curation_client, plan, parent, "add").status_code == 422
    assert post(curation_client, parent, child, "add").status_code == 422
    assert post(curation_client, child + "x", parent, "add").status_code == 404
    assert post(curation_client, child, parent, "maybe").status_code == 422
    assert decisions_file.read_bytes() == before


def test_a_broken_decisions_file_is_left_alone(curation_client, decisions_file, bundled_graph):
    with decisions_file.open("a", encoding="utf-8") as out:
        out.write("a line with spaces instead of tabs\n")
    before = decisions_file.read_bytes()
    child, parent, _ = task_links(bundled_graph)[0]
    response = post(curation_client, child, parent, "confirm")
    assert response.status_code == 409
    assert f"{decisions_file.name}:" in response.json()["message"]
    assert decisions_file.read_bytes() == before


# -- the file format itself --------------------------------------------------------------------


def decision(child_key: int, verdict: str, note: str = "") -> Decision:
    return Decision(
        "沪松府〔2023〕138号", "task", child_key, "", "沪府办发〔2023〕8号", 1, "", verdict, note
    )


def test_record_creates_a_missing_file_with_its_header(tmp_path):
    path = tmp_path / "new.tsv"
    recorded = record_decision(path, decision(3, "add", "x"))
    assert path.read_text(encoding="utf-8").startswith(NEW_FILE_HEADER)
    assert recorded.decision.line == len(path.read_text(encoding="utf-8").splitlines())
    assert read_decisions_file(path) == (recorded.decision,)


def test_record_keeps_crlf_lines_a_bom_and_a_last_line_without_newline(tmp_path):
    path = tmp_path / "windows.tsv"
    first = decision(1, "confirm").to_line()
    second = decision(2, "reject").to_line()
    path.write_bytes(("\ufeff# 注释\r\n" + first + "\r\n" + second).encode("utf-8"))
    record_decision(path, decision(1, "reject", "换"))
    record_decision(path, decision(5, "add"))
    raw = path.read_bytes()
    assert raw.startswith("\ufeff# 注释\r\n".encode())
    lines = raw.decode("utf-8-sig").splitlines(keepends=True)
    assert lines[1] == decision(1, "reject", "换").to_line() + "\r\n"
    assert lines[2] == second + "\n"
    assert [d.child_key for d in read_decisions_file(path)] == [1, 2, 5]


def test_record_refuses_a_broken_file_and_leaves_it(tmp_path):
    path = tmp_path / "broken.tsv"
    path.write_text("only one field\n", encoding="utf-8")
    with pytest.raises(DecisionsFileError, match=r"broken.tsv:1: expected 9"):
        record_decision(path, decision(1, "add"))
    assert path.read_text(encoding="utf-8") == "only one field\n"
    assert not [p for p in tmp_path.iterdir() if p.name != "broken.tsv"]  # no temp file left


def test_concurrent_records_lose_nothing(tmp_path):
    path = tmp_path / "busy.tsv"
    threads = [
        threading.Thread(target=record_decision, args=(path, decision(n, "add", f"n{n}")))
        for n in range(1, 31)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(d.child_key for d in read_decisions_file(path)) == list(range(1, 31))


# -- plangraph serve --allow-curation ------------------------------------------------------------


def test_serve_refuses_curation_on_any_address_but_loopback(tmp_path):
    from tests.conftest import plangraph

    result = plangraph("serve", "--allow-curation", "--host", "0.0.0.0", "--port", "38011")
    assert result.returncode == 2
    assert "127.0.0.1 only" in result.stderr + result.stdout


def test_serve_refuses_curation_with_a_broken_decisions_file(tmp_path):
    from tests.conftest import plangraph

    broken = tmp_path / "broken.tsv"
    broken.write_text("only one field\n", encoding="utf-8")
    result = plangraph("serve", "--allow-curation", "--decisions", str(broken), "--port", "38011")
    assert result.returncode == 2
    assert f"{broken}:1" in result.stderr + result.stdout
