"""Places a task is about: divisions from the national gazetteer, special areas from
regions.csv, named parks by pattern; names inside names, scope and chains (ingest/places.py).

The sentences are written in the genre's style for these tests, not copied from the corpus.
"""

from __future__ import annotations

import pytest

from ingest.places import Place, find_places, place

SHANGHAI, SONGJIANG, NANJING, GUANGZHOU = "310000", "310117", "320100", "440100"


def keys(text: str, code: str | None = None, **kwargs) -> list[str]:
    places, _ = find_places(text, plan_region_code=code, **kwargs)
    return [p.key for p in places]


# -- the cases ---------------------------------------------------------------------


def test_a_place_inside_an_organisations_name_is_not_a_place():
    assert keys("依托上海市临床医学研究中心开展多中心临床试验。", SHANGHAI) == []
    assert keys("支持国家药监局器械审评长三角分中心做强服务。", SHANGHAI) == []
    assert keys("鼓励企业在上海证券交易所科创板上市。", SHANGHAI) == []
    assert keys("推动张江实验室承担重大任务。", SHANGHAI) == []
    assert keys("用好上海市中小企业发展专项基金。", SHANGHAI) == []


def test_the_zone_with_a_district_park_is_the_zone_not_zhangjiang_or_pudong():
    found = keys("支持张江高新区杨浦园打造双创示范基地。", SHANGHAI)
    assert found[0] == "310000/张江高新区"
    assert "310115/张江科学城" not in found and "310115" not in found
    assert place("310000/张江高新区") == Place("310000/张江高新区", "张江高新区", "zone", "310000")


def test_a_named_base_in_running_text_is_a_base_of_the_plans_region():
    places, _ = find_places(
        "鼓励 G60 星链产业基地积极创建未来产业园区。", plan_region_code=SONGJIANG
    )
    assert places == [Place("310117/G60星链产业基地", "G60星链产业基地", "base", "310117")]
    assert place("310117/G60星链产业基地") == places[0]


def test_gulou_is_settled_by_the_plans_city_and_reported_in_a_national_plan():
    assert keys("推进鼓楼区老旧小区改造。", NANJING) == ["320106"]
    places, warnings = find_places("推进鼓楼区老旧小区改造。")
    assert places == []
    assert len(warnings) == 1 and "鼓楼区" in warnings[0] and "320106" in warnings[0]


def test_a_guangzhou_district():
    assert keys("支持天河区建设软件和信息服务业集聚区。", GUANGZHOU) == ["440106"]
    assert keys("支持天河区建设软件和信息服务业集聚区。", plan_region="广州市") == ["440106"]


def test_a_town_of_another_province_is_not_tagged_in_a_shanghai_plan():
    # 西塘镇 is a town of 嘉善县 (浙江); no Shanghai town is called so.
    assert keys("学习借鉴西塘镇古镇保护经验。", SHANGHAI) == []
    assert keys("学习借鉴西塘镇古镇保护经验。", SONGJIANG) == []


# -- rule 1: leftmost-longest ----------------------------------------------------------------


def test_longest_name_wins():
    assert keys("推动松江新城、嘉定新城产值增长。", SHANGHAI) == [
        "310117/松江新城",
        "310114/嘉定新城",
    ]
    assert keys("提升张江高新区能级，建设张江科学城。", SHANGHAI) == [
        "310000/张江高新区",
        "310115/张江科学城",
    ]
    # The river is listed so that 黄浦江 is never 黄浦区.
    assert keys("推进黄浦江两岸贯通。", SHANGHAI) == ["310000/黄浦江"]


def test_a_town_is_longer_than_the_area_in_its_name():
    assert keys("支持张江镇发展。", SHANGHAI) == ["310115125"]


# -- rule 2: names inside names ----------------------------------------------------------------


def test_organisation_nouns_and_boundaries():
    # A verb ends the name chunk: the district is a place, the centre is what it builds.
    assert keys("支持松江区建设知识产权保护中心。", SHANGHAI) == ["310117"]
    assert keys("上海市医学创新研究院牵头。", SHANGHAI) == []
    assert keys("浦东新区率先建成国际消费中心。", SHANGHAI) == ["310115"]
    # An organisation written before a place takes it too (a centre's branch in 松江).
    assert keys("设立某某指导中心上海分中心松江工作站。", SHANGHAI) == []
    # 中心城区 is the city's core, not a centre.
    assert keys("优化上海中心城区产业布局。", SHANGHAI) == ["310000"]


