"""Responsibility lines → owners at every level: lead and co-owners, the government each unit
belongs to and its function, collectives expanded from the gazetteer, unknown names."""

from __future__ import annotations

import pytest

from ingest.agencies import full_name, owners_are_counterparts, plan_government, resolve_owners
from ingest.model import Owner
from schema.bureaus import load_bureaus
from schema.divisions import load_divisions

SHANGHAI, SONGJIANG, GUANGZHOU, HANGZHOU = "310000", "310117", "440100", "330100"


def _one(name: str, **plan) -> Owner:
    owners, unknown = resolve_owners([name], **plan)
    assert unknown == [], name
    return owners[0]


def _city(name: str, region: str = "上海市") -> Owner:
    return _one(name, plan_region=region, plan_level="city")


def _district(name: str, region: str = "松江区") -> Owner:
    return _one(name, plan_region=region, plan_level="district")


def _national(name: str) -> Owner:
    return _one(name, plan_level="national")


# -- the bundled pair's conventions ----------------------------------------------------------


def test_lead_is_first_listed_and_the_rest_are_co_owners():
    owners, unknown = resolve_owners(["区经委", "区科委", "区发展改革委"], plan_region="松江区")
    assert [(o.canonical, o.role) for o in owners] == [
        ("松江区经委", "lead"),
        ("松江区科委", "co"),
        ("松江区发展改革委", "co"),
    ]
    assert all(o.level == "district" and o.kind == "bureau" and o.via is None for o in owners)
    assert all(o.government == SONGJIANG for o in owners)
    assert [o.function for o in owners] == ["industry", "science", "development"]
    assert unknown == []


def test_written_name_is_kept_and_canonical_resolved():
    owners, _ = resolve_owners(["市發改委", "区市\n场监管局"], plan_region="松江区")
    assert [(o.name, o.canonical, o.government) for o in owners] == [
        ("市發改委", "市发展改革委", SHANGHAI),
        ("区市场监管局", "松江区市场监管局", SONGJIANG),
    ]


def test_roles_pass_through():
    owners, _ = resolve_owners(
        ["市发展改革委", "市财政局", "团市委"],
        roles=["lead", "support", "co"],
        plan_region="广州市",
        plan_level="city",
    )
    assert [o.role for o in owners] == ["lead", "support", "co"]


def test_lexicon_rows_keep_their_names_and_get_their_government():
    assert _city("市经济信息化委").canonical == "市经济信息化委"
    assert _city("市经济信息化委").government == SHANGHAI
    # The full name, or another spelling of the same bureau, is the lexicon's row.
    assert _city("上海市发展和改革委员会").canonical == "市发展改革委"
    assert _city("中共上海市委组织部").canonical == "市委组织部"
    # Special units keep their rows, governed by the division their area lies in.
    zone = _city("临港新片区管委会")
    assert (zone.kind, zone.government) == ("committee", SHANGHAI)
    customs = _city("上海海关")
    assert (customs.level, customs.government, customs.function) == ("national", "CN", "customs")


# -- functions, governments and levels -------------------------------------------------------


def test_two_cities_bureaus_share_a_function_not_a_government():
    guangzhou = _city("市发展改革委", "广州市")
    shanghai = _city("市发展改革委", "上海市")
    assert (guangzhou.government, shanghai.government) == (GUANGZHOU, SHANGHAI)
    assert guangzhou.function == shanghai.function == "development"
    assert guangzhou.canonical == "广州市发展改革委" and shanghai.canonical == "市发展改革委"
    assert guangzhou.level == shanghai.level == "city"


def test_a_shanghai_bureau_name_in_another_citys_plan_is_that_citys_bureau():
    finance = _city("市财政局", "杭州市")
    assert (finance.canonical, finance.government, finance.function) == (
        "杭州市财政局",
        HANGZHOU,
        "finance",
    )
    industry = _city("市经信局", "杭州市")
    assert (industry.canonical, industry.function) == ("杭州市经济信息化局", "industry")


