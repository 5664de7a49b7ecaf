"""The Neo4j Browser guide (GET /guide) and the view files as Browser favourites."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest
from fastapi.testclient import TestClient

from api import guide
from api.app import create_app
from queries.embedded_store import EmbeddedStore
from queries.neo4j_store import Neo4jStore
from queries.registry import all_views, parse_view, view_files

ORIGIN = {"Origin": "http://127.0.0.1:7474"}


def small_graph() -> nx.MultiDiGraph:
    """Two plans, three tasks, two agencies, one alignment link: counts the test can know."""
    g = nx.MultiDiGraph()

    def node(node_id: str, label: str, name: str, **props) -> None:
        g.add_node(node_id, id=node_id, label=label, name=name, **props)

    def edge(a: str, rel: str, b: str, **props) -> None:
        g.add_edge(a, b, key=rel, type=rel, **props)

    node("city", "Plan", "市计划", title="市计划", region="上海市", stub=False)
    node("district", "Plan", "区计划", title="区计划", region="松江区", stub=False)
    node("cited", "Plan", "被引用", title="被引用", stub=True)
    edge("district", "IMPLEMENTS", "city")
    for plan in ("city", "district"):
        node(f"{plan}/action/1", "Action", "强链升级行动", plan_id=plan, order=1)
        edge(plan, "HAS_ACTION", f"{plan}/action/1")
    node("city/task/1", "Task", "打造产业集群", plan_id="city", number=1, title="打造产业集群")
    node("district/task/1", "Task", "打造特色集群", plan_id="district", number=1)
    node("district/task/2", "Task", "布局新赛道", plan_id="district", number=2)
    edge("city/action/1", "HAS_TASK", "city/task/1")
    edge("district/action/1", "HAS_TASK", "district/task/1")
    edge("district/action/1", "HAS_TASK", "district/task/2")
    edge("district/task/1", "ALIGNS_WITH", "city/task/1", score=0.8, status="auto")
    node("agency/310000/市经济信息化委", "Agency", "市经济信息化委", level="city")
    node("agency/310117/松江区经委", "Agency", "松江区经委", aliases=["区经委"], level="district")
    edge("agency/310117/松江区经委", "RESPONSIBLE_FOR", "district/task/1", role="lead", order=0)
    return g


@pytest.fixture(scope="module")
def store() -> EmbeddedStore:
    return EmbeddedStore.from_graph(small_graph())


@pytest.fixture(scope="module")
def client(store) -> TestClient:
    app = create_app(lambda: store)
    if not any(getattr(route, "path", None) == "/guide" for route in app.routes):
        from api.routers import browse

        app.include_router(browse.router)
    with TestClient(app) as test_client:
        yield test_client


class GuideReader(HTMLParser):
    """Slides, and each <pre class="runnable"> with the figure it sits in."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.slides = 0
        self.blocks: list[dict[str, str]] = []
        self.counts: dict[str, int] = {}
        self._figure: dict[str, str] = {}
        self._pre: list[str] | None = None
        self._count: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if tag == "slide":
            self.slides += 1
        elif tag == "figure":
            self._figure = attrs
        elif tag == "pre" and "runnable" in (attrs.get("class") or "").split():
            self._pre = []
        elif tag == "b" and "data-count" in attrs:
            self._count = attrs["data-count"]

    def handle_endtag(self, tag):
        if tag == "pre" and self._pre is not None:
            self.blocks.append(
                {
                    "view": self._figure.get("data-view", ""),
                    "step": self._figure.get("data-step", ""),
                    # What Browser puts in the editor: the element's text, trimmed.
                    "text": "".join(self._pre).strip(),
                }
            )
            self._pre = None
        elif tag == "figure":
            self._figure = {}

    def handle_data(self, data):
        if self._pre is not None:
            self._pre.append(data)
        if self._count is not None:
            self.counts[self._count] = int(data)
            self._count = None


def read_guide(html: str) -> GuideReader:
    reader = GuideReader()
    reader.feed(html)
    return reader


@pytest.fixture(scope="module")
def served(client) -> str:
    response = client.get("/guide", headers=ORIGIN)
    assert response.status_code == 200
    return response.text


