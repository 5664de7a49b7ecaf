"""Responsibility parentheticals (ingest/parsing/owners.py): units, roles, rules, oddities.

Every form is checked as printed and in the variants real copies carry: ASCII brackets and
colons, traditional script, layout spaces. Corpus files under /work/shared/corpus show the
genre; the cases here are written for the family, not copied from one document.
"""

from __future__ import annotations

import itertools
import tomllib
from collections.abc import Callable

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.parsing.owners import _DATA_FILE as DATA_FILE
from ingest.parsing.owners import (
    Assignment,
    Responsibility,
    find_responsibilities,
    read_listing,
)

_S2T = opencc.OpenCC("s2t")
LEAD, CO, SUPPORT = "lead", "co", "support"
OPENING = "（(【"


def _ascii(text: str) -> str:
    return text.replace("（", "(").replace("）", ")").replace("：", ":")


def _traditional(text: str) -> str:
    return str(_S2T.convert(text))


def _spaced(text: str) -> str:
    # Layout spaces around punctuation, as a PDF copy leaves them.
    for mark in "（）：、，；":
        text = text.replace(mark, f" {mark} ")
    return text


VARIANTS: dict[str, Callable[[str], str]] = {
    "as printed": lambda text: text,
    "ascii brackets and colon": _ascii,
    "traditional": _traditional,
    "spaced": _spaced,
}


def _roles(responsibility: Responsibility) -> list[tuple[str, str]]:
    return [(a.name, a.role) for a in responsibility.assignments]


def _only(text: str, **kwargs: bool) -> Responsibility:
    found = find_responsibilities(text, **kwargs)
    assert len(found) == 1, [text[r.start : r.end] for r in found]
    return found[0]


def _check(text: str, variant: str, expected: list[tuple[str, str]]) -> Responsibility:
    """Read `text` in `variant`; names compare in the variant's script, whitespace removed."""
    convert = VARIANTS[variant]
    varied = convert(text)
    found = _only(varied)
    want = [("".join(convert(name).split()), role) for name, role in expected]
    assert _roles(found) == want
    # The span covers the bracketed label exactly: from its bracket to its closing bracket.
    assert varied[found.start] in OPENING
    assert varied[found.end - 1] in "）)"
    return found


# --- （责任单位：A、B、C） and its label family --------------------------------------------


@pytest.mark.parametrize("variant", VARIANTS)
def test_owner_label_first_leads_the_rest_are_co(variant: str) -> None:
    _check(
        "完善监管体系。（责任单位：市经委、市科委、市财政局）",
        variant,
        [("市经委", LEAD), ("市科委", CO), ("市财政局", CO)],
    )


@pytest.mark.parametrize(
    "label", ["责任部门", "负责单位", "负责部门", "主责单位", "实施单位", "责任主体"]
)
@pytest.mark.parametrize("variant", VARIANTS)
def test_owner_label_words(label: str, variant: str) -> None:
    _check(
        f"推进平台建设。（{label}：区发展改革委、区商务委、区科委、各街道）",
        variant,
        [("区发展改革委", LEAD), ("区商务委", CO), ("区科委", CO), ("各街道", CO)],
    )


def test_owner_label_with_one_unit() -> None:
    found = _only("加强人才引进。（责任单位：市人才局）")
    assert _roles(found) == [("市人才局", LEAD)]
    assert found.names == ["市人才局"]
    assert found.lead_rule is None and found.scope is None and found.problems == []


def test_names_keep_their_characters_as_written() -> None:
    text = "強化保障。（責任單位：市經濟信息化委、上海海關）"
    assert _only(text).names == ["市經濟信息化委", "上海海關"]


# --- （牵头单位：A；配合单位：B、C） -------------------------------------------------------