def test_district_bureau_of_songjiang_mirrors_the_city_and_the_ministry():
    divisions = load_divisions()
    district = _district("区经委")
    city = _city("市经济信息化委")
    ministry = _national("工业和信息化部")
    assert (district.government, district.function) == (SONGJIANG, "industry")
    assert (ministry.government, ministry.function, ministry.level) == (
        "CN",
        "industry",
        "national",
    )
    assert owners_are_counterparts(district, city, divisions)
    assert owners_are_counterparts(city, district, divisions)
    assert owners_are_counterparts(city, ministry, divisions)
    # Counterparts are one level apart: the district bureau reaches the ministry through the city.
    assert not owners_are_counterparts(district, ministry, divisions)
    assert not owners_are_counterparts(district, _city("市科委"), divisions)


def test_the_shanghai_lexicons_counterpart_pairs_hold_through_functions():
    lexicon_pairs = [
        ("区经委", "市经济信息化委"),
        ("区科委", "市科委"),
        ("区发展改革委", "市发展改革委"),
        ("区市场监管局", "市市场监管局"),
        ("区委组织部", "市委组织部"),
        ("区财政局", "市财政局"),
        ("区人力资源社会保障局", "市人力资源社会保障局"),
        ("区生态环境局", "市生态环境局"),
        ("区规划资源局", "市规划资源局"),
        ("区国资委", "市国资委"),
        ("区统计局", "市统计局"),
    ]
    for district, city in lexicon_pairs:
        assert owners_are_counterparts(_district(district), _city(city)), (district, city)


def test_levels_read_from_the_place_in_front():
    guangzhou = {"plan_region": "广州市", "plan_level": "city"}
    assert _one("团市委", **guangzhou).canonical == "共青团广州市委"
    assert _one("团市委", **guangzhou).kind == "mass"
    assert _one("市委宣传部", **guangzhou).kind == "party"
    assert _one("越秀区", **guangzhou).canonical == "越秀区政府"
    assert _one("越秀区", **guangzhou).government == "440104"
    haizhu = _one("海珠区发展和改革局", **guangzhou)
    assert (haizhu.canonical, haizhu.government, haizhu.level) == (
        "海珠区发展改革局",
        "440105",
        "district",
    )
    province = _one("广东省人力资源和社会保障厅", **guangzhou)
    assert (province.government, province.level, province.function) == (
        "440000",
        "province",
        "human_resources",
    )
    # 市 in a district plan is the district's city; 区 is the district itself.
    assert _district("市体育局").government == SHANGHAI
    assert _district("区体育局").canonical == "松江区体育局"
    town = _district("九亭镇人民政府")
    assert (town.canonical, town.kind, town.level, town.government) == (
        "九亭镇",
        "town",
        "town",
        "310117107",
    )


def test_national_bodies_short_forms_only_in_national_plans():
    assert _national("统计局").canonical == "国家统计局"
    assert _national("医保局").government == "CN"
    # In a local plan the bare stem is the plan's own bureau.
    own = _district("统计局")
    assert (own.canonical, own.government) == ("松江区统计局", SONGJIANG)
    # Written whole, a national body is national in any plan.
    assert _district("工业和信息化部").government == "CN"
    # A city bureau's short name does not become Shanghai's in a national plan.
    assert _national("市财政局").government is None


@pytest.mark.parametrize("body", load_bureaus().national_bodies, ids=lambda body: body.name)
def test_every_national_body_resolves_by_each_of_its_names(body):
    for name in body.names:
        owner = _national(name)
        assert (owner.canonical, owner.government, owner.level) == (body.name, "CN", "national")
        assert (owner.function, owner.kind) == (body.function, body.kind)


def test_plan_government():
    assert plan_government(None, plan_level="national") == "CN"
    assert plan_government("松江区") == SONGJIANG
    assert plan_government("青浦區") == "310118"  # traditional script
    assert plan_government("宝山区", "310113") == "310113"
    assert plan_government(None) is None
    assert plan_government("杭州市西湖区") == "330106"
    # The given code wins over the name: callers that know better say so.
    owner = _one("区经委", plan_region="宝山区", plan_region_code="310113", plan_level="district")
    assert (owner.canonical, owner.government) == ("宝山区经委", "310113")


# -- collectives -----------------------------------------------------------------------------


def test_district_governments_collective_expands_in_a_city_plan():
    owners, _ = resolve_owners(["市经济信息化委", "市财政局", "各区政府"], plan_region="上海市")
    collective = [o for o in owners if o.canonical == "各区政府"]
    assert len(collective) == 1
    assert collective[0].kind == "collective" and collective[0].via is None
    assert collective[0].role == "co" and collective[0].government == SHANGHAI
    expanded = [o for o in owners if o.via == "各区政府"]
    assert len(expanded) == 16
    names = {o.canonical for o in expanded}
    assert {"松江区政府", "闵行区政府", "浦东新区政府"} <= names
    assert all(o.kind == "government" and o.role == "co" for o in expanded)
    assert all(o.level == "district" and o.government.startswith("31") for o in expanded)
    # The collective comes first, its members right after it, in document order.
    assert owners.index(collective[0]) == 2