def test_guide_is_served_to_the_browser_origin(client):
    response = client.get("/guide", headers=ORIGIN)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["access-control-allow-origin"] == "*"
    preflight = client.options(
        "/guide",
        headers=ORIGIN
        | {
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "pragma,cache-control",
        },
    )
    assert preflight.status_code in (200, 204)
    assert preflight.headers["access-control-allow-origin"] == "*"


def test_guide_uses_the_markup_browser_5_plays(served):
    reader = read_guide(served)
    assert '<article class="guide">' in served
    assert reader.tags.count("carousel") == 1
    # Browser 5 makes one carousel slide per <slide>; intro, contents, views, favourites.
    assert reader.slides == len(all_views()) + 3
    assert "section" not in reader.tags


def test_nothing_in_the_guide_is_stripped_by_browser(served):
    # Browser removes <script>, on* attributes and javascript: links before rendering;
    # a block that relied on any of them would silently change.
    assert "<script" not in served.lower()
    assert not re.search(r"\son\w+\s*=", served)
    assert "javascript:" not in served.lower()


def test_counts_come_from_the_store(served, store):
    assert read_guide(served).counts == store.counts()
    assert store.counts()["plans"] == 2  # the stub is not a loaded plan


def test_every_view_has_its_blocks_in_the_analysts_order(served):
    reader = read_guide(served)
    query_views = [b["view"] for b in reader.blocks if b["step"] == "query"]
    names = set(all_views())
    known = [name for name in guide.ANALYST_ORDER if name in names]
    assert query_views == known + sorted(names - set(guide.ANALYST_ORDER))
    assert "tasks_by_agency" in query_views


def test_parameter_blocks_set_every_header_example(served, store):
    reader = read_guide(served)
    params = {b["view"]: b["text"] for b in reader.blocks if b["step"] == "params"}
    for name, view in all_views().items():
        if not view.params:
            assert name not in params
            continue
        lines = params[name].splitlines()
        expected = guide.example_params(view, store.resolve)
        assert lines == [f":param {k} => {guide.cypher_literal(v)};" for k, v in expected.items()]
    # Names become the ids the store resolves them to, as for every call of the view.
    assert ":param agency => 'agency/310117/松江区经委';" in params["tasks_by_agency"]


def test_query_blocks_hold_each_view_unchanged(served):
    reader = read_guide(served)
    queries = {b["view"]: b["text"] for b in reader.blocks if b["step"] == "query"}
    for name, view in all_views().items():
        body = guide.query_body(view.text("neo4j"))
        block = queries[name]
        inner = [line.strip() for line in block.splitlines()]
        body_lines = [line.strip() for line in body.splitlines() if line.strip()]
        start = inner.index(body_lines[0])
        assert inner[start : start + len(body_lines)] == body_lines, name
        assert not re.search(r"^\s*//", block, re.MULTILINE), "no header comments in a block"


def test_a_new_view_appears_without_editing_the_guide(tmp_path, store):
    path = tmp_path / "zz_new_view.cypher"
    path.write_text(
        "// title: Brand new\n"
        "// purpose: A view added after the guide was written.\n"
        "// param: agency (string) — an agency, example: 区经委\n"
        "MATCH (a:Agency) WHERE a.name = $agency RETURN a.name AS agency, a.id AS id\n",
        encoding="utf-8",
    )
    views = [*all_views().values(), parse_view(path)]
    reader = read_guide(guide.guide_html(views, store.counts()))
    blocks = [b for b in reader.blocks if b["view"] == "zz_new_view"]
    assert [b["step"] for b in blocks] == ["params", "query"]
    assert blocks[0]["text"] == ":param agency => '区经委';"
    query_views = [b["view"] for b in reader.blocks if b["step"] == "query"]
    assert query_views[-1] == "zz_new_view"  # unknown views go after the ordered ones


@pytest.mark.parametrize(
    ("value", "literal"),
    [
        ("区经委", "'区经委'"),
        ("it's", "'it\\'s'"),
        ("a\\b", "'a\\\\b'"),
        (True, "true"),
        (False, "false"),
        (7, "7"),
        (0.5, "0.5"),
        (None, "null"),
        (["集成电路", 2], "['集成电路', 2]"),
    ],
)
def test_cypher_literal(value, literal):
    assert guide.cypher_literal(value) == literal


def test_cypher_literal_refuses_nan():
    with pytest.raises(ValueError):
        guide.cypher_literal(float("nan"))