@pytest.mark.parametrize("variant", VARIANTS)
def test_lead_and_support_labels(variant: str) -> None:
    _check(
        "建立联络机制。（牵头单位：市人社局；配合单位：市教委、市财政局、市科委）",
        variant,
        [("市人社局", LEAD), ("市教委", SUPPORT), ("市财政局", SUPPORT), ("市科委", SUPPORT)],
    )


@pytest.mark.parametrize("variant", VARIANTS)
def test_support_label_with_a_collective_and_its_level(variant: str) -> None:
    _check(
        "实施培养项目。（牵头单位：市金融局，配合单位：市发展改革委、市人社局，各区、县级市）",
        variant,
        [
            ("市金融局", LEAD),
            ("市发展改革委", SUPPORT),
            ("市人社局", SUPPORT),
            ("各区、县级市", SUPPORT),
        ],
    )


@pytest.mark.parametrize("variant", VARIANTS)
def test_lead_label_alone_makes_every_unit_lead(variant: str) -> None:
    _check(
        "推进示范应用。（牵头部门：市经济信息化委、市交通委、市水务局）",
        variant,
        [("市经济信息化委", LEAD), ("市交通委", LEAD), ("市水务局", LEAD)],
    )


@pytest.mark.parametrize(
    ("support_label", "lead_label"),
    [("协助单位", "牵头单位"), ("参与单位", "牵头部门"), ("协同部门", "牵头单位")],
)
def test_other_support_label_words(support_label: str, lead_label: str) -> None:
    found = _only(f"开展评估。（{lead_label}：市统计局；{support_label}：市财政局、市审计局）")
    assert _roles(found) == [("市统计局", LEAD), ("市财政局", SUPPORT), ("市审计局", SUPPORT)]


def test_label_units_named_with_a_role_word_inside_stay_whole() -> None:
    # 各项目牵头单位 is a unit, not 各项目 + 牵头.
    found = _only("完善考核。（牵头单位：市委组织部，配合单位：各项目牵头单位，各区、县级市）")
    assert _roles(found) == [
        ("市委组织部", LEAD),
        ("各项目牵头单位", SUPPORT),
        ("各区、县级市", SUPPORT),
    ]


def test_every_label_word_in_the_data_file_is_read() -> None:
    # A new label in the data file works without code: each kind gives its role.
    with DATA_FILE.open("rb") as handle:
        labels = tomllib.load(handle)["labels"]
    expected_first = {"owner": LEAD, "lead": LEAD, "support": SUPPORT}
    for kind, first_role in expected_first.items():
        for word in labels[kind]:
            found = _only(f"落实任务。（{word}：市甲局、市乙委）")
            assert found.names == ["市甲局", "市乙委"], word
            assert found.assignments[0].role == first_role, word
    for word in labels["scope"]:
        found = _only(f"落实任务。（责任单位：市甲局，{word}：全市）")
        assert found.scope == "全市", word


# --- （A负责） and its lead rule ------------------------------------------------------------


@pytest.mark.parametrize("variant", VARIANTS)
def test_units_then_fuzeze(variant: str) -> None:
    _check(
        "扩大补贴范围。（人力资源社会保障部、财政部、教育部负责）",
        variant,
        [("人力资源社会保障部", LEAD), ("财政部", CO), ("教育部", CO)],
    )


def test_one_unit_then_fuze() -> None:
    assert _roles(_only("保障基本生活。（民政部负责）")) == [("民政部", LEAD)]


@pytest.mark.parametrize("variant", VARIANTS)
def test_deng_is_dropped_from_names(variant: str) -> None:
    _check(
        "开展职业培训。（人力资源社会保障部、财政部等负责）",
        variant,
        [("人力资源社会保障部", LEAD), ("财政部", CO)],
    )


def test_deng_before_other_bodies_keeps_them_as_a_unit() -> None:
    found = _only("保障生活。（财政部、民政部等有关部门和单位按职责分工负责）")
    assert _roles(found) == [("财政部", LEAD), ("民政部", CO), ("有关部门和单位", CO)]


