"""The view registry: every .cypher view has a readable header and an embedded twin."""

from __future__ import annotations

import pytest

from queries import registry
from queries.errors import UnknownView, ViewHeaderError, ViewParameterError

REQUIRED_VIEWS = {
    "plan_overview",
    "district_to_city",
    "city_task_children",
    "unaligned_tasks",
    "tasks_by_agency",
    "agency_workload",
    "agency_counterparts",
    "ownership_mismatches",
    "tasks_by_industry",
    "tasks_by_region",
    "indicator_cascade",
    "search_tasks",
    "neighbourhood",
    # what the API's catalogue and detail routes read, one view each
    "plans",
    "agencies",
    "industries",
    "regions",
    "task_detail",
}


def test_every_cypher_file_has_a_header_and_every_override_a_view():
    files = {path.stem for path in registry.view_files()}
    for path in registry.view_files():
        spec = registry.parse_view(path)  # raises on a missing or unreadable header
        assert spec.title and spec.purpose, path.name
    assert files >= REQUIRED_VIEWS
    overrides = {
        path.name.split(".")[0]
        for path in registry.VIEWS_DIR.glob("*.cypher")
        if path.name.count(".") == 2
    }
    assert overrides <= files, f"overrides of no view: {sorted(overrides - files)}"
    for path in registry.VIEWS_DIR.glob("*.*.cypher"):
        assert path.name.split(".")[1] in registry.ENGINES, path.name


def test_an_override_replaces_the_query_on_its_engine_only():
    spec = registry.get_view("search_tasks")
    assert "db.index.fulltext" in spec.text("neo4j")
    assert spec.text("ladybug") == spec.cypher
    assert "db.index.fulltext" not in spec.cypher


def test_rows_and_lists_follow_the_header_order(tmp_path):
    view = tmp_path / "ordered.cypher"
    view.write_text(
        "// title: T\n// purpose: P\n// order: n nulls first, score desc, id\n"
        "// list: owners by order keep name\n// list: tags\nRETURN 1\n",
        encoding="utf-8",
    )
    spec = registry.parse_view(view)
    rows = [
        {"n": 1, "score": 2, "id": "b", "owners": [], "tags": []},
        {"n": 1, "score": 2, "id": "a", "owners": [], "tags": []},
        {"n": 1, "score": None, "id": "c", "owners": [], "tags": []},
        {"n": 1, "score": 5, "id": "d", "owners": [], "tags": ["y", "x"]},
        {
            "n": None,
            "score": 0,
            "id": "e",
            "owners": [{"order": 2, "name": "乙"}, {"order": 1, "name": "甲"}],
            "tags": [],
        },
    ]
    ordered = spec.sort(rows)
    # nulls first on n; score descending puts its nulls first (as Cypher does); id breaks ties
    assert [r["id"] for r in ordered] == ["e", "c", "d", "a", "b"]
    assert ordered[0]["owners"] == ["甲", "乙"]
    assert ordered[2]["tags"] == ["x", "y"]


def test_an_unreadable_order_key_is_refused(tmp_path):
    view = tmp_path / "bad.cypher"
    view.write_text("// title: T\n// purpose: P\n// order: id upward\nRETURN 1\n")
    with pytest.raises(ViewHeaderError, match="order key"):
        registry.parse_view(view)


def test_the_terminal_columns_a_header_declares_are_read_and_checked(tmp_path):
    view = tmp_path / "cols.cypher"
    view.write_text(
        "// title: T\n// purpose: P\n// columns: number, title\n"
        "MATCH (t:Task) RETURN t.id AS id, t.number AS number, t.title as `title`\n"
    )
    assert registry.parse_view(view).columns == ("number", "title")
    view.write_text("// title: T\n// purpose: P\n// columns: number, lead\nRETURN 1 AS number\n")
    with pytest.raises(ViewHeaderError, match="'lead' is not returned"):
        registry.parse_view(view)
    # `AS numbers` does not return `number`.
    view.write_text("// title: T\n// purpose: P\n// columns: number\nRETURN 1 AS numbers\n")
    with pytest.raises(ViewHeaderError, match="not returned"):
        registry.parse_view(view)


