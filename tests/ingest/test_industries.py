"""Industries found by dictionary, and the tokenizer built on the lexicons (places: test_places)."""

from __future__ import annotations

import json
import logging

import pytest

from ingest.industries import find_industries
from ingest.parsing import parse_file
from ingest.tokens import tokenize
from tests.conftest import CITY_PLAN, DISTRICT_PLAN, PROJECT_ROOT

GOLDEN = PROJECT_ROOT / "tests" / "golden" / "entities"


def test_industries_canonical_with_synonyms_and_groupings():
    text = (
        "落实“四个新赛道”“五大未来产业”行动方案，推进新材料向高端化延伸，"
        "加快新一代信息技术、新能源汽车、燃料电池汽车发展，布局人工智能芯片。"
    )
    assert find_industries(text) == [
        "四大新赛道",
        "五大未来产业",
        "先进材料",
        "新一代信息技术",
        "新能源汽车",
        "燃料电池汽车",
        "人工智能",
        "芯片",
    ]


def test_no_industry_in_plain_text():
    assert find_industries("完善工作推进机制，强化督查考核。") == []


def test_a_regions_own_names_count_only_in_its_plans():
    text = "建设“6+X”产业集群，发挥现代装备、新材料等产业集群作用，落实“四个新赛道”行动方案。"
    assert find_industries(text, plan_region="松江区") == [
        "6+X战略性新兴产业集群",
        "现代装备",
        "先进材料",
        "四大新赛道",
    ]
    # A town of the district counts as inside it; the city and another district do not.
    assert find_industries(text, plan_region="九亭镇")[:2] == ["6+X战略性新兴产业集群", "现代装备"]
    assert find_industries(text, plan_region="上海市") == ["先进材料", "四大新赛道"]
    assert find_industries(text, plan_region="闵行区") == ["先进材料", "四大新赛道"]
    # Shanghai's 新赛道 are Shanghai's: a national or another city's plan has none.
    assert find_industries(text, plan_region=None) == ["先进材料"]
    assert find_industries(text, plan_region="杭州市") == ["先进材料"]
    # The old call shape (no plan region said) lets every name count, as before.
    assert find_industries(text)[:2] == ["6+X战略性新兴产业集群", "现代装备"]


def test_a_technique_named_like_a_district_cluster_is_not_one_elsewhere():
    text = "突破城市基础设施灾害事件链分析技术。"
    assert find_industries(text, plan_region=None) == []
    assert find_industries("发挥分析技术、现代装备产业集群作用", plan_region="松江区") == [
        "分析技术",
        "现代装备",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "推动制造业绿色低碳转型",
        "坚持绿色低碳循环发展，推动形成绿色生产方式",
        "持续开展产业园区绿色低碳升级改造",
        "开展重点领域绿色低碳评价和示范",
        "建设化工区绿色低碳示范园",
        "践行简约适度、绿色低碳的生活方式",
        "推动形成简约适度、绿色低碳、文明健康的生活方式",
        "建设云网融合、智能敏捷、绿色低碳、安全可控的数字信息基础设施",
        "推进产业园区绿色低碳。",
        "切实保障人民群众生命健康安全",
    ],
)
def test_a_descriptive_name_used_as_description_is_not_the_industry(text):
    assert find_industries(text, plan_region="上海市") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("培育绿色低碳产业", ["绿色低碳"]),
        ("布局碳捕集利用、高效储能等绿色低碳领域", ["碳捕集利用", "储能", "绿色低碳"]),
        ("布局数字储能等绿色低碳新兴领域", ["储能", "绿色低碳"]),
        ("培育“绿色低碳”新赛道", ["绿色低碳", "四大新赛道"]),
        ("加快推进区级绿色低碳、智能终端等行动方案出台", ["绿色低碳", "智能终端"]),
        (
            "推进数字经济、绿色低碳、元宇宙、智能终端发展",
            ["数字经济", "绿色低碳", "元宇宙", "智能终端"],
        ),
        ("加快绿色低碳技术研发应用", ["绿色低碳"]),
        ("推进前沿和颠覆性绿色低碳技术创新", ["绿色低碳"]),
        ("打造电子信息、生命健康、汽车4个万亿级产业集群", ["电子信息", "生命健康", "汽车"]),
        ("发展智慧医疗、精准医疗等生命健康新产业", ["生命健康"]),
    ],
)
def test_a_descriptive_name_counts_with_industry_evidence(text, expected):
    assert find_industries(text, plan_region="上海市") == expected


