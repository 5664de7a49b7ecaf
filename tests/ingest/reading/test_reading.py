"""The reader's parts one at a time: encodings, HTML to lines, .docx to lines, refusals.

tests/ingest/reading/test_formats.py checks whole plans end to end; here each rule has its own small
input, written in the test.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.errors import PlanError
from ingest.reading import decode_bytes, read_text
from ingest.reading.encodings import plausible, usual_share
from ingest.reading.html import declared_charset, html_to_text, looks_like_html

SIMPLIFIED = (
    "一、主要目标\n到2025年，工业增加值超过1.3万亿元，占地区生产总值比重达25%以上。\n"
    "二、重点任务\n1.打造世界级产业集群。（责任单位：市经济信息化委、市发展改革委）\n"
)
TRADITIONAL = (
    "一、主要目標\n到2025年，工業增加值超過1.3萬億元，佔地區生產總值比重達25%以上。\n"
    "二、重點任務\n1.打造世界級產業集群。（責任單位：市經濟信息化委、市發展改革委）\n"
)


def html_lines(markup: str) -> list[str]:
    return html_to_text(markup).splitlines()


# --- encodings ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SIMPLIFIED.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + SIMPLIFIED.encode("utf-8"), "utf-8-sig"),
        (b"\xff\xfe" + SIMPLIFIED.encode("utf-16-le"), "utf-16-le"),
        (b"\xfe\xff" + SIMPLIFIED.encode("utf-16-be"), "utf-16-be"),
        (b"\xff\xfe\x00\x00" + SIMPLIFIED.encode("utf-32-le"), "utf-32-le"),
        (SIMPLIFIED.encode("utf-16-le"), "utf-16-le"),  # no BOM: NULs after ASCII
        (SIMPLIFIED.encode("utf-16-be"), "utf-16-be"),
        (SIMPLIFIED.encode("gbk"), "gb18030"),
        (SIMPLIFIED.encode("gb18030"), "gb18030"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le", "utf-16-be", "utf-32-le", "utf-16-le-no-bom",
         "utf-16-be-no-bom", "gbk", "gb18030"],
)  # fmt: skip
def test_simplified_text_in_each_encoding(data, encoding):
    assert decode_bytes(data, source="plan.txt") == (SIMPLIFIED, encoding)


def test_big5_is_not_read_as_gb18030():
    data = TRADITIONAL.encode("big5")
    as_gb = data.decode("gb18030")  # valid GB18030 -- and garbage
    assert not plausible(as_gb)
    assert decode_bytes(data, source="plan.txt") == (TRADITIONAL, "big5")


def test_gbk_is_not_read_as_big5():
    data = SIMPLIFIED.encode("gbk")
    assert decode_bytes(data) == (SIMPLIFIED, "gb18030")


def test_cp950_extension_characters_are_read():
    text = TRADITIONAL + "碁銹裏墻恒粧嫺\n"  # Big5 as Microsoft extended it (0xF9D6-0xF9DC)
    data = text.encode("cp950")
    with pytest.raises(UnicodeDecodeError):
        data.decode("big5")
    assert decode_bytes(data) == (text, "cp950")


def test_usual_share_separates_right_from_wrong_decodes():
    data = TRADITIONAL.encode("big5")
    assert usual_share(data.decode("big5")) == 1.0
    assert usual_share(data.decode("gb18030")) < 0.7


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        ("日本語のテキストです。これは東京都の計画ではありません。".encode("shift_jis"), "jp"),
        ("Café résumé naïve, déjà vu, voilà.\n".encode("latin-1"), "latin"),
    ],
)
def test_foreign_text_is_refused_not_misread(data, kind):
    with pytest.raises(PlanError, match="cannot decode file"):
        decode_bytes(data, source=f"{kind}.txt")


def test_undecodable_bytes_name_the_utf8_line():
    data = "第一行\n第二行\n".encode() + b"\xff\xfe\xfa\n"
    with pytest.raises(PlanError, match="neither as UTF-8 nor as GB18030") as error:
        decode_bytes(data, source="bad.txt")
    assert error.value.line == 3


def test_a_bad_byte_in_a_utf8_plan_is_called_damaged_utf8():
    text = SIMPLIFIED * 20
    at = len(text[:500].encode())
    data = text.encode()[:at] + b"\xff" + text.encode()[at:]
    with pytest.raises(PlanError, match="damaged UTF-8") as error:
        decode_bytes(data, source="plan.txt")
    assert error.value.line == text[:500].count("\n") + 1


def test_nul_bytes_without_utf16_pattern_are_binary():
    data = "第一行\n".encode() + b"\x00\x01\x02\x03" + "第二行\n".encode()
    with pytest.raises(PlanError, match="binary file: contains NUL bytes") as error:
        decode_bytes(data, source="x.txt")
    assert error.value.line == 2


def test_control_characters_are_binary():
    data = "一、主要目标".encode() + bytes(range(1, 9)) * 3
    with pytest.raises(PlanError, match="control characters"):
        decode_bytes(data)


def test_utf16_bom_over_garbage_is_refused():
    with pytest.raises(PlanError, match="byte-order mark"):
        decode_bytes(b"\xff\xfe" + bytes(range(0x80, 0x100)) * 4)


# --- sniffing: what the bytes are, whatever the name says ---------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file: a PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "binary file: a JPEG image"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), r"legacy Office file .*\.docx"),
        (b"\x1f\x8b\x08\x00" + bytes(16), "gzip archive"),
        (b"PK\x03\x04 not really a zip", "damaged ZIP archive"),
        (b"{\\rtf1\\ansi \\'d2\\'bb}", "RTF document"),
        (b"%PDF-1.7\n garbage", "cannot open PDF"),
    ],
    ids=["png", "jpeg", "doc", "gzip", "bad-zip", "rtf", "bad-pdf"],
)
def test_other_formats_are_refused_by_name(tmp_path, data, message):
    path = tmp_path / "plan.txt"
    path.write_bytes(data)
    with pytest.raises(PlanError, match=message) as error:
        read_text(path)
    assert error.value.path == str(path)


def test_docx_is_sniffed_under_any_name(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("一、主要目标")
    path = tmp_path / "plan.txt"
    document.save(str(path))
    assert read_text(path) == ("一、主要目标\n", "docx")


# --- HTML -----------------------------------------------------------------------------------


def test_fragment_paragraphs_become_lines():
    markup = "<p>一、总体目标</p><p>（一）加强领导。</p><p>二、重点任务</p>"
    assert looks_like_html(markup)
    assert html_lines(markup) == ["一、总体目标", "（一）加强领导。", "二、重点任务"]


def test_block_boundaries_break_lines_and_inline_elements_do_not():
    markup = (
        "<div><h1>某某行动计划</h1><div>一、目标<br>二、任务</div>"
        "<ul><li>1.<b>打造</b>集群。</li><li>2.建设<a href='#'>平台</a>。</li></ul>"
        "<table><tr><td>指标</td><td>2025年</td></tr><tr><th>产值</th><td>1.3万亿元</td></tr>"
        "</table><p><span>（一）</span><span>加强领导。</span><font>（责任单位：区经委）</font>"
        "</p></div>"
    )
    assert html_lines(markup) == [
        "某某行动计划",
        "一、目标",
        "二、任务",
        "1.打造集群。",
        "2.建设平台。",
        "指标",
        "2025年",
        "产值",
        "1.3万亿元",
        "（一）加强领导。（责任单位：区经委）",
    ]


def test_layout_whitespace_inside_a_paragraph():
    markup = (
        "<p>\n\t　　到2025年，工业增加值\n\t\t超过1.3万亿元。</p>"
        "<p>建设G60\n  科创走廊，发展AI\tAgent。</p>"
        "<p>国务院办公厅&nbsp;&nbsp;&nbsp;&nbsp;</p>"
    )
    assert html_lines(markup) == [
        "到2025年，工业增加值超过1.3万亿元。",
        "建设G60 科创走廊，发展AI Agent。",
        "国务院办公厅",
    ]


def test_entities_are_unescaped():
    markup = "<p>&ldquo;十四五&rdquo;规划 &amp; 2035年远景目标 &lt;草案&gt; &#x4E00;&#19968;</p>"
    assert html_lines(markup) == ["“十四五”规划 & 2035年远景目标 <草案> 一一"]


def test_backslash_escaped_quotes_from_a_database_dump():
    markup = '<p align=\\"left\\">\n\t　　一、总体目标</p><p align=\\"left\\">\\"633\\"人才工程</p>'
    assert html_lines(markup) == ["一、总体目标", '"633"人才工程']


def test_scripts_styles_forms_and_chrome_are_dropped():
    markup = """<html><head><title>标题</title><style>p{}</style></head><body>
    <header><a href="/">首页</a></header><nav><a>导航</a></nav>
    <div class="BreadcrumbNav">当前位置：首页</div><div id="top-menu">菜单</div>
    <div class="share-box">分享到</div><div style="display: none">隐藏</div>
    <form><input value="搜索"><button>检索</button></form>
    <script>document.write("脚本")</script><noscript>无脚本</noscript><!-- 注释 -->
    <article><header><h1>某某行动计划</h1></header><p>一、主要目标</p></article>
    <div class="footer">版权所有</div><footer>网站地图</footer></body></html>"""
    assert html_lines(markup) == ["某某行动计划", "一、主要目标"]


def test_an_element_holding_the_page_is_never_chrome():
    body = "".join(f"<p>{i}.第{i}项任务的内容。</p>" for i in range(1, 30))
    markup = f'<html><body><div class="nav-wrapper"><div class="nav">首页</div>{body}</div>'
    lines = html_lines(markup + "</body></html>")
    assert lines[0] == "1.第1项任务的内容。" and len(lines) == 29


def test_deep_nesting_is_read():
    markup = "<div>" * 400 + "<p>一、总体目标</p><p>二、任务</p>" + "</div>" * 400
    assert html_lines(markup) == ["一、总体目标", "二、任务"]


def test_html_without_text_is_an_error():
    with pytest.raises(PlanError, match="no text outside scripts"):
        html_to_text("<html><body><script>var a = 1;</script><nav>首页</nav></body></html>")


@pytest.mark.parametrize(
    ("head", "charset"),
    [
        (b'<meta charset="gb2312">', "gb2312"),
        (b"<META HTTP-EQUIV='Content-Type' CONTENT='text/html; charset=GBK'>", "GBK"),
        (b'<meta http-equiv=\\"Content-Type\\" content=\\"text/html; charset=big5\\">', "big5"),
        (b'<?xml version="1.0" encoding="gb18030"?><html>', "gb18030"),
        (b"<p>no declaration</p>", None),
    ],
)
def test_declared_charset(head, charset):
    assert declared_charset(b"<html><head>" + head + b"</head>") == charset


def test_declared_charset_is_used_and_verified():
    page = f"<html><head><meta charset='big5'></head><body><p>{TRADITIONAL}</p></body></html>"
    assert decode_bytes(page.encode("big5"))[1] == "big5"
    # A page that lies (says gb2312, is Big5) is still read as Big5.
    lying = page.replace("big5", "gb2312")
    text, encoding = decode_bytes(lying.encode("big5"))
    assert encoding == "big5" and "主要目標" in text


def test_xhtml_with_encoding_declaration():
    body = "".join(f"<p>{line}</p>" for line in SIMPLIFIED.splitlines())
    page = f'<?xml version="1.0" encoding="gb2312"?>\n<html><body>{body}</body></html>'
    assert decode_bytes(page.encode("gb18030")) == (SIMPLIFIED, "gb18030")


@pytest.mark.parametrize(
    "text",
    [
        SIMPLIFIED,
        "某某行动计划\n一、主要目标<br>\n到2025年，比重<5%。\n二、重点任务\n1.打造集群。\n",
        "一、目标\n<table><tr><td>指标</td></tr></table>\n二、任务\n1.建设。\n2.推进。\n3.完善。\n",
    ],
    ids=["plain", "stray-br", "embedded-table"],
)
def test_text_with_a_little_markup_is_not_html(text):
    assert not looks_like_html(text)
    assert decode_bytes(text.encode())[0] == text


def test_html_suffix_makes_it_html(tmp_path):
    path = tmp_path / "plan.html"
    path.write_text("一、主要目标<br>二、重点任务\n", encoding="utf-8")
    assert read_text(path) == ("一、主要目标\n二、重点任务\n", "utf-8")


def test_html_suffix_on_plain_text_keeps_its_lines(tmp_path):
    path = tmp_path / "plan.htm"
    path.write_text(SIMPLIFIED, encoding="utf-8")
    assert read_text(path) == (SIMPLIFIED, "utf-8")


def test_content_blocks_named_like_chrome_words_are_kept():
    markup = (
        '<div class="con_head"><h1>某某行动计划</h1></div><div id="topic">一、主要目标</div>'
        '<div class="head">网站首页</div><div class="position">当前位置</div>'
    )
    assert html_lines(markup) == ["某某行动计划", "一、主要目标"]


def test_pretty_printed_fragment_with_wrapped_paragraphs():
    markup = "<p>\n  一、主要目标\n</p>\n<p>\n  到2025年，工业增加值\n  超过1.3万亿元。\n</p>\n"
    assert looks_like_html(markup)
    assert decode_bytes(markup.encode())[0] == "一、主要目标\n到2025年，工业增加值超过1.3万亿元。\n"


# --- .docx ----------------------------------------------------------------------------------


def test_docx_paragraphs_tables_and_breaks_in_document_order():
    import docx

    document = docx.Document()
    document.add_paragraph("某某行动计划")
    document.add_paragraph("")
    table = document.add_table(rows=3, cols=2)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "重点任务分工表"  # one merged header cell
    table.cell(1, 0).text, table.cell(1, 1).text = "任务", "责任单位"
    table.cell(2, 0).text = "1.打造集群"
    inner = table.cell(2, 1).add_table(rows=1, cols=2)  # a table nested in a cell
    inner.cell(0, 0).text, inner.cell(0, 1).text = "市经济信息化委", "市发展改革委"
    paragraph = document.add_paragraph("二、保障措施")
    paragraph.add_run().add_break()
    paragraph.add_run("（一）加强领导。")
    buffer = io.BytesIO()
    document.save(buffer)
    text, encoding = decode_bytes(buffer.getvalue(), source="plan.docx")
    assert encoding == "docx"
    assert text.splitlines() == [
        "某某行动计划",
        "重点任务分工表",
        "任务",
        "责任单位",
        "1.打造集群",
        "市经济信息化委",
        "市发展改革委",
        "二、保障措施",
        "（一）加强领导。",
    ]


def test_empty_docx_is_an_error():
    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    with pytest.raises(PlanError, match="no text"):
        decode_bytes(buffer.getvalue(), source="empty.docx")


def test_docx_with_broken_main_part_is_a_plan_error():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document><unclosed>")
    with pytest.raises(PlanError, match=r"cannot read \.docx"):
        decode_bytes(buffer.getvalue(), source="broken.docx")


# --- anything at all ------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(
        [b"", b"%PDF-1.4\n", b"PK\x03\x04", b"<p>", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf"]
    ),
    st.binary(max_size=400),
)
def test_arbitrary_bytes_give_text_or_a_plan_error(prefix, data):
    try:
        text, encoding = decode_bytes(prefix + data, source="blob")
    except PlanError as error:
        assert error.message and error.path == "blob"
        return
    assert isinstance(text, str) and text.strip() and encoding


# --- UTF-16 and UTF-32: read, or named as such when damaged (never "binary") ---------------

ENGLISH = "Plan 2025\nGoal 1: growth above 5%.\nTask 1.1: build 3 parks.\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SIMPLIFIED.encode("utf-32-le"), "utf-32-le"),  # no BOM: three NULs a character
        (SIMPLIFIED.encode("utf-32-be"), "utf-32-be"),
        (b"\x00\x00\xfe\xff" + SIMPLIFIED.encode("utf-32-be"), "utf-32-be"),
        (ENGLISH.encode("utf-16-le"), "utf-16-le"),
        (ENGLISH.encode("utf-16-be"), "utf-16-be"),
        (ENGLISH.encode("utf-32-le"), "utf-32-le"),
        (b"\xff\xfe" + ENGLISH.encode("utf-16-le"), "utf-16-le"),
        ("主要目标工业增加值超过".encode("utf-16-le"), "utf-16-le"),  # hanzi only: no NULs
    ],
    ids=[
        "32le",
        "32be",
        "32be-bom",
        "16le-ascii",
        "16be-ascii",
        "32le-ascii",
        "16le-bom-ascii",
        "16le-hanzi-only",
    ],
)
def test_utf16_and_utf32_read_with_or_without_bom(data, encoding):
    text, found = decode_bytes(data)
    assert found == encoding
    assert text.strip() and "\x00" not in text


def _with_bad_surrogate(codec: str, bom: bytes = b"") -> bytes:
    body = SIMPLIFIED.encode(codec)
    lone = b"\x00\xd8" if codec.endswith("le") else b"\xd8\x00"
    return bom + body[:40] + lone + body[40:]


@pytest.mark.parametrize(
    ("data", "message", "line"),
    [
        (
            SIMPLIFIED.encode("utf-16-le") + b"x",
            "UTF-16 text that does not decode: it reads as "
            "utf-16-le without a byte-order mark but has an odd number of bytes (173)",
            5,
        ),
        (
            SIMPLIFIED.encode("utf-16-be")[:-1],
            "utf-16-be without a byte-order mark but has an odd number of bytes (171)",
            4,
        ),
        (ENGLISH.encode("utf-16-le")[:-1], "UTF-16 text that does not decode", 3),
        (
            b"\xff\xfe" + SIMPLIFIED.encode("utf-16-le") + b"x",
            "UTF-16 text that does not "
            "decode: it starts with a utf-16-le byte-order mark but has an odd number of bytes",
            5,
        ),
        (b"\xfe\xff" + SIMPLIFIED.encode("utf-16-be")[:-1], "UTF-16 text that does not decode", 4),
        (
            _with_bad_surrogate("utf-16-le"),
            "UTF-16 text that does not decode: it reads as "
            "utf-16-le without a byte-order mark but has an unpaired surrogate (bytes 00 d8) at "
            "offset 40",
            2,
        ),
        (
            _with_bad_surrogate("utf-16-be"),
            "has an unpaired surrogate (bytes d8 00) at offset 40",
            2,
        ),
        (
            _with_bad_surrogate("utf-16-le", b"\xff\xfe"),
            "UTF-16 text that does not decode: it "
            "starts with a utf-16-le byte-order mark but has an unpaired surrogate (bytes 00 d8) "
            "at offset 42",
            2,
        ),
        (
            SIMPLIFIED.encode("utf-32-le")[:-1],
            "UTF-32 text that does not decode: it reads as "
            "utf-32-le without a byte-order mark but its length (343 bytes) is not a multiple of "
            "4",
            4,
        ),
        (
            b"\xff\xfe\x00\x00" + SIMPLIFIED.encode("utf-32-le")[:-2],
            "UTF-32 text that does not decode: it starts with a utf-32-le byte-order mark",
            4,
        ),
        (
            b"\xff\xfe\x00\x00"
            + SIMPLIFIED.encode("utf-32-le")[:20]
            + b"\x00\x00\x11\x00"
            + SIMPLIFIED.encode("utf-32-le")[20:],
            "has an invalid code point (bytes 00 00 11 00) at offset 24",
            1,
        ),
        (
            "主要目标工业增加值超过".encode("utf-16-le") + b"x",
            "UTF-16 text that does not decode",
            1,
        ),
    ],
    ids=[
        "16le-odd",
        "16be-cut",
        "16le-ascii-cut",
        "16le-bom-odd",
        "16be-bom-cut",
        "16le-surrogate",
        "16be-surrogate",
        "16le-bom-surrogate",
        "32le-cut",
        "32le-bom-cut",
        "32le-bom-bad-code-point",
        "16le-hanzi-only-odd",
    ],
)
def test_damaged_utf16_and_utf32_are_named_not_binary(data, message, line):
    with pytest.raises(PlanError) as error:
        decode_bytes(data, source="plan.txt")
    assert message in error.value.message
    assert "binary" not in error.value.message
    assert error.value.line == line


def test_damaged_utf16_file_is_named_by_read_text(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes(b"\xff\xfe" + SIMPLIFIED.encode("utf-16-le")[:-1])
    with pytest.raises(PlanError, match="UTF-16 text that does not decode") as error:
        read_text(path)
    assert error.value.path == str(path)


def test_utf16_bom_over_garbage_is_not_called_binary():
    with pytest.raises(PlanError, match="UTF-16 text that does not read as a plan") as error:
        decode_bytes(b"\xff\xfe" + "가나다라마바사아자차카타파하".encode("utf-16-le") * 4)
    assert "binary" not in error.value.message


@pytest.mark.parametrize(
    "data",
    [
        "第一行\n".encode() + b"\x00\x01\x02\x03" + "第二行\n".encode(),
        bytes(range(256)) * 4,
        b"\x00" * 64 + b"\x01\x02\x03",
    ],
    ids=["nul-in-utf8", "all-bytes", "nul-run"],
)
def test_nul_bytes_that_are_no_utf16_stay_binary(data):
    with pytest.raises(PlanError, match="binary file"):
        decode_bytes(data)