def test_deng_inside_a_name_stays() -> None:
    found = _only("推进改革。（市教委高等教育处、市财政局负责）")
    assert found.names == ["市教委高等教育处", "市财政局"]


def test_role_word_after_a_comma_covers_the_whole_run() -> None:
    found = _only("支持创业。（人力资源社会保障部、科技部、财政部，各省级人民政府按职责分工负责）")
    assert _roles(found) == [
        ("人力资源社会保障部", LEAD),
        ("科技部", CO),
        ("财政部", CO),
        ("各省级人民政府", CO),
    ]


@pytest.mark.parametrize("variant", VARIANTS)
def test_lead_rule_is_kept_apart_from_the_units(variant: str) -> None:
    found = _check(
        "加大稳岗支持。（人力资源社会保障部、财政部负责。列第一位者为牵头单位，下同）",
        variant,
        [("人力资源社会保障部", LEAD), ("财政部", CO)],
    )
    assert found.lead_rule == VARIANTS[variant]("列第一位者为牵头单位").replace(" ", "")


def test_lead_rule_after_a_comma() -> None:
    found = _only("落实政策。（市经委、市科委负责，列第一位者为牵头单位）")
    assert found.names == ["市经委", "市科委"]
    assert found.lead_rule == "列第一位者为牵头单位"


def test_standing_rule_is_kept_and_later_runs_are_co() -> None:
    found = _only(
        "建立责任清单。（生态环境部指导，试点城市政府负责落实。以下均需试点城市政府落实，不再列出）"
    )
    assert _roles(found) == [("生态环境部", LEAD), ("试点城市政府", CO)]
    assert found.lead_rule == "以下均需试点城市政府落实"


# --- （A牵头，B、C参与） ---------------------------------------------------------------------


@pytest.mark.parametrize("variant", VARIANTS)
def test_lead_run_then_support_run(variant: str) -> None:
    _check(
        "健全统计制度。（生态环境部牵头，国家发展改革委、工业和信息化部、国家统计局参与）",
        variant,
        [
            ("生态环境部", LEAD),
            ("国家发展改革委", SUPPORT),
            ("工业和信息化部", SUPPORT),
            ("国家统计局", SUPPORT),
        ],
    )


@pytest.mark.parametrize("variant", VARIANTS)
def test_two_leads_then_a_supporter(variant: str) -> None:
    _check(
        "完善标准。（市场监管局、经信委牵头，科委、发展改革委配合）",
        variant,
        [("市场监管局", LEAD), ("经信委", LEAD), ("科委", SUPPORT), ("发展改革委", SUPPORT)],
    )


def test_lone_lead_run() -> None:
    assert _roles(_only("开展试点。（区经委牵头）")) == [("区经委", LEAD)]


@pytest.mark.parametrize("word", ["配合", "协助", "参与", "协同"])
def test_support_role_words(word: str) -> None:
    found = _only(f"开展试点。（区经委牵头，区科委{word}）")
    assert _roles(found) == [("区经委", LEAD), ("区科委", SUPPORT)]


def test_guidance_then_support() -> None:
    found = _only("发展回收产业。（商务部指导，供销合作总社参与）")
    assert _roles(found) == [("商务部", LEAD), ("供销合作总社", SUPPORT)]


def test_role_words_inside_a_label() -> None:
    found = _only("推进建设。（责任单位：区经委牵头，区科委、区财政局配合）")
    assert _roles(found) == [("区经委", LEAD), ("区科委", SUPPORT), ("区财政局", SUPPORT)]


def test_role_note_in_brackets_marks_the_lead() -> None:
    found = _only("推进建设。（责任单位：区科委、区经委（牵头）、区财政局）")
    assert _roles(found) == [("区科委", CO), ("区经委", LEAD), ("区财政局", CO)]
    assert found.problems == []


# --- （A、B、C指导） -------------------------------------------------------------------------


