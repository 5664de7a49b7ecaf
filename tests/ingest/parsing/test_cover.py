"""Cover facts (ingest/parsing/cover.py): issuers, level, region, number and date.

The first part builds covers of each family by hand; the second reads the real documents in
tests/corpus/ and data/plans/, cutting cover and closing with one simple rule (see `_cut`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from ingest.parsing.cover import CoverFacts, read_cover
from schema.normalize import normalise_for_matching
from tests.conftest import PROJECT_ROOT

ROOT = PROJECT_ROOT

NOTICE_BODY = "经市政府同意，现将《某某行动计划》印发给你们，请认真按照执行。"
CITY_ADDRESSEES = "各区人民政府，市政府各委、办、局："


def facts(
    cover: str,
    closing: str = "",
    title: str = "某某行动计划",
    *,
    running_headers: Sequence[str] = (),
    after_title: str = "",
) -> CoverFacts:
    return read_cover(
        cover, closing, title, running_headers=running_headers, after_title=after_title
    )


# ---------------------------------------------------------------------------------------
# Issuers by family


def test_red_header_names_the_issuer() -> None:
    cover = "\n".join(
        [
            "上海市人民政府办公厅文件",
            "沪府办发〔2023〕8号",
            CITY_ADDRESSEES,
            NOTICE_BODY,
            "2023年5月18日",
            "（此件公开发布）",
        ]
    )
    got = facts(cover, title="上海市推动制造业高质量发展三年行动计划（2023—2025年）")
    assert got == CoverFacts(
        ["上海市人民政府办公厅"], "沪府办发〔2023〕8号", "2023-05-18", "city", "上海市"
    )


def test_notice_with_one_sender_wrapped_over_lines() -> None:
    cover = "\n".join(
        [
            " 上海市松江区人民政府",
            "关于印发《松江区推动制造业高质量发展",
            "三年行动计划（2023-2025 年）》的通知",
            "各镇人民政府、街道办事处，区政府各部门：",
            "现将《松江区推动制造业高质量发展三年行动计划（2023-",
            "2025 年）》印发给你们，请认真按照执行。",
            "2023 年 11 月 15 日",
            "沪松府〔2023〕138 号",
        ]
    )
    got = facts(cover, title="松江区推动制造业高质量发展三年行动计划（2023-2025年）")
    assert got == CoverFacts(
        ["上海市松江区人民政府"], "沪松府〔2023〕138号", "2023-11-15", "district", "松江区"
    )


def test_notice_sentence_alone_gives_the_sender() -> None:
    cover = "上海市人民政府办公厅关于印发《某某行动计划》的通知\n" + CITY_ADDRESSEES
    assert facts(cover).issuers == ["上海市人民政府办公厅"]


def test_notice_without_guanyu() -> None:
    cover = "上海市人民政府办公厅印发《关于支持某某建设的若干措施》的通知"
    assert facts(cover).issuers == ["上海市人民政府办公厅"]


def test_co_issued_signature_block_most_local_decides() -> None:
    cover = "\n".join(
        [
            "沪科合〔2023〕12号",
            "各有关单位：",
            NOTICE_BODY,
            "上海市科学技术委员会",
            "上海市松江区人民政府",
            "2023年11月15日",
        ]
    )
    got = facts(cover)
    assert got.issuers == ["上海市科学技术委员会", "上海市松江区人民政府"]
    assert (got.level, got.region) == ("district", "松江区")
    assert got.doc_number == "沪科合〔2023〕12号"
    assert got.issued_on == "2023-11-15"


def test_co_issued_order_is_document_order() -> None:
    cover = "上海市松江区人民政府\n上海市科学技术委员会\n2023年11月15日"
    got = facts(cover)
    assert got.issuers == ["上海市松江区人民政府", "上海市科学技术委员会"]
    assert (got.level, got.region) == ("district", "松江区")


def test_co_issued_red_header_on_consecutive_lines() -> None:
    cover = "上海市科学技术委员会\n上海市松江区人民政府\n文件\n沪科合〔2023〕12号\n各有关单位："
    got = facts(cover)
    assert got.issuers == ["上海市科学技术委员会", "上海市松江区人民政府"]
    assert got.region == "松江区"


def test_co_issued_red_header_run_together() -> None:
    got = facts("上海市科学技术委员会上海市松江区人民政府文件\n沪科合〔2023〕12号")
    assert got.issuers == ["上海市科学技术委员会", "上海市松江区人民政府"]


def test_co_issued_signatures_side_by_side() -> None:
    got = facts(NOTICE_BODY + "\n上海市科学技术委员会    上海市松江区人民政府\n2023年11月15日")
    assert got.issuers == ["上海市科学技术委员会", "上海市松江区人民政府"]


def test_notice_with_several_senders() -> None:
    got = facts("国家发展改革委、工业和信息化部关于印发《某某实施方案》的通知\n国发改〔2022〕3号")
    assert got.issuers == ["国家发展改革委", "工业和信息化部"]
    assert (got.level, got.region) == ("national", None)


def test_name_with_he_is_not_split() -> None:
    got = facts("上海市经济和信息化委员会关于印发《某某行动计划》的通知")
    assert got.issuers == ["上海市经济和信息化委员会"]


def test_one_body_in_several_places_is_listed_once_in_its_fullest_wording() -> None:
    cover = "\n".join(
        [
            "松江区人民政府文件",
            "上海市松江区人民政府关于印发《某某行动计划》的通知",
            NOTICE_BODY,
            "上海市松江区人民政府",
            "2023年11月15日",
        ]
    )
    assert facts(cover).issuers == ["上海市松江区人民政府"]


def test_notice_title_that_lost_its_first_character_merges_with_the_signature() -> None:
    cover = "\n".join(
        [
            "海市人民政府办公厅关于印发《某某行动计划》的通知",
            CITY_ADDRESSEES,
            NOTICE_BODY,
            "上海市人民政府办公厅",
            "2023年10月24日",
        ]
    )
    assert facts(cover).issuers == ["上海市人民政府办公厅"]


def test_running_headers_name_the_issuer() -> None:
    got = facts("沪松府〔2023〕138号", running_headers=["上海市松江区人民政府文件"])
    assert got.issuers == ["上海市松江区人民政府"]
    assert (got.level, got.region) == ("district", "松江区")


def test_signature_in_the_closing_when_there_is_no_notice() -> None:
    closing = "\n".join(
        [
            "各地贯彻落实本意见的有关情况及发现的重要问题，要及时报送人力资源社会保障部。",
            "国务院",
            "2018年11月16日",
            "（此件公开发布）",
        ]
    )
    got = facts("", closing, title="国务院关于做好促进就业工作的若干意见")
    assert got.issuers == ["国务院"]
    assert got.issued_on == "2018-11-16"
    assert (got.level, got.region) == ("national", None)


def test_signature_and_date_on_one_line() -> None:
    got = facts("", "……请认真贯彻执行。\n国务院办公厅 2018年12月29日")
    assert got.issuers == ["国务院办公厅"]
    assert got.issued_on == "2018-12-29"


def test_closing_names_without_date_after_a_finished_sentence() -> None:
    got = facts("", "本方案自印发之日起施行。\n上海市科学技术委员会\n上海市松江区人民政府")
    assert got.issuers == ["上海市科学技术委员会", "上海市松江区人民政府"]


def test_closing_owner_list_is_not_a_signature() -> None:
    closing = "加快引进制造业优秀人才。（责任单位：区委组织部、区人力\n资源社会保障局）"
    assert facts("", closing).issuers == []


def test_a_body_name_wrapped_inside_a_sentence_is_not_an_issuer() -> None:
    cover = "为贯彻落实有关部署，现将\n上海市经济和信息化委员会\n制定的方案转发给你们。"
    assert facts(cover).issuers == []


def test_title_naming_its_issuer_is_the_last_resort() -> None:
    got = facts("", "", title="国务院关于做好当前和今后一个时期促进就业工作的若干意见")
    assert got.issuers == ["国务院"]
    assert got.level == "national"


# ---------------------------------------------------------------------------------------
# Addressees are not issuers


@pytest.mark.parametrize(
    "line",
    [
        "各区人民政府，市政府各委、办、局：",
        "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：",
        "相关区人民政府，市政府有关委、办、局，各有关单位：",
        "各区人民政府",
        "相关区人民政府",
        "上海市人民政府：",
        "各镇人民政府、街道办事处，区政府各部门：",
    ],
)
def test_addressee_lines_are_not_issuers(line: str) -> None:
    got = facts(
        f"沪府办发〔2023〕8号\n{line}\n{NOTICE_BODY}\n2023年5月18日", title="关于某某的意见"
    )
    assert got.issuers == []
    assert got.level is None


def test_wrapped_addressee_list_is_not_an_issuer() -> None:
    cover = "各区人民政府，市政府各委、办、局，\n上海市人民政府办公厅\n各有关单位："
    assert facts(cover).issuers == []


# ---------------------------------------------------------------------------------------
# Levels and regions


@pytest.mark.parametrize(
    ("issuer", "level", "region"),
    [
        ("国务院", "national", None),
        ("国务院办公厅", "national", None),
        ("中共中央办公厅", "national", None),
        ("工业和信息化部", "national", None),
        ("国家知识产权局", "national", None),
        ("体育总局", "national", None),  # the suffix rule: no place, a State Council ending
        ("浙江省人民政府", "province", "浙江省"),
        ("广东省发展改革委", "province", "广东省"),
        ("广西壮族自治区人民政府", "province", "广西壮族自治区"),
        ("中共浙江省委", "province", "浙江省"),
        ("广州市人民政府", "city", "广州市"),
        ("上海市人民政府办公厅", "city", "上海市"),
        ("上海市科学技术委员会", "city", "上海市"),
        ("北京市人民政府", "city", "北京市"),
        ("浙江省杭州市人民政府", "city", "杭州市"),
        ("中共上海市委", "city", "上海市"),
        ("上海市市场监督管理局", "city", "上海市"),
        ("上海市松江区人民政府", "district", "松江区"),
        ("松江区人民政府", "district", "松江区"),
        ("上海市浦东新区人民政府", "district", "浦东新区"),
        ("杭州市西湖区人民政府", "district", "西湖区"),
        ("德清县人民政府", "district", "德清县"),
        ("中共上海市松江区委员会", "district", "松江区"),
    ],
)
def test_level_and_region_of_one_issuer(issuer: str, level: str, region: str | None) -> None:
    got = facts(f"{NOTICE_BODY}\n{issuer}\n2023年5月18日", title="关于某某的意见")
    assert got.issuers == [issuer]
    assert (got.level, got.region) == (level, region)


def test_zone_committee_is_neither_national_nor_a_district() -> None:
    issuer = "中国（上海）自由贸易试验区临港新片区管理委员会"
    got = facts(f"{NOTICE_BODY}\n{issuer}\n2023年5月18日", title="关于某某的意见")
    assert got.issuers == [issuer]
    assert got.level is None


def test_regional_cooperation_office_is_not_a_district() -> None:
    got = facts(f"{NOTICE_BODY}\n上海市长三角区域合作办公室\n2023年5月18日")
    assert (got.level, got.region) == ("city", "上海市")


def test_national_and_city_co_issuers_give_the_city() -> None:
    got = facts(f"{NOTICE_BODY}\n工业和信息化部\n上海市人民政府\n2023年5月18日")
    assert (got.level, got.region) == ("city", "上海市")


@pytest.mark.parametrize(
    ("title", "level", "region"),
    [
        ("上海市北斗产业高质量发展三年行动计划（2021-2023年）", "city", "上海市"),
        ("松江区推动制造业高质量发展三年行动计划（2023-2025年）", "district", "松江区"),
        ("上海关于贯彻落实《“十四五”全国农业机械化发展规划》的实施意见", "city", "上海市"),
        ("上海市浦东新区促进产业发展行动方案", "district", "浦东新区"),
        ("浙江省数字经济发展规划", "province", "浙江省"),
        ("上海市支持浦东新区高水平改革开放的若干措施", "city", "上海市"),
        ("上海市推进城区更新行动计划", "city", "上海市"),
        ("城市更新行动方案", None, None),
        ("长三角区域一体化发展行动计划", None, None),
        ("关于推进人才集聚工程的实施意见", None, None),
    ],
)
def test_without_issuers_the_title_gives_the_level(
    title: str, level: str | None, region: str | None
) -> None:
    got = facts("附件", "", title=title)
    assert got.issuers == []
    assert (got.level, got.region) == (level, region)


# ---------------------------------------------------------------------------------------
# Document numbers


@pytest.mark.parametrize(
    ("line", "number"),
    [
        ("沪府办发〔2023〕8号", "沪府办发〔2023〕8号"),
        ("沪松府〔2023〕138 号", "沪松府〔2023〕138号"),
        ("沪松府 〔 2023 〕 138 号", "沪松府〔2023〕138号"),
        ("沪科合〔2023〕12号", "沪科合〔2023〕12号"),
        ("国办发[2018]128号", "国办发〔2018〕128号"),
        ("浙政发（2022）5号", "浙政发〔2022〕5号"),
    ],
)
def test_doc_number_on_its_line(line: str, number: str) -> None:
    assert facts(f"上海市人民政府文件\n{line}\n{CITY_ADDRESSEES}").doc_number == number


def test_doc_number_cited_in_the_notice_is_not_the_documents() -> None:
    cover = "根据《国务院关于印发某某规划的通知》（国发〔2021〕29号），现将方案印发给你们。"
    assert facts(cover).doc_number is None


def test_doc_number_under_the_title_when_there_is_no_cover() -> None:
    after = "国发〔2018〕39号\n各省、自治区、直辖市人民政府，国务院各部委、各直属机构："
    assert facts("", "", after_title=after).doc_number == "国发〔2018〕39号"


def test_doc_number_in_the_body_under_the_title_is_not_taken() -> None:
    after = "为贯彻落实《某某规划》（沪府〔2020〕84号），制定本方案。"
    assert facts("", "", after_title=after).doc_number is None


# ---------------------------------------------------------------------------------------
# Dates


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("2023年5月18日", "2023-05-18"),
        ("2023 年 11 月 15 日", "2023-11-15"),
        ("二〇二三年十一月十五日", "2023-11-15"),
        ("二○二三年五月十八日", "2023-05-18"),  # ○ WHITE CIRCLE for zero
        ("二零二三年十二月三十一日", "2023-12-31"),
        ("二O二三年一月二十日", "2023-01-20"),  # a letter O for zero
        ("２０２３年５月１８日", "2023-05-18"),
        ("二〇二三年十月十日", "2023-10-10"),
    ],
)
def test_signature_date_spellings(line: str, iso: str) -> None:
    assert facts(f"{NOTICE_BODY}\n上海市人民政府\n{line}").issued_on == iso


@pytest.mark.parametrize("line", ["2023年13月5日", "2023年2月30日", "二〇二三年十三月一日"])
def test_invalid_dates_give_none(line: str) -> None:
    assert facts(f"{NOTICE_BODY}\n上海市人民政府\n{line}").issued_on is None


def test_dates_inside_sentences_are_ignored() -> None:
    cover = "到2025年12月31日，全面完成目标任务。\n自2023年1月1日起施行"
    closing = "本措施自2026年1月1日起实施，有效期至2030年12月31日。"
    assert facts(cover, closing).issued_on is None


def test_printing_line_is_not_a_signature_date() -> None:
    assert facts("", "上海市人民政府办公厅 2023年5月19日印发").issued_on is None


def test_printing_office_on_its_own_line_is_not_an_issuer() -> None:
    cover = "上海市松江区人民政府\n2023年11月15日\n上海市松江区人民政府办公室\n2023年11月17日印发"
    got = facts(cover)
    assert got.issuers == ["上海市松江区人民政府"]
    assert got.issued_on == "2023-11-15"


def test_cover_date_wins_over_closing_date() -> None:
    got = facts(f"{NOTICE_BODY}\n2023年5月18日", "上海市人民政府\n2023年6月1日")
    assert got.issued_on == "2023-05-18"


def test_closing_gives_its_last_date_line() -> None:
    got = facts("", "2023年6月1日\n一段正文。\n上海市人民政府\n2023年6月2日")
    assert got.issued_on == "2023-06-02"


def test_signature_after_a_sentence_when_line_breaks_were_lost() -> None:
    got = facts("……请认真按照执行。上海市人民政府办公厅2023年5月18日")
    assert got.issuers == ["上海市人民政府办公厅"]
    assert got.issued_on == "2023-05-18"


# ---------------------------------------------------------------------------------------
# Wording kept: script and width


def test_traditional_script_and_full_width_digits_kept_as_written() -> None:
    cover = "\n".join(
        [
            "上海市人民政府辦公廳文件",
            "滬府辦發〔２０２３〕８號",
            "各區人民政府，市政府各委、辦、局：",
            "經市政府同意，現將《某某行動計劃》印發給你們，請認真按照執行。",
            "二〇二三年五月十八日",
        ]
    )
    got = facts(cover, title="上海市推動製造業高質量發展三年行動計劃")
    assert got.issuers == ["上海市人民政府辦公廳"]
    assert got.doc_number == "滬府辦發〔2023〕8号"
    assert got.issued_on == "2023-05-18"
    assert (got.level, got.region) == ("city", "上海市")


def test_traditional_district_region_as_written() -> None:
    got = facts(f"{NOTICE_BODY}\n上海市鬆江區人民政府\n2023年11月15日")
    assert got.issuers == ["上海市鬆江區人民政府"]
    assert (got.level, got.region) == ("district", "鬆江區")


def test_markdown_heading_marks_are_not_part_of_the_name() -> None:
    assert facts("# 上海市人民政府办公厅文件\n沪府办发〔2023〕8号").issuers == [
        "上海市人民政府办公厅"
    ]


def test_nothing_to_read() -> None:
    assert facts("", "", title="") == CoverFacts([], None, None, None, None)


# ---------------------------------------------------------------------------------------
# The real documents: cover = the lines before the first line(s) that spell the title;
# closing = the last 12 non-empty lines before 抄送 (or the end).

_META = re.compile(r"^\*\*[^*]+\*\*\s*[:：]")
_NOISE = re.compile(r"^(?:-{3,}|## 政策全文|【原文.*|-?\s*\[.*\]\(.*\)\s*)$")


def _lines_of(path: Path) -> list[str]:
    raw = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        raw = re.sub(r"(?i)<br\s*/?>|</p>", "\n", raw.replace('\\"', '"'))
        raw = html.unescape(re.sub(r"<[^>]+>", "", raw)).replace("\xa0", " ")
    lines = [line for line in raw.splitlines() if line.strip()]
    # A crawler's wrapper: a '# ' heading followed by '**key**: value' lines, and rules.
    if len(lines) > 1 and lines[0].startswith("# ") and _META.match(lines[1]):
        lines = lines[1:]
    return [ln for ln in lines if not _META.match(ln.strip()) and not _NOISE.match(ln.strip())]


def _key(text: str) -> str:
    return normalise_for_matching(text.replace("*", "").replace("#", ""))


def _title_span(lines: list[str], title: str) -> tuple[int, int] | None:
    """The first run of lines that together spell the title (it may wrap)."""
    target = _key(title)
    for i in range(len(lines)):
        joined = ""
        for j in range(i, len(lines)):
            joined += _key(lines[j])
            if joined == target:
                return i, j + 1
            if not joined or not target.startswith(joined):
                break
    return None


def _cut(lines: list[str], title: str) -> tuple[str, str, str]:
    """(cover, closing, after_title); with no title line, all of the text is body."""
    start, end = _title_span(lines, title) or (0, 0)
    body = lines[end:]
    footer = next((i for i, ln in enumerate(body) if ln.strip().startswith("抄送")), len(body))
    return "\n".join(lines[:start]), "\n".join(body[:footer][-12:]), "\n".join(body[:3])


# Titles as the parser gives them; expected facts as the documents print them.
REAL = [
    (
        "tests/corpus/01_shanghai-city_medical-devices-action-plan-2025.txt",
        "上海市促进高端医疗器械产业全链条发展行动方案",
        (["上海市人民政府办公厅"], "沪府办发〔2025〕17号", "2025-09-04", "city", "上海市"),
    ),
    (
        "tests/corpus/02_shanghai-city_beidou-3yr-plan-2021-2023_pdf-artifacts.txt",
        "上海市北斗产业高质量发展三年行动计划（2021-2023年）",
        ([], None, None, "city", "上海市"),
    ),
    (
        "tests/corpus/04_shanghai-city_commercial-space-plan-2023-2025.txt",
        "上海市促进商业航天发展打造空间信息产业高地行动计划（2023-2025年）",
        (["上海市人民政府办公厅"], "沪府办发〔2023〕19号", "2023-10-24", "city", "上海市"),
    ),
    (
        "tests/corpus/08_shanghai-city_agri-mechanization-opinions-2022_cites-national-plan.txt",
        "上海关于贯彻落实《“十四五”全国农业机械化发展规划》的实施意见",
        (["上海市农业农村委员会"], None, "2022-05-26", "city", "上海市"),
    ),
    (
        "tests/corpus/11_shanghai-city_g60-corridor-measures-2025.txt",
        "关于支持长三角G60科创走廊策源地建设的若干措施",
        (["上海市人民政府办公厅"], "沪府办规〔2025〕15号", "2025-12-02", "city", "上海市"),
    ),
    (
        "tests/corpus/12_national_digital-economy-plan-2021_boxes-stripped.txt",
        "“十四五”数字经济发展规划",
        (["国务院"], "国发〔2021〕29号", "2021-12-12", "national", None),
    ),
    (
        "tests/corpus/13_national_emergency-system-plan-2021_tables-projects.txt",
        "“十四五”国家应急体系规划",
        (["国务院"], "国发〔2021〕36号", "2021-12-30", "national", None),
    ),
    (
        "tests/corpus/14_national_zero-waste-city-plan-2018_html_unnumbered.html",
        "“无废城市”建设试点工作方案",
        (["国务院办公厅"], "国办发〔2018〕128号", "2018-12-29", "national", None),
    ),
    (
        # Only the body survives: no title line, cover or signature to read.
        "tests/corpus/15_guangzhou-city_talent-opinions-2012_html_lead-and-support.html",
        "关于推进人才集聚工程的实施意见",
        ([], None, None, None, None),
    ),
    (
        "tests/corpus/16_national_employment-opinions-2018_html.html",
        "国务院关于做好当前和今后一个时期促进就业工作的若干意见",
        (["国务院"], "国发〔2018〕39号", "2018-11-16", "national", None),
    ),
    (
        "data/plans/shanghai_2023-2025_manufacturing.txt",
        "上海市推动制造业高质量发展三年行动计划（2023—2025年）",
        (["上海市人民政府办公厅"], "沪府办发〔2023〕8号", "2023-05-18", "city", "上海市"),
    ),
    (
        "data/plans/songjiang_2023-2025_manufacturing.txt",
        "松江区推动制造业高质量发展三年行动计划（2023-2025年）",
        (["上海市松江区人民政府"], "沪松府〔2023〕138号", "2023-11-15", "district", "松江区"),
    ),
]


@pytest.mark.parametrize(
    ("path", "title", "expected"), REAL, ids=[r[0].split("/")[-1][:12] for r in REAL]
)
def test_real_documents(path: str, title: str, expected: tuple[object, ...]) -> None:
    cover, closing, after_title = _cut(_lines_of(ROOT / path), title)
    got = read_cover(cover, closing, title, after_title=after_title)
    assert (got.issuers, got.doc_number, got.issued_on, got.level, got.region) == expected


def test_real_titles_are_found_where_the_text_has_them() -> None:
    # The cut must fall where the plan starts, or the cases above would test little.
    found = {path: _title_span(_lines_of(ROOT / path), title) for path, title, _ in REAL}
    assert [path for path, span in found.items() if span is None] == [REAL[8][0]]
    assert found[REAL[1][0]] == (1, 3)  # 附件, then the title wrapped over two lines


def test_songjiang_with_its_running_header_removed() -> None:
    lines = _lines_of(ROOT / "data/plans/songjiang_2023-2025_manufacturing.txt")
    header = "松江区人民政府文件"
    kept = [ln for ln in lines if ln.strip() != header]
    assert len(kept) < len(lines)
    title = "松江区推动制造业高质量发展三年行动计划（2023-2025年）"
    cover, closing, _ = _cut(kept, title)
    got = read_cover(cover, closing, title, running_headers=[header])
    assert got.issuers == ["上海市松江区人民政府"]
    assert (got.level, got.region) == ("district", "松江区")
