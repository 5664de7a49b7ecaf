"""Reading targets: numbers, units, comparators, periods, hedges and metric phrases."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.indicators import read_indicators


def one(text: str, **kwargs):
    found = read_indicators(text, **kwargs)
    assert len(found) == 1, found
    return found[0]


def summary(indicator):
    return (indicator.metric, indicator.comparator, indicator.value, indicator.unit)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("工业增加值超过 1.3 万亿元。", ("工业增加值", ">", 1.3e12, "元")),
        ("工业劳动生产率超过 50 万元/人。", ("工业劳动生产率", ">", 500000, "元/人")),
        ("工业机器人使用密度达 360 台/万人。", ("工业机器人使用密度", "=", 360, "台/万人")),
        ("研发投入强度达 2.5%以上。", ("研发投入强度", ">=", 2.5, "%")),
        ("数字化转型比例不低于 85%。", ("数字化转型比例", ">=", 85, "%")),
        ("用地规模不超过 5 万亩。", ("用地规模", "<=", 50000, "亩")),
        ("新城工业产值增速高于全市 2 个百分点以上。", ("新城工业产值增速", ">=", 2, "个百分点")),
        ("创新中心达到 20 家左右。", ("创新中心", "~", 20, "家")),
        ("高新技术企业超过２.５万家。", ("高新技术企业", ">", 25000, "家")),
    ],
)
def test_value_unit_and_comparator(text, expected):
    found = one(text)
    assert summary(found)[:2] == expected[:2]
    assert found.value == pytest.approx(expected[2])
    assert found.unit == expected[3]


def test_counted_noun_after_the_number_is_the_metric():
    found = one("实施新一轮技术改造计划，每年推进 1800 个技术改造项目。")
    assert summary(found) == ("技术改造项目", "=", 1800, "个")
    assert found.period == "annual"
    assert found.raw == "每年推进 1800 个技术改造项目"


def test_at_least_after_count_and_per_year():
    found = one("每年推进 300 个以上技术改造项目。")
    assert (found.comparator, found.value, found.period) == (">=", 300, "annual")


def test_enumerated_targets_split_and_share_their_head_noun():
    found = read_indicators(
        "推进建设 10 个总投资百亿级以上、50 个总投资 50 亿元以上、"
        "1000 个总投资亿元以上的重大产业项目。"
    )
    assert [(f.metric, f.value) for f in found] == [
        ("总投资百亿级以上的重大产业项目", 10),
        ("总投资50亿元以上的重大产业项目", 50),
        ("总投资亿元以上的重大产业项目", 1000),
    ]


def test_qualifier_number_is_not_a_target_and_new_is_kept():
    found = one("新增 15 家左右产值超过 100 亿元的制造业企业。")
    assert summary(found) == ("新增产值超过100亿元的制造业企业", "~", 15, "家")


def test_share_clause_takes_the_previous_metric_as_subject():
    found = read_indicators("到 2025 年，工业增加值超过 1.3 万亿元，占地区生产总值比重达 25%以上。")
    assert [summary(f) for f in found] == [
        ("工业增加值", ">", 1.3e12, "元"),
        ("工业增加值占地区生产总值比重", ">=", 25, "%"),
    ]


def test_bare_ratio_takes_the_entity_of_the_clause_before():
    coverage, found = read_indicators(
        "推动全区规模以上制造业企业数字化诊断全覆盖，数字化转型比例不低于 85%。"
    )
    assert found.metric == "规模以上制造业企业数字化转型比例"
    assert summary(coverage) == ("规模以上制造业企业数字化诊断覆盖率", "=", 100, "%")


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("工业投资年均增长 5%。", "annual-average"),
        ("三年累计完成工业固定资产投资 600 亿元左右。", "cumulative"),
        ("争取三年内培育不少于 10 家企业。", "cumulative"),
        ("每年通过存量盘活等方式，保障产业用地规模不低于 1 万亩。", "annual"),
        ("到 2025 年，推进节能技改项目 80 个左右。", "by-end"),
        ("推进节能技改项目 80 个左右。", "by-end"),
    ],
)
def test_periods(text, period):
    assert one(text, plan_end_year=2025).period == period


def test_growth_keeps_its_verb_and_moves_average_into_the_period():
    found = one("工业投资年均增长 5%。")
    assert (found.metric, found.value, found.unit) == ("工业投资增长", 5, "%")


def test_intermediate_year_is_kept_apart_from_the_plan_end():
    found = one("到 2024 年，企业达到 10 家。", plan_end_year=2025)
    assert (found.period, found.year) == ("by-end", 2024)


def test_hedge_is_clause_local_unless_it_opens_the_sentence():
    found = read_indicators("密度力争达 360 台/万人，企业数量达到 5 家。")
    assert [f.hedged for f in found] == [True, False]
    found = read_indicators("力争到 2025 年，累计认定市级特色园区 5 个，累计认定区级园区 40 个。")
    assert [f.hedged for f in found] == [True, True]
    assert [f.period for f in found] == ["cumulative", "cumulative"]


def test_decrease_with_and_without_a_value():
    found = one("规模以上工业单位增加值能耗持续下降。")
    assert (found.metric, found.comparator, found.value, found.unit) == (
        "规模以上工业单位增加值能耗",
        "decrease",
        None,
        None,
    )
    found = one("力争平均每年节约 1%用能量。")
    assert summary(found) == ("用能量", "decrease", 1, "%")
    assert found.period == "annual-average" and found.hedged


def test_range_reads_as_between_its_ends():
    found = one("培育 2-3 家工业云。")
    assert summary(found) == ("工业云", "between", 2, "家")
    assert found.value_max == 3


@pytest.mark.parametrize(
    "text",
    [
        "“2+(3+6)+(4+5)”现代化产业体系不断夯实。",
        "完成智能工厂 L2 级改造提升，拓展 5G+工业互联网应用。",
        "发挥 G60 科创走廊作用，建设创远 6G 产业基地。",
        "贯彻《松江区智能工厂建设三年行动计划（2023-2025）》。",
        "2023 年 11 月 15 日印发。",
        "对产值首次突破 10 亿元、50 亿元、100亿元企业给予重点支持。",
        "发挥“1+10”人才政策作用，开展“从 0到 10”全过程创新。",
        "（责任单位：区经委、区科委）",
    ],
)
def test_numbers_that_are_not_targets(text):
    assert read_indicators(text) == []


def test_document_wording_is_kept_in_metric_and_raw():
    found = one("戰略性新興產業（製造業部分）產值佔比重達 65%。")
    assert found.metric == "戰略性新興產業（製造業部分）產值佔比重"
    assert found.raw.startswith("戰略性新興產業（製造業部分）")


def test_layout_breaks_inside_numbers_and_sentences():
    found = one("规模以上工业总产值年均增\n长率为 3%，")
    assert found.metric == "规模以上工业总产值增长率"
    assert "\n" not in found.raw


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_never_raises_on_arbitrary_text(text):
    for indicator in read_indicators(text):
        assert indicator.metric


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                *"0123456789.%万亿元家个以上左右超过达到不低于每年年均累计，。、和的“”《》（）-",
                *["台/万人", "个百分点", "力争", "占", "比例", "企业", "\n", " "],
            ]
        ),
        max_size=60,
    ).map("".join)
)
def test_never_raises_on_genre_like_noise(text):
    read_indicators(text, plan_end_year=2025)
