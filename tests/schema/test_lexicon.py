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


@pytest.mark.parametrize("filename", ["agencies.csv", "regions.csv", "industries.csv"])
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
    assert lx.region_ancestors("九亭镇") == ["松江区", "上海市", "长三角"]
    assert lx.region_ancestors("九亭") == ["松江区", "上海市", "长三角"]
    assert lx.region_ancestors("张江")[:2] == ["浦东新区", "上海市"]
    assert lx.region_ancestors("大零号湾")[0] == "闵行区"
    assert lx.region_ancestors("不存在的地方") == []
    lexicon = load_lexicon()
    for district in SHANGHAI_DISTRICTS:
        assert lexicon.regions[district].part_of == "上海市"
    assert lexicon.within("九亭镇", "上海市")
    assert not lexicon.within("上海市", "九亭镇")


def test_local_aliases_only_inside_their_parent():
    lexicon = load_lexicon()
    assert lexicon.canonical_region("经开区", "松江区") == "松江经济技术开发区"
    assert lexicon.canonical_region("经开区", "闵行区") is None
    assert lexicon.canonical_region("经开区") is None
    assert lexicon.canonical_region("临港") == "临港新片区"


def test_industry_taxonomy():
    lexicon = load_lexicon()
    assert lx.industry_ancestors("燃料电池汽车") == ["新能源汽车", "汽车"]
    assert lx.industry_ancestors("智能网联汽车") == ["汽车"]
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
