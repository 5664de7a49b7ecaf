"""The parser on the two bundled plans, on plans of our own making, and its helpers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.console import Console

from ingest.errors import PlanError
from ingest.parsing import parse_file, parse_text
from ingest.reading import read_text
from ingest.render import plan_tree
from schema.normalize import (
    clean_spacing,
    find_doc_number,
    matching_shadow,
    normalise_for_matching,
)
from tests.conftest import PROJECT_ROOT

ROOT = PROJECT_ROOT
PLANS = ROOT / "data" / "plans"
OWN = ROOT / "tests" / "plans_own"
GOLDEN = ROOT / "tests" / "golden" / "parse"

CITY = PLANS / "shanghai_2023-2025_manufacturing.txt"
DISTRICT = PLANS / "songjiang_2023-2025_manufacturing.txt"


def golden(name: str) -> dict:
    return json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))


def as_json(plan) -> dict:
    data = json.loads(json.dumps(plan.to_dict(), ensure_ascii=False))
    data["source_file"] = Path(data["source_file"]).name
    return data


@pytest.fixture(scope="module")
def city():
    return parse_file(CITY)


@pytest.fixture(scope="module")
def district():
    return parse_file(DISTRICT)


# --- the bundled plans, whole --------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "name"), [(CITY, "shanghai_city"), (DISTRICT, "songjiang_district")]
)
def test_bundled_plan_matches_hand_checked_golden(path, name):
    assert as_json(parse_file(path)) == golden(name)


def test_city_plan_shape(city):
    assert city.title == "上海市推动制造业高质量发展三年行动计划（2023—2025年）"
    assert city.doc_number == "沪府办发〔2023〕8号"
    assert city.issuer == "上海市人民政府办公厅"
    assert city.issued_on == "2023-05-18"
    assert (city.level, city.region, city.period) == ("city", "上海市", (2023, 2025))
    assert [len(a.tasks) for a in city.actions] == [5, 3, 3, 3, 4, 4]
    assert [a.title for a in city.actions] == [
        "强链升级行动",
        "强基筑底行动",
        "数字蝶变行动",
        "绿色领跑行动",
        "企业成长行动",
        "空间扩展行动",
    ]
    assert [t.number for t in city.tasks] == list(range(1, 23))
    assert len(city.goals) == 4 and len(city.measures) == 5
    assert city.overview.startswith("到2025年")
    assert city.warnings == []


def test_city_task_fields(city):
    first = city.tasks[0]
    assert first.title == "打造世界级产业集群"
    assert first.text.startswith("打造世界级产业集群。制订新一轮三大先导产业发展方案")
    assert "责任单位" not in first.text
    assert first.agencies == ["市经济信息化委", "市发展改革委", "市科委"]
    assert (first.source.line_start, first.source.line_end) == (37, 37)
    # Task 2 is split across a page break in the middle of a word (时尚 / 消费新品).
    second = city.tasks[1]
    assert "时尚消费新品" in second.text
    assert (second.source.line_start, second.source.line_end) == (39, 41)
    assert city.tasks[20].title == "建设产业园区2.0版"
    assert city.tasks[21].agencies[0] == "各区政府"


def test_city_measures_headings_and_inline(city):
    assert [m.title for m in city.measures] == [
        "健全工作推进机制",
        "强化要素综合保障",
        "提升内外开放水平",
        "加强科技金融服务",
        "加强产业人才支撑",
    ]
    # Heading-style measures read title。body; the inline one is as written.
    assert city.measures[1].text.startswith("强化要素综合保障。引导更多资源要素")
    assert city.measures[4].text.startswith("加强产业人才支撑。优化产业高峰人才")
    assert "抄送" not in city.measures[-1].text
    assert city.measures[-1].agencies[-1] == "市国资委"


def test_district_plan_shape(district):
    assert district.title == "松江区推动制造业高质量发展三年行动计划（2023-2025年）"
    assert district.doc_number == "沪松府〔2023〕138号"
    assert district.issuer == "上海市松江区人民政府"
    assert district.issued_on == "2023-11-15"
    assert (district.level, district.region) == ("district", "松江区")
    assert [len(a.tasks) for a in district.actions] == [4, 4, 3, 3, 3, 4]
    assert len(district.goals) == 3 and len(district.measures) == 4
    assert [c.doc_number for c in district.cites] == ["沪府办发〔2023〕8号"]
    cited = district.cites[0].title
    assert normalise_for_matching(cited) == normalise_for_matching(
        "上海市推动制造业高质量发展三年行动计划（2023-2025年）"
    )


def test_district_label_split_across_lines_and_towns(district):
    task2 = district.tasks[1]
    assert task2.agencies == [
        "区经委",
        "区发展改革委",
        "区科委",
        "九亭镇",
        "泗泾镇",
        "车墩镇",
        "永丰街道",
        "经开区",
        "临港松江科技城",
    ]
    assert district.tasks[18].agencies == ["区经委", "松江新城范围内各街镇", "经开区"]
    # `12．` uses a full-width point.
    assert district.tasks[11].title == "加强绿色低碳前沿技术研究与应用"
    # Wrapped digits lose their layout spaces: `40 家` -> `40家`.
    assert "40家" in district.tasks[4].text
    assert district.measures[-1].agencies == ["区委组织部", "区人力资源社会保障局"]
    assert "抄送" not in district.measures[-1].text


# --- plans of our own making ------------------------------------------------------------


def titles(plan):
    return [t.title for t in plan.tasks]


def test_own_gbk_plan_with_lead_and_co_labels_and_gongcheng_groups():
    plan = parse_file(OWN / "own_01_jiading_gbk_labels_gongcheng.txt")
    assert plan.encoding == "gb18030"
    assert [a.title for a in plan.actions] == ["技术攻关工程", "示范应用工程", "生态培育工程"]
    assert [t.number for t in plan.tasks] == [1, 2, 3, 4, 5, 6]  # numbered `1、`
    assert plan.tasks[0].agencies == ["区经委", "区科委", "区发展改革委"]
    assert plan.tasks[0].text.endswith("推动一批首台套产品实现装车应用。")
    assert plan.tasks[2].agencies == ["区交通委", "区公安分局", "安亭镇", "外冈镇"]
    assert plan.tasks[3].agencies == ["区交通委", "区经委", "上海国际汽车城集团"]
    assert [m.title for m in plan.measures] == ["加强组织领导", "强化政策支持"]
    assert plan.doc_number == "嘉府办发〔2024〕12号"
    assert (plan.level, plan.region) == ("district", "嘉定区")
    assert plan.cites[0].doc_number == "沪府办发〔2022〕11号"


def test_own_traditional_plan_keeps_its_script():
    plan = parse_file(OWN / "own_02_traditional_zhuanxiang.txt")
    assert plan.title == "青浦區數字經濟發展三年行動計劃（2023—2025年）"
    assert [a.title for a in plan.actions] == [
        "數字產業壯大專項",
        "數字基建提升專項",
        "數字應用示範專項",
    ]
    assert titles(plan)[0] == "培育數字經濟龍頭企業"
    assert plan.tasks[1].agencies == ["區經委", "華新鎮", "徐涇鎮"]
    assert [m.title for m in plan.measures] == ["加強組織保障", "加大資金支持"]
    assert plan.region == "青浦區" and plan.level == "district"
    assert len(plan.goals) == 2


def test_own_plan_without_groups_under_zhuyaorenwu():
    plan = parse_file(OWN / "own_03_no_groups_numbered.txt")
    assert len(plan.actions) == 1 and plan.actions[0].title is None
    # 基本原则 1./2. are not tasks; the tasks are the four under 二、主要任务.
    assert titles(plan) == [
        "做强化妆品产业集群",
        "培育生物医药新动能",
        "建设特色产业园区",
        "打响“东方美谷”品牌",
    ]
    assert plan.tasks[0].agencies == ["区经委", "区科委", "区市场监管局"]
    # A running header sits inside task 3's responsibility line.
    assert plan.tasks[2].agencies == ["区规划资源局", "区经委", "金汇镇", "南桥镇"]
    assert [g.title for g in plan.goals] == ["产业能级显著提升", "品牌影响持续扩大"]
    assert plan.overview == "到2026年，美丽健康产业规模突破1000亿元。"
    assert [m.title for m in plan.measures] == ["加强统筹协调", "加大政策支持", "强化人才支撑"]
    assert "抄送" not in plan.measures[-1].text


def test_own_plan_with_paren_tasks_and_no_responsibility_lines():
    plan = parse_file(OWN / "own_04_paren_tasks_under_zhuyaorenwu.txt")
    assert titles(plan) == [
        "加强关键技术攻关",
        "建设算力基础设施",
        "拓展行业应用场景",
        "培育产业发展生态",
    ]
    assert all(t.agencies == [] for t in plan.tasks)
    assert plan.tasks[1].text.startswith("建设算力基础设施。布局建设公共算力平台")
    assert [m.title for m in plan.measures] == ["加强组织领导", "强化资金保障"]
    assert (plan.level, plan.region) == ("district", "闵行区")
    assert plan.doc_number is None and plan.issuer is None


def test_own_plan_on_one_line_with_bom_and_half_width_labels():
    raw = (OWN / "own_05_oneline_bom_halfwidth.txt").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\n") == 0
    plan = parse_file(OWN / "own_05_oneline_bom_halfwidth.txt")
    assert plan.encoding == "utf-8-sig"
    assert [a.title for a in plan.actions] == ["强链补链行动", "创新提升行动"]
    assert titles(plan) == [
        "做强先进钢铁材料",
        "发展高性能复合材料",
        "建设创新平台",
        "加快成果转化",
    ]
    assert plan.tasks[1].agencies == ["区经委", "区投资促进办", "罗店镇"]
    assert [m.title for m in plan.measures] == ["强化工作推进", "加强要素保障"]
    assert plan.measures[-1].agencies == ["区规划资源局", "区发展改革委"]
    assert plan.doc_number == "沪宝府〔2023〕66号"
    assert plan.issued_on == "2023-07-12"
    assert plan.cites[0].doc_number == "沪府办发〔2023〕8号"


# --- helpers ---------------------------------------------------------------------------


def test_find_doc_number():
    assert find_doc_number("沪松府〔2023〕138 号") == "沪松府〔2023〕138号"
    assert find_doc_number("沪府办发[2023] 8号") == "沪府办发〔2023〕8号"
    assert find_doc_number("…的通知沪宝府〔2023〕66号") == "沪宝府〔2023〕66号"
    assert find_doc_number("no number here") is None


def test_normalise_for_matching():
    traditional_full_width = normalise_for_matching("（責任單位：區經委）")
    assert traditional_full_width == normalise_for_matching("(责任单位:区经委)")
    assert normalise_for_matching("2023—2025 年") == "2023-2025年"
    assert normalise_for_matching("2 个百分点") == "2个百分点"
    assert normalise_for_matching("AI  Agent") == "AI Agent"


def test_shadow_keeps_offsets():
    text = "（責任單位：區經委）１．打造"
    shadow = matching_shadow(text)
    assert len(shadow) == len(text)
    assert shadow.startswith("(责任单位:区经委)1.")


def test_clean_spacing_joins_wrapped_lines():
    assert clean_spacing("到 2025 年，G60 科创走\n\n 廊") == "到2025年，G60科创走廊"


def test_read_text_encodings(tmp_path):
    text = CITY.read_text(encoding="utf-8")
    for name, data, expected in [
        ("plain.txt", text.encode("utf-8"), "utf-8"),
        ("bom.txt", b"\xef\xbb\xbf" + text.encode("utf-8"), "utf-8-sig"),
        ("gb.txt", text.encode("gb18030"), "gb18030"),
    ]:
        path = tmp_path / name
        path.write_bytes(data)
        decoded, encoding = read_text(path)
        assert (decoded, encoding) == (text, expected)


def test_parse_file_reports_missing_file(tmp_path):
    with pytest.raises(PlanError, match="cannot read"):
        parse_file(tmp_path / "missing.txt")


def test_plan_tree_shows_groups_tasks_and_bureaus(district):
    console = Console(width=200, record=True, color_system=None)
    console.print(plan_tree(district))
    out = console.export_text()
    assert "松江区推动制造业高质量发展三年行动计划" in out
    assert "强链升级行动" in out
    assert "21. 盘活低效工业用地" in out
    assert "松江新城范围内各街镇" in out
    assert "健全工作推进机制" in out


def test_parse_text_source_and_encoding_are_recorded():
    plan = parse_text(CITY.read_text(encoding="utf-8"), source="x.txt", encoding="utf-8")
    assert (plan.source_file, plan.encoding) == ("x.txt", "utf-8")


def test_numbering_restarting_in_each_group_is_kept_as_written():
    text = (
        "某区产业发展行动方案\n一、重点任务\n（一）创新工程\n"
        "1.加强攻关。内容。（责任单位：区科委）\n2.建设平台。内容。（责任单位：区经委）\n"
        "（二）应用工程\n1.扩大应用。内容。（责任单位：区经委）\n"
        "2.打造场景。内容。（责任单位：区交通委）\n"
        "二、保障措施\n（一）加强领导。内容。（责任单位：区经委）\n"
    )
    plan = parse_text(text)
    assert [[t.number for t in a.tasks] for a in plan.actions] == [[1, 2], [1, 2]]
    assert [t.title for t in plan.tasks] == ["加强攻关", "建设平台", "扩大应用", "打造场景"]
    assert plan.warnings == []