def test_declared_columns_are_columns_of_the_rows(bundled_graph):
    from queries.embedded_store import EmbeddedStore
    from tests.queries.test_parity import CASES

    store = EmbeddedStore.from_graph(bundled_graph)
    for name, spec in registry.all_views().items():
        rows = store.run_view(name, CASES[name][0]) if spec.columns else []
        if rows:
            assert set(spec.columns) <= set(rows[0]), name


@pytest.mark.parametrize("name", sorted(REQUIRED_VIEWS))
def test_each_parameter_is_described_with_an_example(name):
    spec = registry.get_view(name)
    for param in spec.params:
        assert param.type in registry.PARAM_TYPES
        assert param.description and param.example, (name, param.name)
        assert f"${param.name}" in spec.cypher


def test_plan_parameters_are_typed_plan():
    for name in ("plan_overview", "district_to_city", "unaligned_tasks", "indicator_cascade"):
        assert [p.type for p in registry.get_view(name).params] == ["plan"]


def test_a_header_without_a_title_is_refused(tmp_path):
    path = tmp_path / "broken.cypher"
    path.write_text("// purpose: something\nMATCH (n) RETURN n\n", encoding="utf-8")
    with pytest.raises(ViewHeaderError, match="title"):
        registry.parse_view(path)


def test_a_parameter_the_query_never_uses_is_refused(tmp_path):
    path = tmp_path / "unused.cypher"
    path.write_text(
        "// title: T\n// purpose: P\n"
        "// param: plan (plan) — a plan, example: 松江区\n"
        "MATCH (n) RETURN n\n",
        encoding="utf-8",
    )
    with pytest.raises(ViewHeaderError, match="never used"):
        registry.parse_view(path)


def test_defaults_and_coercion_follow_the_header():
    spec = registry.get_view("tasks_by_agency")
    values = spec.validate({"agency": "区经委", "include_counterparts": "true"})
    assert values == {"agency": "区经委", "include_collective": True, "include_counterparts": True}
    depth = registry.get_view("neighbourhood").validate({"id": "x", "depth": "2"})
    assert depth == {"id": "x", "depth": 2}


def test_a_missing_required_parameter_is_named():
    with pytest.raises(ViewParameterError) as error:
        registry.get_view("tasks_by_agency").validate({})
    assert error.value.parameter == "agency"
    assert "区经委" in str(error.value)  # the example helps the user


@pytest.mark.parametrize(
    ("view", "params", "parameter"),
    [
        ("city_task_children", {"plan": "上海市", "task": "seven"}, "task"),
        ("neighbourhood", {"id": "x", "depth": 9}, "depth"),
        ("neighbourhood", {"id": "x", "depth": 0}, "depth"),
        (
            "tasks_by_agency",
            {"agency": "区经委", "include_collective": "maybe"},
            "include_collective",
        ),
        ("search_tasks", {"q": "。，的"}, "q"),
    ],
)
def test_bad_values_are_refused_naming_the_parameter(view, params, parameter):
    with pytest.raises(ViewParameterError) as error:
        registry.get_view(view).validate(params)
    assert error.value.parameter == parameter


def test_an_unknown_parameter_is_refused_with_a_suggestion():
    with pytest.raises(ViewParameterError) as error:
        registry.get_view("tasks_by_agency").validate({"agency": "x", "include_colective": True})
    assert error.value.parameter == "include_colective"
    assert "include_collective" in error.value.suggestions


def test_an_unknown_view_suggests_close_names():
    with pytest.raises(UnknownView) as error:
        registry.get_view("task_by_agency")
    assert "tasks_by_agency" in error.value.suggestions


def test_query_text_is_segmented_into_words():
    spec = registry.get_view("search_tasks")
    q = spec.validate({"q": "集成电路和人工智能"})["q"]
    # Words with their place in the query, so both engines list matched words in that order.
    assert q == [{"word": "集成电路", "at": 0}, {"word": "人工智能", "at": 1}]
    assert spec.validate({"q": '"集成电路"\\'})["q"] == [{"word": "集成电路", "at": 0}]