@pytest.mark.parametrize("variant", VARIANTS)
def test_guidance_first_leads_the_rest_are_co(variant: str) -> None:
    found = _check(
        "落实税收优惠。（工业和信息化部、财政部、税务总局指导）",
        variant,
        [("工业和信息化部", LEAD), ("财政部", CO), ("税务总局", CO)],
    )
    assert not any("指" in name for name in found.names)


def test_guidance_by_one_unit() -> None:
    assert _roles(_only("强化监管。(生态环境部指导)")) == [("生态环境部", LEAD)]


# --- scope clause ---------------------------------------------------------------------------


@pytest.mark.parametrize("variant", VARIANTS)
def test_scope_clause_is_not_an_owner(variant: str) -> None:
    found = _check(
        "优化审批流程。（负责部门：市规划资源局、市住房城乡建设管理委，适用范围：全市）",
        variant,
        [("市规划资源局", LEAD), ("市住房城乡建设管理委", CO)],
    )
    assert found.scope == VARIANTS[variant]("全市").strip()


def test_scope_clause_with_several_places() -> None:
    found = _only("优化审批。（责任单位：区规划资源局；适用范围：临港新片区、各开发区）")
    assert found.names == ["区规划资源局"]
    assert found.scope == "临港新片区、各开发区"


def test_scope_alone_is_no_responsibility() -> None:
    assert find_responsibilities("优化审批。（适用范围：全市）") == []


def test_deadline_clause_is_not_an_owner() -> None:
    found = _only("建成平台。（责任单位：市数据局；完成时限：2025年底）")
    assert _roles(found) == [("市数据局", LEAD)]


# --- bare trailing list ---------------------------------------------------------------------


@pytest.mark.parametrize("variant", VARIANTS)
def test_bare_list_of_bodies_at_the_end(variant: str) -> None:
    _check(
        "形成工作合力。（市发展改革委、市财政局、各区政府、各有关单位）",
        variant,
        [("市发展改革委", LEAD), ("市财政局", CO), ("各区政府", CO), ("各有关单位", CO)],
    )


def test_bare_list_followed_by_sentence_punctuation() -> None:
    found = _only("形成合力。（各有关单位）。")
    assert found.names == ["各有关单位"]


def test_bare_list_of_national_bodies() -> None:
    found = _only("加强金融支持。（人民银行、银保监会、财政部）")
    assert found.names == ["人民银行", "银保监会", "财政部"]


def test_bare_list_not_at_the_end_is_ignored() -> None:
    assert find_responsibilities("形成合力。（各有关单位）下一步继续推进。") == []
    # A bare list after a closing quote is a definition, not owners.
    text = "发挥“三委两局”（市发展改革委、市经信委、市科委、市规划资源局、市生态环境局）作用。"
    assert find_responsibilities(text) == []


def test_bare_list_of_things_is_ignored() -> None:
    assert find_responsibilities("完善标准。（人才交流、创新论坛、展览展示）") == []
    assert find_responsibilities("推进建设。（县级市）") == []


# --- what is not a responsibility ----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "就推进人才集聚工程（简称“633”人才工程），提出以下实施意见。",
        "支持各类职业院校（含技工院校）、普通高等学校承担培训。",
        "5年内市、区（县级市）两级重点评选资助200名技能人才。",
        "上海市北斗产业高质量发展三年行动计划（2023-2025年）",
        "国务院办公厅2018年12月29日（此件公开发布）",
        "实施“装、树、联”（垃圾焚烧企业安装监测设备、自动监测设备与生态环境部门联网），强化信息公开。",
        "探索政府和社会资本合作（PPP）等模式。",
        "（一）加大稳岗支持力度。",
        "达到企业现有在职职工人数25%（超过100人的企业达到15%）。",
        "推进工作，（市经委负责）并及时总结。",  # mid-sentence: not set off
        "加强领导（市委组织部牵头，各区参与）。",
    ],
)
def test_decoys_are_not_taken(text: str) -> None:
    assert find_responsibilities(text) == []
    assert find_responsibilities(_ascii(text)) == []