@pytest.mark.parametrize(
    "text",
    [
        "鼓励先导产业母基金和生物医药并购基金与产业集聚区合作",
        "用好未来产业基金，支持颠覆性技术创新",
        "发挥国家集成电路产业投资基金作用",
        "设立人工智能产业发展基金",
        "依托空间信息产业协会、创新创业中心培育经营主体",
        "推动上海分析技术产业研究院等创新平台建设",
        "发挥智能网联汽车产业创新联盟作用",
        "支持长三角集成电路产业链联盟运行",
    ],
)
def test_a_name_inside_a_funds_or_bodys_name_is_not_the_industry(text):
    assert find_industries(text, plan_region="松江区") == []


def test_industry_words_before_a_non_instrument_still_count():
    assert find_industries("加快集成电路产业发展，建设集成电路产业创新中心") == ["集成电路"]
    assert find_industries("强化集成电路产业链供应链韧性") == ["集成电路"]
    assert find_industries("支持市场化医疗器械风险投资基金发展，开发高端医疗器械保险产品") == [
        "医疗器械"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "推动传统制造业企业加快机器人应用、设备联网和生产环节数字化连接",
        "新增应用工业机器人不少于2万台",
        "提高工业机器人使用密度",
        "推广运用智能机器人、无人机等高技术配送装备",
    ],
)
def test_a_product_being_used_is_not_its_industry(text):
    assert find_industries(text, plan_region="上海市") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("开发多场景机器人产品并拓展应用", ["机器人"]),
        ("拓展人形机器人应用场景", ["人形机器人"]),
        ("扩大燃料电池汽车示范应用", ["燃料电池汽车"]),
        ("开展医疗机器人应用示范", ["机器人"]),
        # A field's applications are the field's industry (the Beidou plan is about them).
        ("推动北斗应用示范创新，推进北斗规模应用", ["北斗"]),
        ("积极拓展5G+工业互联网应用", ["工业互联网"]),
        ("深化人工智能应用", ["人工智能"]),
        ("推动元宇宙重大应用", ["元宇宙"]),
    ],
)
def test_making_and_fielding_are_the_industry(text, expected):
    assert find_industries(text, plan_region="上海市") == expected


def test_a_process_suffix_is_not_the_industry():
    text = "加快推进农业机械化和农机装备产业转型升级"
    assert find_industries(text, plan_region="上海市") == ["农机装备"]
    assert find_industries("推进农业机械化向全程、全面发展", plan_region="上海市") == []


@pytest.mark.parametrize(
    ("plan", "golden"), [(CITY_PLAN, "shanghai.json"), (DISTRICT_PLAN, "songjiang.json")]
)
def test_industries_of_the_bundled_plans_match_gold(plan, golden):
    """tests/golden/entities/*.json hold every task's and measure's industries, checked
    against the text (robot use, a fund's or institute's name, 绿色低碳 as a description
    left out)."""
    gold = json.loads((GOLDEN / golden).read_text(encoding="utf-8"))
    parsed = parse_file(plan)
    for task in parsed.tasks:
        found = find_industries(task.text, plan_region=parsed.region)
        assert found == gold["tasks"][str(task.number)]["industries"], f"task {task.number}"
    for measure in parsed.measures:
        found = find_industries(measure.text, plan_region=parsed.region)
        assert found == gold["measures"][str(measure.order)]["industries"], measure.order


def test_tokenize_keeps_lexicon_and_genre_words_whole():
    tokens = tokenize("市经济信息化委推动专精特新“小巨人”企业和集成电路产业发展")
    assert {"市经济信息化委", "专精特新", "小巨人", "集成电路"} <= set(tokens)
    assert "的" not in tokenize("集成电路的发展")
    assert "的" in tokenize("集成电路的发展", keep_stopwords=True)


def test_tokenize_joins_words_split_by_layout_and_folds_script():
    assert "市经济信息化委" in tokenize("市经济\n信息化委")
    assert "区经委" in tokenize("區經委")


def test_tokenizer_initialises_once_and_quietly(monkeypatch, capfd, caplog):
    from ingest import tokens

    monkeypatch.setattr(tokens, "_tokenizer", None)
    with caplog.at_level(logging.DEBUG):
        tokenize("九亭镇")
        first = tokens._tokenizer
        tokenize("泗泾镇")
    assert tokens._tokenizer is first
    assert "Building prefix dict" not in capfd.readouterr().err
    assert not [r for r in caplog.records if r.name == "jieba" and r.levelno >= logging.INFO]
