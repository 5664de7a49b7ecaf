"""Each format gives the same parse as the plain text of the same document.

The inputs are made here, in the test run, from the two bundled plans (data/plans/*.txt) by
the writers in benchmarks/parse_formats.py: UTF-16 LE/BE with a BOM and LE without one,
GB18030, Big5 (of the text converted to traditional characters with OpenCC ``s2tw``, compared
with the same traditional text saved as UTF-8), a gov.cn-like HTML page (navigation, scripts,
form, share bar and footer around the plan's <p>s; once as UTF-8, once as GB18030 declaring
gb2312), a bare HTML fragment saved as ``.txt``, a .docx (the first lines in a table) and a PDF.

The PDF is written by reportlab with the CID font STSong-Light, one source line per PDF line,
long lines hard-wrapped at the A4 margin (about 45 characters), as real PDFs are; the parser
rejoins the wrapped paragraphs.

A parse is compared in every field but the file's name, its encoding and line positions
(``source`` spans, outline lines, ``line N`` in warnings): other formats lay out lines
differently (no blank lines, wrapped PDF lines).

Also here: the three HTML files of the shared corpus, a PDF without a text layer, and binary
or foreign files that must be refused with a clear error.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

from benchmarks.parse_formats import (
    html_page,
    traditional,
    write_all,
    write_pdf,
    write_scanned_pdf,
)
from ingest.errors import PlanError
from ingest.parsing import parse_file
from ingest.reading import decode_bytes, read_text
from schema.paths import DEFAULT_PLANS_DIR, PROJECT_ROOT

PLANS = {path.stem.split("_")[0]: path for path in sorted(DEFAULT_PLANS_DIR.glob("*.txt"))}
# The shared corpus's HTML files, as copied byte for byte into the repository.
CORPUS = PROJECT_ROOT / "tests" / "corpus"
# Which file each format is compared with, and the encoding it must report.
FORMATS = {
    "txt utf-16-le": ("txt utf-8", "utf-16-le"),
    "txt utf-16-be": ("txt utf-8", "utf-16-be"),
    "txt utf-16-le, no BOM": ("txt utf-8", "utf-16-le"),
    "txt gb18030": ("txt utf-8", "gb18030"),
    "txt big5": ("txt utf-8, traditional", "big5"),
    "html page": ("txt utf-8", "utf-8"),
    "html page gb2312": ("txt utf-8", "gb18030"),
    "html fragment": ("txt utf-8", "utf-8"),
    "docx": ("txt utf-8", "docx"),
    "pdf": ("txt utf-8", "pdf"),
}
_LINE_KEYS = {"source", "source_file", "encoding", "line", "line_start", "line_end"}


def comparable(value: Any) -> Any:
    """A parse's dict without file name, encoding and line positions."""
    if isinstance(value, dict):
        return {k: comparable(v) for k, v in value.items() if k not in _LINE_KEYS}
    if isinstance(value, list):
        return [comparable(v) for v in value]
    if isinstance(value, str):
        return re.sub(r"\blines? \d+(?:[–-]\d+)?", "line N", value)
    return value


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> dict[str, dict[str, Path]]:
    out = {}
    for name, plan in PLANS.items():
        folder = tmp_path_factory.mktemp(name)
        text = plan.read_text(encoding="utf-8")
        files = write_all(text, folder)
        no_bom = folder / "plan-utf16le-nobom.txt"
        no_bom.write_bytes(text.encode("utf-16-le"))
        files["txt utf-16-le, no BOM"] = no_bom
        out[name] = files
    return out


@pytest.fixture(scope="module")
def parses(generated) -> dict[tuple[str, str], Any]:
    """Parse each plain-text reference once."""
    return {
        (name, label): comparable(parse_file(files[label]).to_dict())
        for name, files in generated.items()
        for label in ("txt utf-8", "txt utf-8, traditional")
    }


def test_the_plans_are_the_bundled_ones():
    assert sorted(PLANS) == ["shanghai", "songjiang"]


@pytest.mark.parametrize("label", sorted(FORMATS))
@pytest.mark.parametrize("name", sorted(PLANS))
def test_format_parses_like_the_plain_text(generated, parses, name, label):
    reference, encoding = FORMATS[label]
    plan = parse_file(generated[name][label])
    assert plan.encoding == encoding
    assert plan.source_file == str(generated[name][label])
    got = comparable(plan.to_dict())
    expected = parses[(name, reference)]
    assert got == expected
    assert len(plan.tasks) >= 20  # the comparison is between real parses


def test_traditional_reference_is_really_traditional(generated):
    text, _ = read_text(generated["shanghai"]["txt big5"])
    assert "推動製造業高質量發展" in text
    assert "推动" not in text
    assert text == traditional(PLANS["shanghai"].read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(PLANS))