def test_result_columns_reads_the_last_top_level_return():
    query = (
        "MATCH (a) CALL (a) { RETURN 1 AS inner }\n"
        "// RETURN in a comment is ignored\n"
        "RETURN DISTINCT a.name AS agency, COLLECT { MATCH (a)--(b) RETURN b.id } AS ns,\n"
        "       id, 'x, y' AS text\n"
        "ORDER BY agency LIMIT $limit"
    )
    assert guide.result_columns(query) == ["agency", "ns", "id", "text"]
    assert guide.result_columns("MATCH (n) RETURN n.name") is None  # an unnamed column
    assert guide.id_columns(["agency", "id", "child_id", "source", "title"]) == [
        "id",
        "child_id",
        "source",
    ]


def test_rows_without_ids_are_left_as_they_are():
    body = "MATCH (a:Agency) RETURN a.name AS agency"
    assert guide.drawable_query(body) is None


# -- the view files as Browser favourites ------------------------------------------------

_STRING = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_COMMENT = re.compile(r"//[^\n]*")
_PARAM_USE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


@pytest.mark.parametrize("path", view_files(), ids=lambda p: p.stem)
def test_view_file_works_as_a_favourite(path: Path):
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    header = []
    for line in lines:
        if line.strip().startswith("//"):
            header.append(line)
        elif line.strip():
            break
    assert header, "a favourite starts with its header comments"
    body = "\n".join(lines[len(header) :])
    # Everything before the query is a Cypher comment, so Browser runs the file as is.
    assert all(line.lstrip().startswith("//") for line in header)
    assert not re.search(r"^\s*:", body, re.MULTILINE), "no Browser commands in a view file"
    declared = {p.name for p in parse_view(path).params}
    used = set(_PARAM_USE.findall(_COMMENT.sub("", _STRING.sub("''", body))))
    assert used <= declared, f"parameters used but not declared: {sorted(used - declared)}"
    assert declared <= used, f"parameters declared but not used: {sorted(declared - used)}"


# -- on the real Neo4j -------------------------------------------------------------------


@pytest.fixture(scope="module")
def loaded_neo4j(neo4j_driver):
    from ingest.build import build_graph
    from ingest.neo4j_load import load
    from tests.conftest import PLANS_DIR

    load(build_graph(sorted(PLANS_DIR.glob("*.txt"))).graph, neo4j_driver)
    return neo4j_driver


@pytest.mark.neo4j
@pytest.mark.parametrize("name", sorted(all_views()))
def test_query_block_gives_the_views_rows_on_neo4j(loaded_neo4j, name):
    view = all_views()[name]
    params = guide.example_params(view, Neo4jStore(loaded_neo4j).resolve)
    plain, _, _ = loaded_neo4j.execute_query(guide.query_body(view.text("neo4j")), params)
    drawn, _, _ = loaded_neo4j.execute_query(guide.query_block(view), params)
    columns = guide.result_columns(guide.query_body(view.text("neo4j")))

    # The same rows; in the same order only where the view orders them itself (the store
    # applies the header's order, Browser does not).
    def key(record) -> str:
        # Nodes and relationships by element id: the wrapper may fetch them with other props.
        return repr([getattr(record[c], "element_id", record[c]) for c in columns])

    assert sorted(map(key, drawn)) == sorted(map(key, plain))
    if drawn and "graph_nodes" in drawn[0].data():
        row_ids = {r[c] for r in drawn for c in guide.id_columns(columns) if isinstance(r[c], str)}
        found = {n["id"] for r in drawn for n in r["graph_nodes"]}
        assert row_ids & found, "the drawing holds the nodes the rows name"


@pytest.mark.neo4j
def test_tasks_by_agency_draws_the_agency_with_its_tasks(loaded_neo4j):
    view = all_views()["tasks_by_agency"]
    params = guide.example_params(view, Neo4jStore(loaded_neo4j).resolve)
    records, _, _ = loaded_neo4j.execute_query(guide.query_block(view), params)
    assert records, "区经委 owns tasks in the bundled plans"
    nodes = {n["id"]: n for r in records for n in r["graph_nodes"]}
    agencies = [n for n in nodes.values() if "Agency" in n.labels]
    assert any("区经委" in n.get("aliases", []) or n["name"] == "区经委" for n in agencies)
    links = [rel for r in records for rel in r["graph_links"]]
    assert any(rel.type == "RESPONSIBLE_FOR" for rel in links)
