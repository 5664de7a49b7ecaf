"""Search queries are segmented as jieba segments them, and a validated query stays valid.

`query_terms` runs on the shared compact dictionary (schema/segmenter.py) instead of jieba's own
copy; the words must be the ones jieba.lcut gives, so search answers do not change.
"""

from __future__ import annotations

import logging
import re

import jieba
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from queries import registry
from queries.embedded_store import EmbeddedStore
from tests.conftest import PROJECT_ROOT


def _jieba_query_terms(text: str) -> list[str]:
    """The rule query_terms documents, on jieba's own segmentation."""
    jieba.setLogLevel(logging.WARNING)
    terms: list[str] = []
    for chunk in text.split():
        for word in jieba.lcut(chunk):
            word = re.sub(r'["\\\s]', "", word)
            if len(word) > 1 and re.search(r"\w", word) and word not in terms:
                terms.append(word)
    return terms


def _queries() -> list[str]:
    """Every line of the bundled plans and the corpus, and some user-like queries."""
    lines = [
        line.strip()
        for folder in ("data/plans", "tests/corpus")
        for path in sorted((PROJECT_ROOT / folder).iterdir())
        if path.suffix in {".txt", ".html"}
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines()
        if line.strip()
    ]
    typed = [
        "集成电路 人工智能",
        "专精特新“小巨人”",
        "松江区 G60 科创走廊",
        'AI "大模型"\\',
        "5G+工业互联网",
    ]
    return typed + lines


def test_query_terms_are_jiebas_words():
    queries = _queries()
    assert len(queries) > 900
    for text in queries:
        assert registry.query_terms(text) == _jieba_query_terms(text), text


def test_a_validated_query_validates_to_itself():
    spec = registry.get_view("search_tasks")
    once = spec.validate({"q": "集成电路和人工智能", "limit": 5})
    assert spec.validate(once) == once
    assert once["q"] == [{"word": "集成电路", "at": 0}, {"word": "人工智能", "at": 1}]


@pytest.mark.parametrize(
    "value",
    [
        [],
        [{"word": "集成电路"}],
        [{"word": "集成电路", "at": 1}],
        [{"word": 3, "at": 0}],
        ["集成电路"],
    ],
)
def test_a_list_that_is_not_a_segmented_query_is_refused(value):
    spec = registry.get_view("search_tasks")
    with pytest.raises(registry.ViewParameterError, match="expected text"):
        spec.validate({"q": value})


def test_the_search_view_answers_over_http(tmp_path, bundled_graph):
    """GET /views/search_tasks: the route validates the query and the store validates it
    again; the answer is the rows, not a 422."""
    from schema.embedded_db import write_database

    database = write_database(bundled_graph, tmp_path / "g.lbdb")
    app = create_app(lambda: EmbeddedStore.open(database), store_kind="embedded")
    with TestClient(app) as client:
        answer = client.get("/views/search_tasks", params={"q": "集成电路 人工智能", "limit": 5})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["count"] == len(body["rows"]) > 0
    for row in body["rows"]:
        words = row["matched"]  # the words found, in query order (the view's `list:` line)
        assert words and set(words) <= {"集成电路", "人工智能"}
        assert row["score"] == len(words)