def test_pdf_text_layer_gives_back_every_character(generated, name):
    """STSong-Light has every character of the plans, and PDFium extracts them unchanged."""
    text, encoding = read_text(generated[name]["pdf"])
    assert encoding == "pdf"
    source = PLANS[name].read_text(encoding="utf-8")
    assert "".join(text.split()) == "".join(source.split())
    # Hard-wrapped, as PDFs are: long paragraphs become several short lines.
    paragraphs = [line for line in source.splitlines() if line.strip()]
    wrapped = len(paragraphs) + sum(len(line) // 60 for line in paragraphs)
    assert len(text.splitlines()) >= wrapped
    assert max(len(line) for line in text.splitlines()) < 80


def test_html_page_drops_navigation_scripts_forms_and_footer(generated):
    text, _ = read_text(generated["shanghai"]["html page"])
    for chrome in (
        "首页",
        "当前位置",
        "document",
        "检索",
        "分享到",
        "ICP",
        "无障碍",
        "line-height",
    ):
        assert chrome not in text
    lines = text.splitlines()
    assert lines[0] == "# 上海市人民政府办公厅文件"
    assert "## 一、主要目标" in lines
    assert not any(line != line.strip() for line in lines)  # the 　　 indent is gone
    assert all("\t" not in line for line in lines)


def test_html_fragment_without_html_suffix_is_sniffed(generated):
    path = generated["songjiang"]["html fragment"]
    assert path.suffix == ".txt"
    assert path.read_bytes().startswith(b"<p>")
    text, encoding = read_text(path)
    assert encoding == "utf-8"
    assert "<p>" not in text
    assert text.splitlines()[0] == "上海市松江区人民政府"


# --- the HTML files of the shared corpus ---------------------------------------------------


def corpus_file(prefix: str) -> Path:
    (path,) = CORPUS.glob(f"{prefix}_*.html")
    return path


def test_corpus_html_with_backslash_escaped_quotes():
    text, encoding = read_text(corpus_file("15"))
    assert encoding == "utf-8"
    assert '\\"' not in text and "<" not in text and "align" not in text
    lines = text.splitlines()
    assert lines[0].startswith("为深入贯彻科学发展观")
    for heading in ("一、总体目标", "二、实施六大人才行动计划", "五、强化组织实施"):
        assert heading in lines
    numbered = [line for line in lines if re.match(r"\d+\.", line)]
    assert [int(line.split(".")[0]) for line in numbered] == list(range(1, 46))
    assert lines[-1].startswith("45.营造良好环境")


@pytest.mark.parametrize(
    ("prefix", "first", "number"),
    [
        ("14", "国务院办公厅关于印发“无废城市”建设", "国办发〔2018〕128号"),
        ("16", "国务院关于做好当前和今后一个时期", "国发〔2018〕39号"),
    ],
)
def test_corpus_gov_cn_article_bodies(prefix, first, number):
    text, _ = read_text(corpus_file(prefix))
    lines = text.splitlines()
    assert lines[0] == first
    assert number in lines
    assert "（此件公开发布）" in lines
    assert "<" not in text and "font-family" not in text and "&nbsp;" not in text
    assert all(line == line.strip() and line for line in lines)
    # A paragraph's inline spans stay on its line: the label closes the task's line.
    if prefix == "16":
        task = next(line for line in lines if line.startswith("（一）加大稳岗支持力度。"))
        assert task.endswith("（人力资源社会保障部、财政部负责。列第一位者为牵头单位，下同）")


# --- what is refused ----------------------------------------------------------------------


def test_pdf_without_text_layer_names_file_and_text_layer(tmp_path):
    path = tmp_path / "scan.pdf"
    write_scanned_pdf(path)
    with pytest.raises(PlanError, match="text layer") as error:
        parse_file(path)
    assert error.value.path == str(path)
    assert str(path) in str(error.value)


def test_damaged_pdf_is_a_plan_error(tmp_path):
    path = tmp_path / "plan.pdf"
    write_pdf("一、主要目标\n", path)
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(PlanError, match="PDF"):
        read_text(path)


def test_random_binary_blob_is_refused(tmp_path):
    import random

    path = tmp_path / "blob.txt"
    path.write_bytes(random.Random(12).randbytes(4096))
    with pytest.raises(PlanError, match="binary file"):
        parse_file(path)


def test_zip_that_is_not_docx_is_refused(tmp_path):
    path = tmp_path / "plan.docx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("plan.txt", "一、主要目标")
    path.write_bytes(buffer.getvalue())
    with pytest.raises(PlanError, match=r"ZIP archive .*not a \.docx") as error:
        parse_file(path)
    assert error.value.path == str(path)


def test_excel_workbook_is_named(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(PlanError, match=r"Excel workbook"):
        decode_bytes(buffer.getvalue(), source="tasks.xlsx")


@pytest.mark.parametrize("data", [b"", b" \n\t\n", b"\xef\xbb\xbf", b"\xff\xfe \x00\n\x00"])
def test_empty_file_stays_an_error(tmp_path, data):
    path = tmp_path / "empty.txt"
    path.write_bytes(data)
    with pytest.raises(PlanError, match="empty file"):
        parse_file(path)


def test_docx_bytes_through_decode_bytes(generated):
    data = generated["shanghai"]["docx"].read_bytes()
    text, encoding = decode_bytes(data, source="upload")
    assert encoding == "docx"
    assert text.splitlines()[:2] == ["# 上海市人民政府办公厅文件", "沪府办发〔2023〕8号"]


def test_gb2312_page_is_decoded_by_its_declaration():
    data = html_page("一、主要目标\n到2025年，工业增加值超过1.3万亿元。\n", charset="gb2312")
    text, encoding = decode_bytes(data.encode("gb18030"), source="page.htm")
    assert encoding == "gb18030"
    assert text == "一、主要目标\n到2025年，工业增加值超过1.3万亿元。\n"