def test_prose_ending_in_a_role_word_is_not_units() -> None:
    assert find_responsibilities("完善制度。（2025年底前由各地负责）") == []
    assert find_responsibilities("完善制度。（按照“谁主管谁负责”原则负责）") == []


# --- odd brackets inside a label ------------------------------------------------------------


def test_inner_bracket_never_closed() -> None:
    text = "加快项目落地。（责任单位：区经委（牵头、区科委、区财政局）"
    found = _only(text)
    assert _roles(found) == [("区经委", LEAD), ("区科委", CO), ("区财政局", CO)]
    assert (found.start, found.end) == (text.index("（责任"), len(text))
    assert len(found.problems) == 1
    assert "never closed" in found.problems[0] and "\n" not in found.problems[0]


def test_inner_bracket_never_closed_before_more_text() -> None:
    text = "加快项目落地。（责任单位：区经委（牵头、区科委）以企业为主体。（区财政局负责）"
    found = find_responsibilities(text)
    assert [_roles(r) for r in found] == [
        [("区经委", LEAD), ("区科委", CO)],
        [("区财政局", LEAD)],
    ]
    assert text[found[0].start : found[0].end] == "（责任单位：区经委（牵头、区科委）"
    assert found[0].problems and not found[1].problems


@pytest.mark.parametrize("variant", VARIANTS)
def test_balanced_inner_bracket_stays_in_the_name(variant: str) -> None:
    found = _check(
        "加强知识产权保护。（责任单位：市科委（市知识产权局）、市经济信息化委）",
        variant,
        [("市科委（市知识产权局）", LEAD), ("市经济信息化委", CO)],
    )
    assert len(found.problems) == 1
    assert "bracket" in found.problems[0]


def test_level_in_brackets_is_no_problem() -> None:
    found = _only("建立专项资金。（牵头单位：市财政局，配合单位：各区（县级市））")
    assert _roles(found) == [("市财政局", LEAD), ("各区（县级市）", SUPPORT)]
    assert found.problems == []


def test_stray_closing_bracket_inside_the_list() -> None:
    text = "推进建设。（责任单位：市经委）、市科委、市财政局）"
    found = _only(text)
    assert _roles(found) == [("市经委", LEAD), ("市科委", CO), ("市财政局", CO)]
    assert (found.start, found.end) == (text.index("（"), len(text))
    assert len(found.problems) == 1 and "stray" in found.problems[0]


def test_extra_closing_bracket_after_the_label() -> None:
    text = "推进建设。（责任单位：市经委、市科委））"
    found = _only(text)
    assert found.names == ["市经委", "市科委"]
    assert found.end == len(text)
    assert len(found.problems) == 1


def test_closing_bracket_lost_at_the_end() -> None:
    text = "推进建设。（责任单位：市经委、市科委"
    found = _only(text)
    assert found.names == ["市经委", "市科委"]
    assert (found.start, found.end) == (text.index("（"), len(text))
    assert found.problems == ["closing bracket missing"]


def test_label_naming_no_unit_is_reported() -> None:
    found = _only("推进建设。（责任单位：）")
    assert found.assignments == []
    assert found.problems


def test_unknown_label_is_read_and_reported() -> None:
    found = _only("推进建设。（督办单位：市政府办公厅）")
    assert found.names == ["市政府办公厅"]
    assert any("督办单位" in problem for problem in found.problems)


# --- several labels in one text, spans, at_end_only -----------------------------------------


PARAGRAPH = (
    "以尾矿等为重点，完善综合利用标准体系。（市场监管总局、工业和信息化部负责）"
    "推广一批先进适用技术装备。(工业和信息化部指导)"
    "垃圾焚烧发电企业实施“装、树、联”（企业安装监测设备、设备与生态环境部门联网），确保达标排放。"
    "(国家发展改革委、住房城乡建设部、市场监管总局指导)"
    "以餐饮企业为重点，倡导“光盘行动”。（国家发展改革委、商务部、国管局指导）"
)