def test_collective_leading_the_line_makes_its_members_lead():
    owners, _ = resolve_owners(["各区政府", "市经济信息化委"], plan_region="上海市")
    assert owners[0].canonical == "各区政府" and owners[0].role == "lead"
    assert all(o.role == "lead" for o in owners if o.via == "各区政府")
    assert owners[-1].canonical == "市经济信息化委" and owners[-1].role == "co"


def test_directly_listed_member_is_not_repeated_through_the_collective():
    owners, _ = resolve_owners(["闵行区政府", "各区政府"], plan_region="上海市")
    minhang = [o for o in owners if o.canonical == "闵行区政府"]
    assert len(minhang) == 1 and minhang[0].via is None and minhang[0].role == "lead"
    assert minhang[0].government == "310112"
    assert len([o for o in owners if o.via == "各区政府"]) == 15


def test_district_governments_of_another_city_come_from_the_gazetteer():
    owners, _ = resolve_owners(["各区人民政府"], plan_region="广州市", plan_level="city")
    members = [o for o in owners if o.via]
    assert len(members) == 11
    assert all(o.government.startswith("4401") for o in members)
    for wording in ("各区、县级市", "各有关区、县级市", "各有关区"):
        owners, unknown = resolve_owners([wording], plan_region="广州市", plan_level="city")
        assert unknown == [] and owners[0].kind == "collective", wording
        assert len([o for o in owners if o.via == owners[0].canonical]) == 11, wording


def test_counties_and_county_level_cities_are_told_apart():
    owners, _ = resolve_owners(["县（市）政府", "各区"], plan_region="杭州市", plan_level="city")
    counties = {o.canonical for o in owners if o.via == "县(市)政府"}
    assert counties == {"桐庐县政府", "淳安县政府", "建德市政府"}
    districts = [o for o in owners if o.via == "各区"]
    assert len(districts) == 10 and all(o.canonical.endswith("区政府") for o in districts)


def test_town_line_expands_to_the_plan_districts_towns_and_streets():
    owners, _ = resolve_owners(["区经委", "各街镇", "经开区"], plan_region="松江区")
    line = owners[1]
    assert (line.canonical, line.kind, line.government) == ("松江区各街镇", "collective", SONGJIANG)
    via = [o for o in owners if o.via == "松江区各街镇"]
    divisions = load_divisions()
    towns = {d.name for d in divisions.children(SONGJIANG) if d.name.endswith(("镇", "乡", "街道"))}
    assert {o.canonical for o in via} == towns and len(towns) == 17
    kinds = {o.canonical: o.kind for o in via}
    assert kinds["九亭镇"] == "town" and kinds["岳阳街道"] == "street"
    assert all(o.level == "town" and o.government.startswith(SONGJIANG) for o in via)
    assert owners[-1].canonical == "经开区" and owners[-1].kind == "zone"


def test_other_wordings_of_the_town_line():
    for wording in ("各街道、镇", "各镇（街道）", "各镇、街道", "各街镇"):
        owners, _ = resolve_owners([wording], plan_region="嘉定区", plan_level="district")
        members = [o for o in owners if o.via]
        assert members and all(o.government.startswith("310114") for o in members), wording
        assert {o.kind for o in members} == {"town", "street"}, wording


def test_provincial_governments():
    for wording in ("各省级人民政府", "各省、自治区、直辖市人民政府", "各省（区、市）人民政府"):
        owners, unknown = resolve_owners([wording], plan_level="national")
        assert unknown == []
        line, members = owners[0], owners[1:]
        assert (line.kind, line.level, line.government) == ("collective", "province", "CN")
        assert len(members) == 31, wording
        assert {"上海市政府", "广东省政府", "新疆维吾尔自治区政府"} <= {
            o.canonical for o in members
        }
        assert all(o.via == line.canonical and o.kind == "government" for o in members)


