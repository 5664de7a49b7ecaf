"""Reading targets: numbers, units, comparators, periods, hedges and metric phrases."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

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


# -- numbers, ranges, milestones, places, coverage and deadlines (issue 18) -------------------

_CN = "零一二三四五六七八九"


def chinese(n: int) -> str:
    """10..9999 and 2..9 the way the genre writes them (十五, 一百二十, 两千零五)."""
    if n < 10:
        return "两" if n == 2 else _CN[n]
    out, zero = "", False
    for place, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // place % 10
        if digit:
            if zero and out:
                out += "零"
            out += ("" if (place == 10 and n < 20) else _CN[digit]) + name
            zero = False
        elif out:
            zero = True
    return out


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() or c == "." else c for c in text)


units = st.sampled_from(["家", "个", "项", "条", "台", "所"])


@settings(max_examples=200, deadline=None)
@given(st.integers(2, 9999), units, st.booleans())
def test_counts_in_chinese_numerals(n, unit, lead):
    text = f"{'培育' if lead else '建设'}{chinese(n)}{unit}示范企业。"
    found = one(text)
    assert (found.value, found.unit, found.comparator) == (n, unit, "=")
    assert found.metric == "示范企业"


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 99999), st.sampled_from(["", "万", "亿"]), st.booleans())
def test_arabic_numbers_half_and_full_width(n, multiplier, wide):
    number = f"{n / 10:g}" if n % 3 == 0 else str(n)
    expected = float(number) * {"": 1, "万": 1e4, "亿": 1e8}[multiplier]
    found = one(f"工业产值达到{fullwidth(number) if wide else number}{multiplier}元。")
    assert found.value == pytest.approx(expected)
    assert (found.unit, found.comparator) == ("元", "=")


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 500), st.integers(1, 500), st.sampled_from(["-", "—", "～", "至", "到"]), units
)
def test_ranges_are_between_their_ends(low, span, dash, unit):
    found = one(f"力争培育{low}{dash}{low + span}{unit}标杆平台。")
    assert (found.comparator, found.value, found.value_max) == ("between", low, low + span)
    assert found.hedged


@settings(max_examples=100, deadline=None)
@given(st.integers(2, 9), st.integers(1, 9))
def test_chinese_ranges(low, span):
    high = low + span
    found = one(f"建设{chinese(low)}至{chinese(high)}个创新中心。")
    assert (found.comparator, found.value, found.value_max) == ("between", low, high)


@pytest.mark.parametrize(
    ("wording", "comparator", "hedged"),
    [
        ("达到{}家以上", ">=", False),
        ("不少于{}家", ">=", False),
        ("不低于{}家", ">=", False),
        ("超过{}家", ">", False),
        ("{}家左右", "~", False),
        ("{}家以下", "<=", False),
        ("控制在{}家以内", "<=", False),
        ("力争达到{}家", "=", True),
        ("争取突破{}家", ">", True),
        ("达到{}余家", ">", False),
    ],
)
@settings(max_examples=30, deadline=None)
@given(n=st.integers(2, 9999), cn=st.booleans())
def test_comparators(wording, comparator, hedged, n, cn):
    number = chinese(n) if cn else str(n)
    found = one(f"高新技术企业{wording.format(number)}。")
    assert (found.metric, found.comparator, found.value) == ("高新技术企业", comparator, n)
    assert found.hedged is hedged


@settings(max_examples=100, deadline=None)
@given(st.integers(2021, 2035), st.integers(2021, 2035))
def test_the_year_a_target_holds_by(milestone, end):
    found = read_indicators(
        f"到{milestone}年，企业达到10家；平台达到5个。园区达到3个。", plan_end_year=end
    )
    assert [f.year for f in found] == [milestone, milestone, end]
    assert {f.period for f in found} == {"by-end"}
    assert one("企业达到10家。", plan_end_year=end).year == end
    assert one("企业达到10家。").year is None
    assert one(f"{milestone}年底前，企业达到10家。").year == milestone


@settings(max_examples=100, deadline=None)
@given(
    st.integers(1, 60),
    st.sampled_from(["天内", "天以内", "日内", "周以内", "个月内", "个工作日内"]),
    st.booleans(),
)
def test_deadlines_are_not_targets(n, span, cn):
    number = chinese(n) if cn and n > 1 else str(n)
    assert read_indicators(f"发现问题后{number}{span}完成整改。") == []
    assert read_indicators(f"在{number}{span}办结。") == []


def test_a_time_limit_stated_as_a_measure_is_a_target():
    found = one("企业开办时间压缩至 3 个工作日以内。")
    assert (found.metric, found.comparator, found.value, found.unit) == (
        "企业开办时间",
        "<=",
        3,
        "个工作日",
    )


@pytest.mark.parametrize(
    ("text", "metric", "comparator"),
    [
        ("实现重点工业企业和园区“双千兆”网络全覆盖。", "重点工业企业和园区“双千兆”网络覆盖率", "="),
        ("推动全区规模以上制造业企业数字化诊断全覆盖。", "规模以上制造业企业数字化诊断覆盖率", "="),
        ("5G网络基本实现全覆盖。", "5G网络覆盖率", "~"),
        ("農村生活垃圾收運處置體系全覆蓋。", "農村生活垃圾收運處置體系覆蓋率", "="),
    ],
)
def test_full_coverage_is_100_percent(text, metric, comparator):
    found = one(text)
    assert (found.metric, found.comparator, found.value, found.unit) == (
        metric,
        comparator,
        100,
        "%",
    )


@pytest.mark.parametrize(
    ("text", "subject", "metric"),
    [
        (
            "推动临港新片区集聚发展前沿产业，工业总产值年均增长20%以上。",
            "临港新片区",
            "工业总产值增长",
        ),
        (
            "嘉定新城、青浦新城、松江新城、奉贤新城工业产值年均增速高于全市2个百分点以上。",
            "嘉定新城、青浦新城、松江新城、奉贤新城",
            "工业产值增速",
        ),
        (
            "推动宝山区、金山区加快产业转型升级，工业产值增量占全市增量比重超过20%。",
            "宝山区、金山区",
            "工业产值增量占全市增量比重",
        ),
        ("支持天河区建设人才高地，每年新引进高层次人才100名以上。", "天河区", "新引进高层次人才"),
        ("全市工业增加值超过1.3万亿元。", None, "工业增加值"),
        ("推动全区规模以上企业数字化转型比例不低于85%。", None, "规模以上企业数字化转型比例"),
        ("松江区工业投资年均增长5%。", None, "松江区工业投资增长"),
    ],
)
def test_a_target_of_another_place_keeps_its_subject(text, subject, metric):
    found = one(text)
    assert (found.subject, found.metric) == (subject, metric)


def test_the_plans_own_region_is_no_subject():
    assert one("松江区工业投资年均增长5%。", plan_region="松江区").subject is None
    found = one("支持松江区建设，每年引进人才100名。", plan_region="松江区")
    assert found.subject is None
    assert one("支持青浦区建设，每年引进人才100名。", plan_region="松江区").subject == "青浦区"


@pytest.mark.parametrize(
    "text",
    [
        "落实“四个新赛道”“五大未来产业”行动方案。",
        "推动“五个新城”深化“一城一名园”建设。",
        "形成一个良好的产业生态，办好一件事。",
        "惠及千家万户。",
        "“十四五”时期，打造第一个示范区。",
        "数十家企业参与。",
    ],
)
def test_chinese_numerals_that_are_not_counts(text):
    assert read_indicators(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("三成以上规上企业实现数字化转型。", (">=", 30, "%")),
        ("新增高新技术企业1.3万家。", ("=", 13000, "家")),
        ("培育十家链主企业、一百家专精特新企业。", ("=", 10, "家")),
        ("研发投入强度提高到3%。", ("=", 3, "%")),
        ("全员劳动生产率提高2个百分点。", ("increase", 2, "个百分点")),
        ("单位地区生产总值能耗下降13.5%。", ("decrease", 13.5, "%")),
    ],
)
def test_genre_sentences(text, expected):
    found = read_indicators(text)[0]
    assert (found.comparator, found.value, found.unit) == pytest.approx(expected)


# -- hand-checked goldens on corpus documents ---------------------------------------------------
# 01: a 2025 action plan whose goals run 到2027年 (its horizon, so plan_end_year 2027); three
# time limits (压缩至3周以内) are targets, not deadlines. 04: a 2023-2025 plan; 年产50发 is a
# yearly capacity; 形成从火箭…到终端的全覆盖 is a chain's extent, not a coverage. 11: a measures
# document whose every number is support granted (给予最高3000万元), so it states no target.

_GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "indicators"


@pytest.mark.parametrize("golden", sorted(_GOLDEN.glob("*.json")), ids=lambda p: p.stem[:2])
def test_corpus_indicators_match_gold(golden):
    gold = json.loads(golden.read_text(encoding="utf-8"))
    corpus = golden.parents[2] / "corpus" / gold["document"]
    found = read_indicators(corpus.read_text(encoding="utf-8"), plan_end_year=gold["plan_end_year"])
    assert [asdict(i) for i in found] == gold["indicators"]
