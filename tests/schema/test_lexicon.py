"""The lexicon files load, hang together, and answer the lookups extraction and the graph use."""

from __future__ import annotations

import csv
from importlib import resources

import pytest

from schema import lexicon as lx
from schema.lexicon import load_lexicon

SHANGHAI_DISTRICTS = [
    "浦东新区",
    "黄浦区",
    "徐汇区",
    "长宁区",
    "静安区",
    "普陀区",
    "虹口区",
    "杨浦区",
    "闵行区",
    "宝山区",
    "嘉定区",
    "金山区",
    "松江区",
    "青浦区",
    "奉贤区",
    "崇明区",
]
SONGJIANG_STREETS = ["岳阳", "永丰", "方松", "中山", "广富林", "九里亭"]
SONGJIANG_TOWNS = [
    "泗泾",
    "佘山",
    "车墩",
    "新桥",
    "洞泾",
    "九亭",
    "泖港",
    "石湖荡",
    "新浜",
    "叶榭",
    "小昆山",
]


@pytest.mark.parametrize(
    "filename", ["agencies.csv", "regions.csv", "industries.csv", "industry_context.csv"]
)
def test_every_row_names_its_source(filename):
    text = resources.files("schema").joinpath("lexicons", filename).read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    assert rows
    assert all(row["source"].strip() for row in rows)


def test_sixteen_district_governments_in_the_collective():
    members = [m.name for m in lx.collective_members("各区政府", "上海市")]
    assert sorted(members) == sorted(d + "政府" for d in SHANGHAI_DISTRICTS)
    assert all(lx.agency(m).kind == "government" for m in members)


def test_songjiang_towns_and_streets_expand_from_each_town_line():
    members = {m.name: m for m in lx.collective_members("各街镇", "松江区")}
    assert set(members) == {f"{s}街道" for s in SONGJIANG_STREETS} | {
        f"{t}镇" for t in SONGJIANG_TOWNS
    }
    assert members["九亭镇"].full_name == "九亭镇人民政府"
    assert members["九亭镇"].kind == "town"
    assert members["岳阳街道"].kind == "street"


def test_town_line_does_not_expand_in_a_city_plan_or_an_unknown_district():
    assert lx.collective_members("各街镇", "上海市") == []
    assert lx.collective_members("各街镇", "闵行区") == []  # no Minhang towns in the lexicon
    assert lx.collective_members("各街镇", None) == []


def test_new_city_line_is_a_collective_tied_to_its_new_city():
    entry = lx.agency("松江新城范围内各街镇", "松江区")
    assert entry.kind == "collective"
    assert entry.region == "松江新城"
    assert lx.collective_members("松江新城范围内各街镇", "松江区") == []


@pytest.mark.parametrize(
    ("district", "city"),
    [
        ("区经委", "市经济信息化委"),
        ("区科委", "市科委"),
        ("区发展改革委", "市发展改革委"),
        ("区市场监管局", "市市场监管局"),
        ("区委组织部", "市委组织部"),
        ("区统计局", "市统计局"),
    ],
)
def test_counterparts_answer_both_ways(district, city):
    assert lx.counterpart(district) == city
    assert lx.counterpart(city) == district


def test_every_district_bureau_mirrors_its_city_bureau_when_both_exist():
    lexicon = load_lexicon()
    for entry in lexicon.agencies.values():
        if entry.level == "district" and entry.name.startswith("区"):
            mirror = "市" + entry.name[1:]
            if mirror in lexicon.agencies:
                assert lexicon.counterpart(entry.name) == mirror, entry.name


def test_lookup_folds_width_script_and_spacing():
    assert lx.agency("市經濟信息化委").name == "市经济信息化委"
    assert lx.agency("市 发展改革委").name == "市发展改革委"
    assert lx.agency("市发改委").name == "市发展改革委"
    assert lx.agency("九亭镇人民政府").name == "九亭镇"


def test_names_from_another_city_do_not_match_shanghai_entries():
    assert lx.agency("市财政局", "上海市").name == "市财政局"
    assert lx.agency("市财政局", "松江区").name == "市财政局"
    assert lx.agency("市财政局", "杭州市") is None
    assert lx.agency("经开区", "松江区").name == "经开区"
    assert lx.agency("经开区", "闵行区") is None
    assert lx.agency("各有关单位", "杭州市").kind == "collective"