def test_new_city_line_stays_a_collective():
    owners, unknown = resolve_owners(["区经委", "松江新城范围内各街镇"], plan_region="松江区")
    assert [(o.canonical, o.kind, o.via) for o in owners] == [
        ("松江区经委", "bureau", None),
        ("松江新城范围内各街镇", "collective", None),
    ]
    assert owners[1].government == SONGJIANG
    assert unknown == []


@pytest.mark.parametrize(
    "wording", ["各有关部门", "各有关单位", "各项目牵头单位", "有关部门和单位", "试点城市政府"]
)
def test_collectives_no_data_enumerates_have_no_members(wording):
    owners, unknown = resolve_owners([wording], plan_region="广州市", plan_level="city")
    assert unknown == []
    assert [(o.kind, o.via) for o in owners] == [("collective", None)]


# -- unknown names ---------------------------------------------------------------------------


def test_unknown_names_are_kept_and_reported():
    owners, unknown = resolve_owners(
        ["市留学办", "某某专班", "区经委"], plan_region="杭州市", plan_level="city"
    )
    assert unknown == ["市留学办", "某某专班"]
    assert [(o.name, o.canonical, o.kind, o.level, o.government) for o in owners[:2]] == [
        ("市留学办", "市留学办", "unknown", "city", None),
        ("某某专班", "某某专班", "unknown", None, None),
    ]
    assert owners[2].function == "industry"


def test_other_ways_of_writing_a_unit():
    hangzhou = {"plan_region": "杭州市", "plan_level": "city"}
    # A double name: the main name counts.
    assert _one("市发展改革委（市粮食和储备局）", **hangzhou).canonical == "杭州市发展改革委"
    assert _one("市政府国资委", **hangzhou).function == "state_assets"
    # A national body's local bureau, named with the national body in front.
    tax = _one("国家税务总局杭州市税务局", **hangzhou)
    assert (tax.canonical, tax.government, tax.function) == ("杭州市税务局", HANGZHOU, "tax")
    bank = _one("人民银行杭州中心支行", **hangzhou)
    assert (bank.government, bank.function) == (HANGZHOU, "central_bank")
    # A zone's committee belongs to the division its name starts with.
    zone = _one("钱塘新区管委会", **hangzhou)
    assert (zone.kind, zone.government) == ("committee", "330114")
    # Organisations named as such are typed, without a government.
    company = _one("杭州市城市建设投资集团有限公司", **hangzhou)
    assert (company.kind, company.government) == ("enterprise", None)
    assert _one("浙江大学", **hangzhou).kind == "institution"
    assert _one("市软件行业协会", **hangzhou).kind == "association"


def test_provincial_and_county_level_city_plans():
    zhejiang = {"plan_region": "浙江省", "plan_level": "province"}
    assert _one("省经信厅", **zhejiang).canonical == "浙江省经济和信息化厅"
    assert _one("团省委", **zhejiang).canonical == "共青团浙江省委"
    owners, _ = resolve_owners(["各设区市人民政府"], **zhejiang)
    assert len(owners) == 12 and all(o.level == "city" for o in owners[1:])
    # 市 in a county-level city's plan is that city.
    kunshan = _one("市发改委", plan_region="昆山市")
    assert (kunshan.canonical, kunshan.government) == ("昆山市发展改革委", "320583")
    assert _one("苏州市发改委", plan_region="昆山市").government == "320500"


def test_empty_line():
    assert resolve_owners([], plan_region="上海市") == ([], [])
    assert resolve_owners(["", "  "], plan_region=None) == ([], [])


def test_full_names_for_display():
    assert full_name(_district("区经委")) == "松江区经济委员会"
    assert full_name(_district("九亭镇")) == "九亭镇人民政府"
    assert full_name(_district("岳阳街道")) == "岳阳街道办事处"
    assert full_name(_city("市经济信息化委")) == "上海市经济和信息化委员会"
    assert full_name(_city("闵行区政府")) == "闵行区人民政府"
    guangzhou = {"plan_region": "广州市", "plan_level": "city"}
    assert full_name(_one("市发展改革委", **guangzhou)) == "广州市发展和改革委员会"
    assert full_name(_one("市委组织部", **guangzhou)) == "中国共产党广州市委员会组织部"
    assert full_name(_one("团市委", **guangzhou)) == "共青团广州市委员会"
    assert full_name(_national("医保局")) == "国家医疗保障局"
    assert full_name(_one("各有关单位", **guangzhou)) is None
