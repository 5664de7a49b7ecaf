"""The Browser style: one source (api/browser_style.py) for the .grass file and the JSON.

The GraSS reader below follows what Neo4j Browser's parser does (CSS-like rules; quotes
dropped; each declaration split once on ';' and ':'), so a value it would mangle shows here.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from api import browser_style
from schema import graph_model as gm


def read_grass(text: str) -> dict[str, dict[str, str]]:
    rules: dict[str, dict[str, str]] = {}
    selector, body = "", ""
    in_body = in_string = False
    depth = 0
    for char in text:
        if char == '"':
            in_string = not in_string  # quotes are dropped, as Browser does
            continue
        if not in_string and char == "{":
            if in_body:
                depth += 1  # a `{property}` binding outside quotes
                body += char
            in_body = True
            continue
        if not in_string and char == "}":
            if depth:
                depth -= 1
                body += char
                continue
            rules[selector] = _declarations(body)
            selector, body, in_body = "", "", False
            continue
        if in_body:
            body += char
        elif not char.isspace():
            selector += char  # Browser glues any stray text onto the next selector
    return rules


def _declarations(body: str) -> dict[str, str]:
    props = {}
    for declaration in body.split(";"):
        parts = declaration.split(":")
        if len(parts) == 2:  # Browser ignores any other shape
            props[parts[0].strip()] = parts[1].strip()
    return props


@pytest.fixture(scope="module")
def grass() -> dict[str, dict[str, str]]:
    return read_grass(browser_style.GRASS_PATH.read_text(encoding="utf-8"))


def test_committed_grass_is_what_the_module_renders():
    committed = browser_style.GRASS_PATH.read_text(encoding="utf-8")
    assert committed == browser_style.render_grass(), (
        "api/browser-style.grass is stale: run `python -m api.browser_style --write`"
    )


def test_every_label_and_relationship_type_is_styled():
    assert set(browser_style.NODE_STYLES) == set(gm.LABELS)
    assert set(browser_style.REL_STYLES) == set(gm.REL_TYPES)


def test_nothing_precedes_the_first_rule():
    # Browser's parser has no comments: text before `node {` would join the selector.
    assert browser_style.render_grass().startswith("node {")


def test_grass_and_json_agree(grass):
    data = browser_style.style_json()
    assert grass["node"]["caption"] == "{name}"  # unknown labels still read, never an id
    for label, style in data["nodes"].items():
        rule = grass[f"node.{label}"]
        assert rule["color"] == style["color"]
        assert rule["border-color"] == style["border"]
        assert rule["text-color-internal"] == style["text_color"]
        assert rule["caption"] == style["caption"]
        assert rule["diameter"] == f"{style['diameter']}px"
    for rel_type, style in data["relationships"].items():
        rule = grass[f"relationship.{rel_type}"]
        assert rule["caption"] == style["caption"]
        assert rule["color"] == style["color"]


def test_captions_are_words_a_person_reads(grass):
    # A task shows its number and title ("3. 布局新赛道和未来产业"); nothing shows an id.
    task = {"id": "p/task/3", "number": 3, "name": "布局新赛道和未来产业"}
    assert browser_style.fill_caption(grass["node.Task"]["caption"], task) == (
        "3. 布局新赛道和未来产业"
    )
    for selector, rule in grass.items():
        assert "<id>" not in rule.get("caption", ""), selector
        assert "{id}" not in rule.get("caption", ""), selector
    for rel_type in gm.REL_TYPES:
        caption = grass[f"relationship.{rel_type}"]["caption"]
        assert caption and caption != rel_type and "<type>" not in caption


def test_caption_for_fills_the_template_and_falls_back_to_the_name():
    assert browser_style.caption_for("Task", {"number": 7, "name": "加强企业服务"}) == (
        "7. 加强企业服务"
    )
    assert browser_style.caption_for("Agency", {"name": "松江区经委", "id": "agency/x"}) == (
        "松江区经委"
    )
    # A plan before the builder gives it a short caption: its name, not an empty circle.
    assert browser_style.caption_for("Plan", {"name": "松江区…行动计划", "id": "p"}) == (
        "松江区…行动计划"
    )
    assert browser_style.caption_for("Plan", {"name": "长标题", "caption": "松江区 2023-2025"}) == (
        "松江区 2023-2025"
    )
    assert browser_style.caption_properties("Task") == ["number", "name"]
    assert browser_style.fill_caption("{tags}", {"tags": ["a", "b"]}) == "a, b"


def test_colours_are_distinct_per_label():
    colours = [style.color for style in browser_style.NODE_STYLES.values()]
    assert len(set(colours)) == len(colours)
    for colour in colours:
        assert re.fullmatch(r"#[0-9A-F]{6}", colour)


def test_cli_writes_the_file(tmp_path, monkeypatch, capsys):
    target = tmp_path / "style.grass"
    monkeypatch.setattr(browser_style, "GRASS_PATH", target)
    assert browser_style.main(["--write"]) == 0
    assert target.read_text(encoding="utf-8") == browser_style.render_grass()
    assert browser_style.main([]) == 0
    assert capsys.readouterr().out == browser_style.render_grass()


@pytest.fixture(scope="module")
def client() -> TestClient:
    from fastapi import FastAPI

    from api.routers import browse

    # The style routes need no store, so a bare app with the router is enough.
    app = FastAPI()
    app.include_router(browse.router)
    return TestClient(app)


def test_style_grass_is_served_for_the_browser(client):
    response = client.get("/browser/style.grass", headers={"Origin": "http://127.0.0.1:7474"})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text == browser_style.GRASS_PATH.read_text(encoding="utf-8")


def test_style_grass_answers_the_browsers_preflight(client):
    # Browser sends no-cache headers, which are not CORS-safelisted: Chromium asks first.
    response = client.options(
        "/browser/style.grass",
        headers={
            "Origin": "http://127.0.0.1:7474",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "pragma,cache-control",
        },
    )
    assert response.status_code in (200, 204)
    assert response.headers["access-control-allow-origin"] == "*"
    allowed = response.headers["access-control-allow-headers"].lower()
    assert allowed == "*" or {"pragma", "cache-control"} <= set(allowed.split(","))


def test_style_json_is_the_same_mapping(client):
    response = client.get("/browser/style.json")
    assert response.status_code == 200
    assert response.json() == browser_style.style_json()


# -- the builder's side of the contract ------------------------------------------------------


@pytest.fixture(scope="module")
def bundled_graph():
    from ingest.build import build_graph
    from tests.conftest import PLANS_DIR

    return build_graph(sorted(PLANS_DIR.glob("*.txt"))).graph


@pytest.mark.parametrize("label", gm.LABELS)
def test_the_builder_sets_what_each_caption_reads(bundled_graph, label):
    nodes = [a for _, a in bundled_graph.nodes(data=True) if a["label"] == label]
    wanted = browser_style.caption_properties(label)
    missing = [a["id"] for a in nodes if any(a.get(key) in (None, "") for key in wanted)]
    assert not missing, f"{label} nodes without {wanted}: {missing[:5]}"


def test_task_levels_are_styled_in_their_own_colours(grass):
    # Neo4j gives a task its plan's level as a second label; city and district must differ
    # from each other and from the plain Task colour, and come after node.Task in the file
    # (Browser applies the matching rules in order, the last colour winning).
    levels = browser_style.TASK_LEVEL_STYLES
    assert set(levels) == set(gm.TASK_LEVEL_LABELS.values())
    colours = [style.color for style in levels.values()]
    task_colour = browser_style.NODE_STYLES[gm.TASK].color
    assert len(set(colours)) == len(colours) and task_colour not in colours
    order = list(grass)
    for label, style in levels.items():
        rule = grass[f"node.{label}"]
        assert rule["color"] == style.color
        assert rule["caption"] == browser_style.NODE_STYLES[gm.TASK].caption
        assert order.index(f"node.{label}") > order.index(f"node.{gm.TASK}")