def test_scope_of_qualifies_generic_district_bureaus_with_the_plan_region():
    lexicon = load_lexicon()
    assert lexicon.scope_of("区经委", "松江区") == "松江区"
    assert lexicon.scope_of("区经委", "闵行区") == "闵行区"
    assert lexicon.scope_of("市经济信息化委", "松江区") == "上海市"
    assert lexicon.scope_of("九亭镇", "松江区") == "九亭镇"


def test_region_hierarchy():
    # Divisions come from the gazetteer (schema/divisions.py), special areas from regions.csv;
    # chains go up to the province (a macro region such as 长三角 is no division's parent).
    assert lx.region_ancestors("九亭镇") == ["松江区", "上海市"]
    assert lx.region_ancestors("九亭") == []  # short forms are ingest/places.py's business
    assert lx.region_ancestors("张江") == ["浦东新区", "上海市"]
    assert lx.region_ancestors("大零号湾")[0] == "闵行区"
    assert lx.region_ancestors("南汇新城") == ["临港新片区", "上海市"]
    assert lx.region_ancestors("南沙新区") == ["南沙区", "广州市", "广东省"]  # `in` by code
    assert lx.region_ancestors("不存在的地方") == []
    lexicon = load_lexicon()
    for district in SHANGHAI_DISTRICTS:
        assert lexicon.regions[district].part_of == "上海市"
        assert lexicon.regions[district].kind == "county"
    assert "松江区" not in lexicon.regions  # no hand rows for divisions
    assert lexicon.within("九亭镇", "上海市")
    assert not lexicon.within("上海市", "九亭镇")


def test_local_aliases_only_inside_their_parent():
    lexicon = load_lexicon()
    assert lexicon.canonical_region("经开区", "松江区") == "松江经济技术开发区"
    assert lexicon.canonical_region("经开区", "闵行区") is None
    assert lexicon.canonical_region("经开区") is None
    assert lexicon.canonical_region("临港", "上海市") == "临港新片区"
    assert lexicon.canonical_region("临港", "杭州市") is None
    assert lexicon.canonical_region("中国（上海）自由贸易试验区临港新片区") == "临港新片区"


def test_industry_taxonomy():
    lexicon = load_lexicon()
    assert lx.industry_ancestors("燃料电池汽车") == ["新能源汽车", "汽车"]
    # Both bundled plans list them among the 智能终端 brands (城 task 3, 区 task 2).
    assert lx.industry_ancestors("智能网联汽车") == ["智能终端"]
    assert lx.industry_ancestors("智能机器人") == ["智能终端"]
    assert lexicon.industry_groupings("智能机器人") == ["四大新赛道"]
    assert lexicon.industry("新材料").name == "先进材料"
    assert lexicon.industry("新一代信息技术").related == "电子信息"
    assert lexicon.industry_groupings("新能源汽车") == ["六大重点产业"]
    groups = {
        "三大先导产业": {"集成电路", "生物医药", "人工智能"},
        "六大重点产业": {"电子信息", "生命健康", "汽车", "高端装备", "先进材料", "时尚消费品"},
        "四大新赛道": {"数字经济", "绿色低碳", "元宇宙", "智能终端"},
        "五大未来产业": {"未来健康", "未来智能", "未来能源", "未来空间", "未来材料"},
    }
    for grouping, members in groups.items():
        found = {e.name for e in lexicon.industries.values() if grouping in e.member_of}
        assert found == members, grouping


def test_a_regions_own_grouping_counts_only_in_its_plans():
    lexicon = load_lexicon()
    # The catalogue knows every grouping; an item of a plan counts only its region's.
    assert lexicon.industry_groupings("集成电路") == ["三大先导产业", "松江区特色产业集群"]
    assert lexicon.industry_groupings_in("集成电路", "松江区") == [
        "三大先导产业",
        "松江区特色产业集群",
    ]
    assert lexicon.industry_groupings_in("集成电路", "九亭镇") == [
        "三大先导产业",
        "松江区特色产业集群",
    ]
    assert lexicon.industry_groupings_in("集成电路", "上海市") == ["三大先导产业"]
    assert lexicon.industry_groupings_in("集成电路", "闵行区") == ["三大先导产业"]
    # Shanghai's 2+(3+6)+(4+5) system is Shanghai's: not in a national or 杭州 plan.
    assert lexicon.industry_groupings_in("集成电路", None) == []
    assert lexicon.industry_groupings_in("集成电路", "杭州市") == []
    # Inherited groupings are scoped the same way (新能源汽车 → 汽车 → 六大重点产业).
    assert lexicon.industry_groupings_in("新能源汽车", "上海市") == ["六大重点产业"]
    assert lexicon.industry_groupings_in("新能源汽车", None) == []


