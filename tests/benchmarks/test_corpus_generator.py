"""benchmarks/corpus.py: generated district plans are in the genre, deterministic, and their
known alignment is the one the parser and aligner are measured against."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from benchmarks.corpus import DISTRICTS, GeneratedChild, generate_children, score_alignments
from ingest.alignment import find_parent
from ingest.build import build_from_plans
from ingest.enrich import enrich
from ingest.parsing import parse_file, parse_text
from tests.conftest import CITY_PLAN

N = 24


@pytest.fixture(scope="module")
def parent():
    plan = parse_file(CITY_PLAN)
    enrich(plan)
    return plan


@pytest.fixture(scope="module")
def children(parent) -> list[GeneratedChild]:
    return generate_children(parent, N, seed=3)


@pytest.fixture(scope="module")
def parsed(children):
    plans = []
    for child in children:
        plan = parse_text(child.text, source=f"{child.doc_number}.txt")
        enrich(plan)
        plans.append(plan)
    return plans


def test_same_seed_same_texts_other_seed_other_texts(parent, children):
    again = generate_children(parent, N, seed=3)
    assert [c.text for c in again] == [c.text for c in children]
    assert [c.truth for c in again] == [c.truth for c in children]
    other = generate_children(parent, N, seed=4)
    assert sum(a.text != b.text for a, b in zip(other, children, strict=True)) == N


def test_parent_may_be_given_as_text_or_plan(parent):
    from_text = generate_children(CITY_PLAN.read_text("utf-8"), 2, seed=1)
    from_plan = generate_children(parent, 2, seed=1)
    assert [c.truth for c in from_text] == [c.truth for c in from_plan]


def test_every_child_parses_to_its_generated_structure(children, parsed):
    for child, plan in zip(children, parsed, strict=True):
        assert [t.number for t in plan.tasks] == sorted(child.truth), child.doc_number
        assert len(plan.measures) == len(child.measure_truth)
        assert re.sub(r"\s", "", plan.doc_number or "") == child.doc_number
        assert plan.region == child.district
        assert plan.level == "district"
        for task in plan.tasks:
            assert task.agencies, f"{child.doc_number} task {task.number} has no owners"


def test_children_cite_the_parent_by_title_and_number(parent, parsed):
    for plan in parsed:
        assert find_parent(plan, [parent, *parsed]) is parent
        cite = plan.cites[0]
        assert cite.doc_number and re.sub(r"\s", "", cite.doc_number) == "沪府办发〔2023〕8号"
        assert "推动制造业高质量发展" in cite.title


def test_corpus_varies_like_real_districts(parent, children, parsed):
    assert {c.district for c in children} == {d for d, _ in DISTRICTS}
    assert len({c.doc_number for c in children}) == N
    parent_tasks = {t.number for t in parent.tasks}
    linked = Counter(p for c in children for ps in c.truth.values() for p in ps)
    # Some city tasks are dropped by some districts, none by all.
    assert any(linked[p] < N for p in parent_tasks)
    assert set(linked) == parent_tasks
    # Local initiatives (no parent) and merged tasks (two parents) both occur.
    assert sum(len(c.local_initiatives) for c in children) >= N
    assert any(len(ps) == 2 for c in children for ps in c.truth.values())
    # Task order within a group is shuffled: not every child keeps the city's order.
    orders = {tuple(p for ps in c.truth.values() for p in ps if ps) for c in children}
    assert len(orders) > N // 2
    # Rewording: many district task titles differ from their city task's title.
    city_title = {t.number: t.title for t in parent.tasks}
    pairs = [
        (task.title, city_title[child.truth[task.number][0]])
        for child, plan in zip(children, parsed, strict=True)
        for task in plan.tasks
        if child.truth[task.number]
    ]
    assert sum(a != b for a, b in pairs) > len(pairs) // 4


def test_layouts_vary(children):
    texts = [c.text for c in children]
    assert any("（责任单位：" in t for t in texts) and any("(责任单位:" in t for t in texts)
    assert any(re.search(r"^## ", t, re.M) for t in texts)
    assert any(re.search(r"\n\n.{26}\n\n.{26}\n", t) for t in texts)  # PDF-style wrapping


def test_build_alignment_scores_against_truth(parent, children, parsed):
    result = build_from_plans([parent, *parsed])
    scores = score_alignments(result.alignments, children)
    assert scores["true_links"] == sum(len(c.links()) for c in children)
    # The aligner on reworded, reordered districts: a floor well below today's figure
    # (about 0.99), above what a broken aligner or a broken truth would give.
    assert scores["f1"] >= 0.9, scores
    measures = score_alignments(result.alignments, children, "measures")
    assert measures["f1"] >= 0.8, measures


def test_score_alignments_counts_misses_and_false_links(children):
    child = children[0]
    (first, parents), *_ = [(c, ps) for c, ps in child.truth.items() if ps]
    local = child.local_initiatives
    links = [{"child": c, "parent": p} for c, ps in child.truth.items() for p in ps]
    links = [link for link in links if link["child"] != first]  # one task's links missed
    if local:
        links.append({"child": local[0], "parent": 1})  # a local initiative wrongly linked
    data = {("x", "y"): {"child": {"doc_number": child.doc_number}, "tasks": {"links": links}}}
    scores = score_alignments(data, [child])
    assert scores["true_links"] == len(child.links())
    assert scores["correct_links"] == len(child.links()) - len(parents)
    assert scores["found_links"] == len(links)
    assert scores["recall"] < 1
    if local:
        assert scores["precision"] < 1
