"""The bureau forms, the national bodies and counterparts by function (schema/bureaus.py)."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from schema.bureaus import (
    LEVELS,
    are_counterparts,
    government_level,
    load_bureaus,
    parent_government,
)
from schema.divisions import load_divisions
from schema.lexicon import fold, load_lexicon

bureaus = load_bureaus()
divisions = load_divisions()
KINDS = {
    "bureau",
    "government",
    "committee",
    "party",
    "mass",
    "institution",
    "enterprise",
    "judicial",
    "congress",
}


def test_every_row_is_complete():
    for form in bureaus.forms:
        assert form.source and form.kind in KINDS and form.levels, form
        assert set(form.levels) <= set(LEVELS) - {"national"}, form
        assert form.function is None or re.fullmatch(r"[a-z_]+", form.function), form
        assert form.function is not None or form.kind in ("government", "party"), form
    for body in bureaus.national_bodies:
        assert body.source and body.kind in KINDS and body.function, body


def test_no_written_form_means_two_functions():
    meanings = defaultdict(set)
    for form in bureaus.forms:
        for written in form.forms:
            meanings[fold(written)].add(form.function)
    assert {k: v for k, v in meanings.items() if len(v) > 1} == {}
    national = defaultdict(set)
    for body in bureaus.national_bodies:
        for name in body.names:
            national[fold(name)].add(body.name)
    assert {k: v for k, v in national.items() if len(v) > 1} == {}


def test_local_functions_have_their_national_body():
    """The main functions reach a national body, so every chain of counterparts ends at CN."""
    local = {form.function for form in bureaus.forms if form.function}
    national = {body.function for body in bureaus.national_bodies}
    for function in (
        "development",
        "industry",
        "science",
        "finance",
        "human_resources",
        "commerce",
        "market_regulation",
        "ecology",
        "housing",
        "transport",
        "agriculture",
        "natural_resources",
        "education",
        "health",
        "statistics",
        "emergency",
        "civil_affairs",
        "public_security",
        "justice",
        "audit",
        "state_assets",
        "healthcare_security",
        "drug_regulation",
        "intellectual_property",
        "culture_tourism",
        "sports",
        "water",
        "veterans",
        "data",
        "tax",
        "customs",
        "cyberspace",
        "propaganda",
        "organization",
        "united_front",
        "youth_league",
        "trade_union",
        "women",
        "science_association",
        "disabled",
        "overseas_chinese",
    ):
        assert function in local and function in national, function


@pytest.mark.parametrize(
    ("name", "place", "function"),
    [
        ("市发展和改革委员会", "市", "development"),
        ("区经委", "区", "industry"),
        ("省经济和信息化厅", "省", "industry"),
        ("广州市工业和信息化局", "广州市", "industry"),
        ("团市委", "市", "youth_league"),
        ("共青团广州市委员会", "广州市", "youth_league"),
        ("中共上海市委组织部", "中共上海市", "organization"),
        ("市人社局", "市", "human_resources"),
        ("区大数据中心", "区", "data"),
    ],
)
def test_names_split_into_place_and_form(name, place, function):
    first = next(s for s in bureaus.splits(name) if s.place == place)
    assert first.form.function == function
    assert bureaus.splits(name)[0].place == place  # the longest form is tried first


def test_national_lookup():
    assert bureaus.national("工信部").name == "工业和信息化部"
    assert bureaus.national("中国人民银行").function == "central_bank"
    assert bureaus.national("共青团中央").function == "youth_league"
    assert bureaus.national("市财政局") is None
    assert [b.name for b in bureaus.national_for("industry")] == ["工业和信息化部"]


def test_agencies_rows_have_governments_from_the_gazetteer():
    lexicon = load_lexicon()
    for name, facts in bureaus.agencies.items():
        entry = lexicon.agencies[name]
        if facts.government not in (None, "CN"):
            assert divisions.get(facts.government) is not None, name
        if entry.level == "national":
            assert facts.government == "CN", name
        if entry.kind == "bureau" and name not in ("上海科创办", "区科创发展办"):
            assert facts.function, name
    assert bureaus.agencies["区经委"].government == "310000"  # generic: the plan's district
    assert bureaus.agencies["九亭镇"].government == "310117107"
    assert bureaus.agencies["各有关单位"].government is None


def test_government_levels_and_parents():
    assert government_level("CN", divisions) == "national"
    assert government_level("310000", divisions) == "city"  # a municipality
    assert government_level("440000", divisions) == "province"
    assert government_level("440100", divisions) == "city"
    assert government_level("310117", divisions) == "district"
    assert government_level("310117107", divisions) == "town"
    assert government_level(None, divisions) is None
    assert parent_government("310117", divisions) == "310000"
    assert parent_government("310000", divisions) == "CN"
    assert parent_government("440104", divisions) == "440100"
    assert parent_government("440100", divisions) == "440000"
    assert parent_government("CN", divisions) is None


def test_counterparts_are_one_level_apart_with_one_function():
    def pair(a, b, fa="industry", fb="industry"):
        return are_counterparts(a, fa, b, fb, divisions)

    assert pair("310117", "310000") and pair("310000", "310117")
    assert pair("310000", "CN")
    assert pair("440104", "440100") and pair("440100", "440000") and pair("440000", "CN")
    assert not pair("310117", "CN")  # two levels apart
    assert not pair("440104", "310000")  # not its city
    assert not pair("310117", "310118")  # siblings
    assert not pair("310000", "310000")
    assert not pair("310117", "310000", "industry", "science")
    assert not pair("310117", "310000", None, None)
    assert not pair(None, "310000")