def test_several_labels_in_one_paragraph() -> None:
    found = find_responsibilities(PARAGRAPH)
    assert [PARAGRAPH[r.start : r.end] for r in found] == [
        "（市场监管总局、工业和信息化部负责）",
        "(工业和信息化部指导)",
        "(国家发展改革委、住房城乡建设部、市场监管总局指导)",
        "（国家发展改革委、商务部、国管局指导）",
    ]
    assert [r.names[0] for r in found] == [
        "市场监管总局",
        "工业和信息化部",
        "国家发展改革委",
        "国家发展改革委",
    ]
    starts = [r.start for r in found]
    assert starts == sorted(starts)
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


def test_spans_are_offsets_in_the_text_as_given() -> None:
    text = "开展培训。 \n（ 责任单位：\n市经委、 市科委 ）\n下一句。（市教委负责）"
    found = find_responsibilities(text)
    assert [text[r.start : r.end] for r in found] == [
        "（ 责任单位：\n市经委、 市科委 ）",
        "（市教委负责）",
    ]
    assert found[0].names == ["市经委", "市科委"]


def test_at_end_only_keeps_the_last_label() -> None:
    assert len(find_responsibilities(PARAGRAPH)) == 4
    found = find_responsibilities(PARAGRAPH, at_end_only=True)
    assert [PARAGRAPH[r.start : r.end] for r in found] == ["（国家发展改革委、商务部、国管局指导）"]


def test_at_end_only_allows_trailing_sentence_punctuation() -> None:
    assert len(find_responsibilities("推进。（市经委负责）。", at_end_only=True)) == 1
    assert find_responsibilities("（市经委负责）推进建设。", at_end_only=True) == []
    assert len(find_responsibilities("（市经委负责）推进建设。")) == 1


def test_label_at_the_start_of_the_text() -> None:
    found = _only("（牵头单位：团市委，配合单位：市人社局）")
    assert (found.start, found.end) == (0, len("（牵头单位：团市委，配合单位：市人社局）"))


def test_label_after_a_closing_quote_or_bracket() -> None:
    assert len(find_responsibilities("倡导“光盘行动”（商务部指导）")) == 1
    text = "出台实施细则（试行）（生态环境部指导）"
    assert [text[r.start : r.end] for r in find_responsibilities(text)] == ["（生态环境部指导）"]


# --- read_listing ---------------------------------------------------------------------------


def test_read_listing_of_a_label_without_brackets() -> None:
    listing = "责任单位：市经委、市科委、各区政府"
    found = read_listing(listing)
    assert (found.start, found.end) == (0, len(listing))
    assert _roles(found) == [("市经委", LEAD), ("市科委", CO), ("各区政府", CO)]
    assert found.problems == []


def test_read_listing_with_roles_and_traditional_script() -> None:
    found = read_listing("牽頭單位：市經委，配合單位：市科委、各區、縣級市")
    assert _roles(found) == [("市經委", LEAD), ("市科委", SUPPORT), ("各區、縣級市", SUPPORT)]


def test_read_listing_keeps_units_without_a_label() -> None:
    assert _roles(read_listing("市经委、市科委")) == [("市经委", LEAD), ("市科委", CO)]


def test_read_listing_reports_its_lost_bracket() -> None:
    found = read_listing("（责任单位：市经委、市科委")
    assert found.names == ["市经委", "市科委"]
    assert found.problems == ["opening bracket without a closing one"]


def test_read_listing_of_nothing() -> None:
    found = read_listing("")
    assert (found.start, found.end, found.assignments) == (0, 0, [])
    assert found.problems


def test_assignment_is_a_value() -> None:
    assert Assignment("市经委", LEAD) == Assignment("市经委", LEAD)
    with pytest.raises(AttributeError):
        Assignment("市经委", LEAD).role = CO  # type: ignore[misc]