def test_scoped_names_are_valid_only_inside_their_region():
    lexicon = load_lexicon()
    assert lexicon.industry_in_scope("现代装备", "松江区")
    assert not lexicon.industry_in_scope("现代装备", "上海市")
    assert not lexicon.industry_in_scope("现代装备", None)
    assert lexicon.industry_in_scope("集成电路", None)
    assert "现代装备" in lexicon.industry_names("松江区").values()
    assert "现代装备" not in lexicon.industry_names("闵行区").values()
    assert "四大新赛道" in lexicon.industry_names("上海市").values()
    assert "四大新赛道" not in lexicon.industry_names(None).values()
    assert "四大新赛道" in lexicon.industry_names(every_region=True).values()
    # Only groupings and a district's own cluster names are scoped; 科学仪器 is a plain name.
    for entry in lexicon.industries.values():
        if entry.scope is not None and entry.kind != "grouping":
            assert entry.scope == "松江区" and entry.name in {"现代装备", "分析技术"}


def test_every_industry_has_a_sense_and_groupings_have_none():
    lexicon = load_lexicon()
    for entry in lexicon.industries.values():
        if entry.kind == "grouping":
            assert entry.sense is None, entry.name
        else:
            assert entry.sense in lx.INDUSTRY_SENSES, entry.name
    assert lexicon.industry("机器人").sense == "product"
    assert lexicon.industry("北斗").sense == "field"
    assert lexicon.industry("绿色低碳").sense == "descriptive"


def test_industry_context_words_by_rule_side_and_sense():
    lexicon = load_lexicon()
    process = lexicon.industry_context_words("after", "process", "descriptive")
    assert {"转型", "发展", "改造", "升级", "循环"} <= set(process)
    # 发展 after a product is the industry developing (集成电路发展), not a process.
    assert "发展" not in lexicon.industry_context_words("after", "process", "product")
    assert "化" in lexicon.industry_context_words("after", "process", None)  # every entry
    assert "应用" in lexicon.industry_context_words("after", "use", "product")
    assert "应用" not in lexicon.industry_context_words("after", "use", "field")
    assert {"基金", "协会", "联盟", "研究院"} <= set(
        lexicon.industry_context_words("after", "instrument", None)
    )


def test_bad_sense_or_context_rule_is_reported():
    lexicon = load_lexicon()
    entries = list(lexicon.industries.values())
    bad = lx.IndustryEntry("测试产业", (), "industry", None, (), None, None, "x", "gadget")
    broken = lx.Lexicon(
        list(lexicon.agencies.values()), list(lexicon.regions.values()), [*entries, bad]
    )
    with pytest.raises(lx.LexiconError, match="测试产业"):
        lx._check(broken)
    word = lx.ContextWord("测试", "after", "guess", ("all",), "x")
    broken = lx.Lexicon(
        list(lexicon.agencies.values()), list(lexicon.regions.values()), entries, [word]
    )
    with pytest.raises(lx.LexiconError, match="测试"):
        lx._check(broken)


def test_dictionary_words_cover_every_lexicon():
    words = set(lx.dictionary_words())
    assert {"市经济信息化委", "九亭镇", "G60科创走廊", "集成电路", "新材料"} <= words


def test_broken_reference_is_reported(monkeypatch):
    lexicon = load_lexicon()
    bad = lx.AgencyEntry(
        "区测试局", None, (), "district", "上海市", "bureau", "市不存在局", (), "x"
    )
    broken = lx.Lexicon(
        [*lexicon.agencies.values(), bad],
        list(lexicon.regions.values()),
        list(lexicon.industries.values()),
    )
    with pytest.raises(lx.LexiconError, match="市不存在局"):
        lx._check(broken)