def test_a_fund_or_programme_named_after_a_place():
    assert keys("发挥长三角 G60 科创走廊成果转化基金作用。", SONGJIANG) == []
    assert keys("开展松江区服务型制造种子计划。", SONGJIANG) == []


def test_quoted_slogans_are_not_places_but_a_quoted_place_is():
    assert keys("推动更多产品获得“上海品牌”认证，打响“松江制造”。", SONGJIANG) == []
    assert keys("推动“五个新城”加快发展。", SHANGHAI) == ["310000/五个新城"]


def test_responsibility_line_and_book_titles_are_not_mentions():
    text = "落实《上海市工业用地整治方案》要求。（责任单位：九亭镇、泗泾镇）"
    assert keys(text, SONGJIANG) == []


# -- rule 3: short forms and scope --------------------------------------------------------------


def test_short_district_names_only_in_plans_of_their_city():
    text = "提升青浦、杨浦、闵行等应用基地能级。"
    assert keys(text, SHANGHAI) == ["310118", "310110", "310112"]
    assert keys(text, SONGJIANG) == ["310118", "310110", "310112"]
    assert keys(text, "330100") == []  # 杭州
    assert keys(text) == []


def test_province_short_forms_anywhere_prefecture_ones_in_their_province():
    assert keys("支持北京、广东建设创新高地。") == ["110000", "440000"]
    assert keys("推动深圳、佛山协同。", GUANGZHOU) == ["440300", "440600"]
    assert keys("推动深圳、佛山协同。") == []
    assert keys("推动深圳、佛山协同。", SHANGHAI) == []


def test_town_names_only_inside_the_plans_city_and_short_forms_only_in_its_district():
    text = "支持九亭、泗泾镇和岳阳街道发展。"
    assert keys(text, SONGJIANG) == ["310117107", "310117102", "310117001"]
    assert keys(text, SHANGHAI) == ["310117102", "310117001"]  # 九亭 alone: only at home
    assert keys(text) == []  # a national plan tags no towns
    assert keys("支持泗泾镇发展。", "310112") == ["310117102"]  # a Minhang plan: same city


def test_common_words_that_are_division_names_are_not_places():
    assert keys("坚持绿水青山就是金山银山，推进中心城区和老城区更新。", SHANGHAI) == []
    assert keys("完善省和县级应急预案。") == []  # not 和县


def test_full_names_count_anywhere():
    assert keys("借鉴杭州市、苏州工业园区经验。", SHANGHAI) == ["330100", "320500/苏州工业园区"]
    assert keys("与中山大学合作。", "442000") == []  # 中山 of 中山大学 is a university's


def test_the_plan_region_name_is_resolved_when_no_code_is_given():
    assert keys("支持九亭发展。", plan_region="松江区") == ["310117107"]


# -- rule 4: chains ----------------------------------------------------------------------------


def test_a_chain_is_its_last_division():
    assert keys("在上海市松江区九亭镇建设示范项目。", SHANGHAI) == ["310117107"]
    # A chain settles an ambiguous name and locates a town of another city.
    assert keys("对口支援南京市鼓楼区和浙江省嘉兴市嘉善县西塘镇。") == ["320106", "330421103"]


# -- rule 5: former names ----------------------------------------------------------------------


def test_former_names():
    assert keys("原南汇区、闸北区的产业园区", SHANGHAI) == ["310119", "310108"]
    assert keys("崇明县生态岛建设", SHANGHAI) == ["310151"]
    assert place("310119").name == "南汇区"


# -- rule 6: special areas ---------------------------------------------------------------------


def test_local_aliases_only_in_plans_inside_their_division():
    text = "各街镇、经开区加快推进，争取新城工业产值年均增速高于全市。"
    assert keys(text, SONGJIANG) == ["310117/松江经济技术开发区", "310117/松江新城"]
    assert keys(text, "310112") == []
    assert keys(text) == []
    assert keys("支持临港、化工区发展。", SHANGHAI) == [
        "310000/临港新片区",
        "310000/上海化学工业区",
    ]
    assert keys("支持临港、化工区发展。") == []


def test_macro_regions_and_national_zones():
    found = keys("深化京津冀、长三角、粤港澳大湾区协同，支持雄安新区和海南自由贸易港建设。")
    assert found == [
        "京津冀",
        "长三角",
        "粤港澳大湾区",
        "130000/雄安新区",
        "460000/海南自由贸易港",
    ]
    assert place("长三角") == Place("长三角", "长三角", "macro region", None)