# --- never raises, spans always sane --------------------------------------------------------

FRAGMENTS = [
    "（", "）", "(", ")", "【", "】", "：", ":", "、", "，", "；", "。", "”", "“", " ", "\n",
    "责任单位：", "牵头单位：", "配合单位：", "適用範圍：", "完成时限：", "市经委", "各区",
    "县级市", "区科委", "负责", "牵头", "参与", "指导", "等", "等有关部门和单位",
    "列第一位者为牵头单位", "下同", "按职责分工", "2025年", "简称“633”", "（牵头）",
]  # fmt: skip

texts = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=4)), max_size=40).map(
    "".join
)


@settings(max_examples=400, deadline=None)
@given(texts, st.booleans())
def test_find_never_raises_and_spans_are_sane(text: str, at_end_only: bool) -> None:
    found = find_responsibilities(text, at_end_only=at_end_only)
    previous_end = 0
    for responsibility in found:
        assert 0 <= responsibility.start < responsibility.end <= len(text)
        if responsibility.bracketed:
            assert text[responsibility.start] in OPENING
        else:  # a label closing the text without brackets
            assert responsibility.end == len(text)
        assert responsibility.start >= previous_end
        previous_end = responsibility.end
        for assignment in responsibility.assignments:
            assert assignment.name and not any(ch.isspace() for ch in assignment.name)
            assert assignment.role in {LEAD, CO, SUPPORT}
        assert all("\n" not in problem for problem in responsibility.problems)


@settings(max_examples=200, deadline=None)
@given(texts)
def test_read_listing_never_raises(text: str) -> None:
    found = read_listing(text)
    assert (found.start, found.end) == (0, len(text))


def test_label_with_its_colon_lost() -> None:
    found = _only("推进建设。（责任单位 市经委、市科委）")
    assert _roles(found) == [("市经委", LEAD), ("市科委", CO)]
    assert found.problems == ["label 责任单位 has no colon"]


def test_collective_with_several_levels_is_one_unit() -> None:
    found = _only("制定实施办法。（各省、自治区、直辖市人民政府负责）")
    assert found.names == ["各省、自治区、直辖市人民政府"]
    found = _only("制定实施办法。（各区、区财政局负责）")
    assert found.names == ["各区", "区财政局"]


def test_role_note_without_a_label_reads_anywhere() -> None:
    text = "加快项目落地。（区经委（牵头）、区科委、区财政局）以企业为主体。"
    found = _only(text)
    assert _roles(found) == [("区经委", LEAD), ("区科委", CO), ("区财政局", CO)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("建设智能工厂。责任单位：市经信局、市发改委", [("市经信局", LEAD), ("市发改委", CO)]),
        ("建设智能工厂。责任单位：市经信局。", [("市经信局", LEAD)]),
        (
            "建设平台。牵头单位：市经信局；配合单位：市发改委、市财政局。",
            [("市经信局", LEAD), ("市发改委", SUPPORT), ("市财政局", SUPPORT)],
        ),
        ("开放数据。责任部门:市大数据局", [("市大数据局", LEAD)]),
    ],
)
def test_a_label_closing_the_text_without_brackets(text: str, expected) -> None:
    (found,) = find_responsibilities(text)
    assert not found.bracketed and found.end == len(text)
    assert text[found.start :].startswith(("责任", "牵头"))
    assert _roles(found) == expected


@pytest.mark.parametrize(
    "text",
    [
        "明确责任单位：由各区负责落实，确保完成",  # a label word inside a sentence
        "加强协同，责任单位：市经信局",  # joined to a clause, not set off
        "责任单位：市经信局。推进建设工作。",  # not at the end
        "加强监管。负责：市场监管局",  # a short label word alone starts ordinary phrases
    ],
)
def test_text_that_only_mentions_a_label_has_no_owners(text: str) -> None:
    assert find_responsibilities(text) == []
