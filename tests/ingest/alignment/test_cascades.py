"""Target cascades by meaning: qualifiers and tiers, relations, the bundled pair's golden."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.alignment import align
from ingest.alignment.cascades import compare, metric_core, metric_match, tiers_agree
from ingest.model import Indicator
from ingest.pipeline import load_plan

ROOT = Path(__file__).resolve().parents[3]
GOLDEN = ROOT / "tests/golden/alignment/cascades_songjiang_shanghai.json"


def ind(metric: str, value, unit="家", period="by-end", comparator="=", value_max=None):
    return Indicator(metric, comparator, value, unit, period, False, metric, value_max=value_max)


@pytest.mark.parametrize(
    ("metric", "core", "tier"),
    [
        ("新增市级以上企业技术中心", "企业技术中心", "city"),
        ("新增国家和市级企业技术中心", "企业技术中心", "city"),
        ("市级“专精特新”企业", "专精特新", "city"),
        ("国家级专精特新“小巨人”", "专精特新小巨人", "national"),
        ("专精特新“小巨人”企业", "专精特新小巨人", None),
        ("新增国家级中小企业特色产业集群", "中小企业特色集群", "national"),
        ("市级特色产业园区", "特色园区", "city"),
        ("战略性新兴产业（制造业部分）产值占规模以上工业总产值比重", None, None),
        ("每年新引进外资企业研发中心", "外资研发中心", None),
        ("区级优秀产业园区", "优秀产业园区", "district"),
    ],
)
def test_qualifiers_and_tiers_are_set_aside(metric, core, tier):
    found = metric_core(metric)
    if core is not None:
        assert found.core == core
    else:
        assert "（" not in found.core and "(" not in found.core
    assert found.tier == tier


@pytest.mark.parametrize(
    ("child", "parent", "how"),
    [
        ("市级以上“专精特新”企业", "市级“专精特新”企业", "qualified"),
        ("专精特新“小巨人”企业", "国家级专精特新“小巨人”", "qualified"),
        ("制造业单项冠军和产品", "制造业单项冠军企业和产品", "synonym"),
        ("新增国家级中小企业特色产业集群", "国家级特色集群", "synonym"),
        ("市级特色园区", "市级特色产业园区", "synonym"),
        ("新增外资研发中心", "新引进外资企业研发中心", "synonym"),
        ("技术改造项目", "技术改造项目", "exact"),
        # A tier is kept: a city-level count does not feed a national-level one.
        ("新增市级中小企业特色产业集群", "国家级特色集群", None),
        ("市级以上质量标杆", "全国质量标杆企业", None),
        # A district-level count never feeds the city's untiered count.
        ("区级优秀产业园区", "产业园区", None),
        # Different heads stay apart.
        ("工业总产值增长率", "工业总产值", None),
    ],
)
def test_metrics_match_by_meaning(child, parent, how):
    assert metric_match(child, parent) == how


def test_similar_wording_only_when_asked_and_never_across_thresholds():
    a, b = "新增市级以上服务型制造示范企业（平台）", "市级服务型制造企业平台"
    assert metric_match(a, b) is None
    assert metric_match(a, b, similar=True) == "similar"
    assert (
        metric_match("新增产值超50亿元的制造业企业", "新增产值超过100亿元的制造业企业", True)
        is None
    )


def test_tiers():
    assert tiers_agree("city", "city") and tiers_agree(None, "national")
    assert tiers_agree("national", None) and not tiers_agree("district", None)
    assert not tiers_agree("city", "national")


def test_share_same_period_and_unit():
    found = compare(ind("x", 300, "个", "annual"), ind("x", 1800, "个", "annual"))
    assert (found.relation, found.ratio, found.annualised_ratio) == ("share", 0.167, None)
    # cumulative and by-end are both plan-period totals
    found = compare(ind("x", 10, period="cumulative"), ind("x", 40, period="by-end"))
    assert (found.relation, found.ratio) == ("share", 0.25)
    # units with multipliers
    found = compare(ind("x", 2000, "亿元"), ind("x", 1.8, "万亿元"))
    assert (found.relation, found.ratio) == ("share", 0.111)


def test_different_period_is_annualised_over_the_plans_years():
    found = compare(ind("x", 24), ind("x", 25, period="annual"), 3, 3)
    assert (found.relation, found.ratio, found.annualised_ratio) == ("different-period", None, 0.32)
    found = compare(ind("x", 10, period="annual"), ind("x", 60), 3, 3)
    assert (found.relation, found.annualised_ratio) == ("different-period", 0.5)
    # the years unknown: no annualised figure
    assert compare(ind("x", 24), ind("x", 25, period="annual")).annualised_ratio is None


def test_rates_stricter_looser_same():
    def rate(v, comparator=">="):
        return ind("x", v, "%", comparator=comparator)

    assert compare(rate(85), rate(80)).relation == "stricter"
    assert compare(rate(40), rate(45)).relation == "looser"
    assert compare(rate(2.5), rate(2.5)).relation == "same"
    # a ceiling: lower is stricter
    assert compare(rate(0.3, "<="), rate(0.5, "<=")).relation == "stricter"
    assert compare(ind("x", 3, "%", "annual"), ind("x", 3, "%", "by-end")).relation == (
        "different-period"
    )


def test_a_range_counts_by_its_middle():
    found = compare(ind("x", 2, value_max=4, comparator="between"), ind("x", 30))
    assert (found.relation, found.ratio) == ("share", 0.1)


def test_directional_and_different_unit():
    assert compare(ind("x", None, None, comparator="decrease"), ind("x", 1, "%")).relation == (
        "child-directional"
    )
    assert compare(ind("x", 5, "个"), ind("x", 5, "家")).relation == "different-unit"


def _key(side: dict) -> tuple:
    return (side["scope"], side["ref"], side["metric"])


def test_bundled_pair_cascades_match_the_hand_checked_golden():
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))["cascades"]
    result = align(
        load_plan(ROOT / "data/plans/songjiang_2023-2025_manufacturing.txt"),
        load_plan(ROOT / "data/plans/shanghai_2023-2025_manufacturing.txt"),
    )
    want = {
        _key(g["child"]): (_key(g["parent"]), g["relation"], g["ratio"], g["annualised_ratio"])
        for g in golden
    }
    got = {}
    for c in result.indicators:
        d = c.to_dict()
        got[_key(d["child"])] = (_key(d["parent"]), c.relation, c.ratio, c.annualised_ratio)
    assert got == want