# -- named parks ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("建设宝武碳中和产业园。", ("310000/宝武碳中和产业园", "park", "310000")),
        ("推进 G60 脑智科创基地建设。", ("310000/G60脑智科创基地", "base", "310000")),
        ("打造松江科学仪器产业园区。", ("310117/松江科学仪器产业园区", "park", "310117")),
        ("依托浦东卫星研制基地。", ("310115/浦东卫星研制基地", "base", "310115")),
        (
            "建设临港智能装备产业园。",
            ("310000/临港智能装备产业园", "park", "310000/临港新片区"),
        ),
    ],
)
def test_named_parks_and_bases(text, expected):
    places, _ = find_places(text, plan_region_code=SHANGHAI)
    assert [(p.key, p.kind, p.parent) for p in places] == [expected]
    assert place(expected[0]) == places[0]


def test_a_brand_named_base_in_a_list():
    text = "鼓励联影医疗产业基地、创远 6G 产业基地等争创示范。"
    assert keys(text, SONGJIANG) == ["310117/联影医疗产业基地", "310117/创远6G产业基地"]


@pytest.mark.parametrize(
    "text",
    [
        "加快产业基地建设。",
        "引导各类园区提质增效。",
        "高标准建设特色产业园区。",
        "建设研发中心和生产基地。",
        "建设新材料中试基地、集成电路产业园。",
        "培育一批国家级智能制造示范基地。",
        "打造8个空间信息产业协同创新特色园区。",
        "支持某某研究中心临港园区建设。",
    ],
)
def test_generic_parks_are_not_places(text):
    assert keys(text, SHANGHAI) == []


def test_national_plans_name_kinds_of_base_not_a_company_s():
    assert keys("建设一批区域性驻训备勤保障基地。") == []


# -- the API -------------------------------------------------------------------------------------


def test_place_draws_part_of_chains_up_to_the_province():
    chain, key = [], "310117/松江新城"
    while key is not None:
        found = place(key)
        assert found is not None
        chain.append(found.kind)
        key = found.parent
    assert chain == ["new city", "county", "province"]
    assert place("310117107") == Place("310117107", "九亭镇", "town", "310117")
    assert place("310000/南汇新城").parent == "310000/临港新片区"
    assert place("不存在") is None
    assert place("999999") is None


def test_order_of_first_mention_without_repeats():
    assert keys("松江区、青浦区，松江区。", SHANGHAI) == ["310117", "310118"]


def test_traditional_and_full_width_text_matches():
    assert keys("九亭鎮和Ｇ６０科創走廊", SHANGHAI) == ["310117107", "310000/G60科创走廊"]


def test_a_short_form_inside_a_common_word_is_not_a_place():
    assert keys("推广东部地区经验，共建幸福建设家园。") == []
    assert keys("沿海南部港口。", GUANGZHOU) == []
    assert keys("引导产业向上海集聚。") == ["310000"]


@pytest.mark.parametrize(
    ("filename", "code"),
    [
        ("shanghai_2023-2025_manufacturing.txt", SHANGHAI),
        ("songjiang_2023-2025_manufacturing.txt", SONGJIANG),
    ],
)
def test_every_place_found_is_what_place_of_its_key_gives(filename, code):
    from tests.conftest import PROJECT_ROOT

    text = (PROJECT_ROOT / "data" / "plans" / filename).read_text(encoding="utf-8")
    places, warnings = find_places(text, plan_region_code=code)
    assert len(places) > 10 and warnings == []
    for found in places:
        assert place(found.key) == found
        # Every chain ends at a province (or at a macro region, which lies in no division).
        key: str | None = found.key
        while key is not None:
            top = place(key)
            assert top is not None, key
            key = top.parent
        assert top.kind in ("province", "macro region")


def test_more_verbs_end_a_name_chunk_but_organisation_names_hold_theirs():
    assert keys("推动松江区成为长三角科创高地。", SHANGHAI) == ["310117", "长三角"]
    assert keys("支持松江区投资促进中心做强服务。", SHANGHAI) == []
    assert keys("支持申报国家药监局创新研究基地。", SHANGHAI) == []  # a bureau's site


def test_an_everyday_word_is_no_towns_short_form():
    assert keys("建设新型书院，支持周浦、康桥发展。", "310115") == ["310115132", "310115136"]
