"""Read+parse time of one plan in every input format, against its plain UTF-8 text.

    python -m benchmarks.parse_formats [--rounds 30] [--warmup 3] [--plan PATH] [--json]

Writes the bundled Shanghai plan (or --plan) as UTF-8, UTF-16, GB18030 and Big5 text, as a
gov.cn-like HTML page, as .docx and as PDF, then times `parse_file` on each (reading, decoding or
extracting, and parsing) and prints a markdown table: median and p99 milliseconds, throughput
in KB of source text per second (the plan's UTF-8 size, the same for every format, so the
figures compare) and the median's ratio to plain UTF-8 text measured in the same run. Big5
holds traditional characters, so its baseline is the traditional text as UTF-8, also timed.

The writers below are also what tests/ingest/reading/test_formats.py uses to make its inputs; the
PDF writer needs reportlab (the `test` extra).
"""

from __future__ import annotations

import argparse
import html
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from schema.paths import DEFAULT_PLANS_DIR

PLAN = DEFAULT_PLANS_DIR / "shanghai_2023-2025_manufacturing.txt"
PDF_FONT = "STSong-Light"  # Adobe's CID font for simplified Chinese, built into PDF readers


# ---------------------------------------------------------------------------------------
# Writers: one document, many formats


def paragraphs(text: str) -> list[str]:
    """The non-blank lines of a plan text, stripped: what each format carries as paragraphs."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def traditional(text: str) -> str:
    """Simplified to traditional as Taiwan writes it: Big5 holds every character of the result.

    (OpenCC's plain ``s2t`` gives some variants Big5 lacks, such as 爲 and 羣.)
    """
    import opencc

    return opencc.OpenCC("s2tw").convert(text)


def html_page(text: str, *, charset: str = "utf-8") -> str:
    """A saved gov.cn-like page: navigation, scripts and a footer around the plan's <p>s.

    Paragraphs carry the full-width indent gov.cn uses and, when long, a line break and tabs
    from the page's source layout in their middle (between two Chinese characters).
    """
    body = "\n".join(
        f'<p style="text-indent: 2em;"><span style="font-family: 宋体;">　　{_laid_out(line)}'
        "</span></p>"
        for line in paragraphs(text)
    )
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{html.escape(paragraphs(text)[0])}_上海市人民政府</title>
<style>p {{ line-height: 2; }} .nav li {{ display: inline; }}</style>
<script>var title = "一、主要目标"; if (a < b && c) {{ document.title = title; }}</script>
</head>
<body>
<div class="header"><a href="/">上海市人民政府</a> 无障碍 | 繁體 | English</div>
<div id="nav" class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li>
<li><a href="/hd">政民互动</a></li><li><a href="/fw">办事服务</a></li></ul></div>
<div class="BreadcrumbNav">当前位置：<a href="/">首页</a> &gt; 政务公开 &gt; 规范性文件</div>
<form action="/search"><input name="q" value="搜索"><button>检索</button></form>
<div class="article"><div class="article-content" id="ivs_content">
{body}
</div>
<div class="share">分享到：微信 微博 QQ空间</div>
</div>
<div class="footer"><p>主办：上海市人民政府办公厅 | 网站标识码：3100000083</p>
<p>沪ICP备05020338号-1 | 版权所有</p></div>
<script>document.write("二、重点任务（责任单位：市经济信息化委）");</script>
</body>
</html>
"""


def html_fragment(text: str) -> str:
    """A crawled article body: bare <p> elements, no <html>, <head> or <body>."""
    return "".join(f"<p>{html.escape(line)}</p>" for line in paragraphs(text))


def _laid_out(line: str) -> str:
    escaped = html.escape(line)
    if len(line) < 40:
        return escaped
    middle = len(line) // 2
    for cut in range(middle, len(line) - 1):
        if _is_hanzi(line[cut - 1]) and _is_hanzi(line[cut]):
            return html.escape(line[:cut]) + "\n\t\t" + html.escape(line[cut:])
    return escaped


def _is_hanzi(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def write_docx(text: str, path: Path, *, table_lines: int = 4) -> None:
    """Paragraphs as Word paragraphs; the first `table_lines` lines as a two-column table."""
    import docx

    lines = paragraphs(text)
    document = docx.Document()
    head, rest = lines[:table_lines], lines[table_lines:]
    table = document.add_table(rows=(len(head) + 1) // 2, cols=2)
    for i, line in enumerate(head):
        table.cell(i // 2, i % 2).text = line
    for line in rest:
        document.add_paragraph(line)
    document.save(str(path))


def write_pdf(text: str, path: Path, *, font_size: float = 10.5) -> None:
    """An A4 PDF with one text line per source line, long lines wrapped at the margin."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))
    width, height = A4
    margin, leading = 56.0, font_size * 1.6
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=True)
    y = height - margin
    for line in paragraphs(text):
        for piece in _wrap(line, width - 2 * margin, font_size, pdfmetrics.stringWidth):
            if y < margin:
                pdf.showPage()
                y = height - margin
            pdf.setFont(PDF_FONT, font_size)
            pdf.drawString(margin, y, piece)
            y -= leading
    pdf.save()


def write_scanned_pdf(path: Path) -> None:
    """A PDF page with only a drawn rectangle: what a scan looks like to a text extractor."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=True)
    pdf.rect(72, 72, 300, 400, fill=1)
    pdf.showPage()
    pdf.save()


def _wrap(line: str, width: float, size: float, measure: Callable[..., float]) -> list[str]:
    pieces, start, used = [], 0, 0.0
    for i, ch in enumerate(line):
        advance = measure(ch, PDF_FONT, size)
        if used + advance > width and i > start:
            pieces.append(line[start:i])
            start, used = i, 0.0
        used += advance
    pieces.append(line[start:])
    return pieces


def write_all(text: str, folder: Path) -> dict[str, Path]:
    """Every format of one plan text in `folder`, by label (see FORMATS)."""
    trad = traditional(text)
    files: dict[str, tuple[str, bytes | Callable[[Path], None]]] = {
        "txt utf-8": ("plan.txt", text.encode("utf-8")),
        "txt utf-16-le": ("plan-utf16le.txt", b"\xff\xfe" + text.encode("utf-16-le")),
        "txt utf-16-be": ("plan-utf16be.txt", b"\xfe\xff" + text.encode("utf-16-be")),
        "txt gb18030": ("plan-gb.txt", text.encode("gb18030")),
        "txt utf-8, traditional": ("plan-trad.txt", trad.encode("utf-8")),
        "txt big5": ("plan-big5.txt", trad.encode("big5")),
        "html page": ("plan.html", html_page(text).encode("utf-8")),
        "html page gb2312": ("plan-gb.htm", html_page(text, charset="gb2312").encode("gb18030")),
        "html fragment": ("plan-fragment.txt", html_fragment(text).encode("utf-8")),
        "docx": ("plan.docx", lambda path: write_docx(text, path)),
        "pdf": ("plan.pdf", lambda path: write_pdf(text, path)),
    }
    out = {}
    for label, (name, content) in files.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            content(path)
        out[label] = path
    return out


# ---------------------------------------------------------------------------------------
# Timing

# Rows of the table: (label, the label its ratio is taken against).
FORMATS = [
    ("txt utf-8", "txt utf-8"),
    ("txt utf-16-le", "txt utf-8"),
    ("txt gb18030", "txt utf-8"),
    ("txt utf-8, traditional", "txt utf-8"),
    ("txt big5", "txt utf-8, traditional"),
    ("html page", "txt utf-8"),
    ("html fragment", "txt utf-8"),
    ("docx", "txt utf-8"),
    ("pdf", "txt utf-8"),
]


def time_format(path: Path, rounds: int, warmup: int) -> dict[str, float]:
    from ingest.parsing import parse_file
    from ingest.reading import read_text

    for _ in range(warmup):
        parse_file(path)
    total, reading = [], []
    for _ in range(rounds):
        t0 = time.perf_counter()
        parse_file(path)
        total.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        read_text(path)
        reading.append(time.perf_counter() - t0)
    return {
        "median_ms": 1000 * statistics.median(total),
        "p99_ms": 1000 * _p99(total),
        "read_median_ms": 1000 * statistics.median(reading),
    }


def _p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[98]


def measure(plan: Path, rounds: int, warmup: int) -> dict[str, dict[str, float]]:
    text = plan.read_text(encoding="utf-8")
    kb = len(text.encode("utf-8")) / 1024
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        files = write_all(text, Path(tmp))
        for label, _ in FORMATS:
            result = time_format(files[label], rounds, warmup)
            result["kb_per_s"] = kb / (result["median_ms"] / 1000)
            result["file_kb"] = files[label].stat().st_size / 1024
            results[label] = result
    for label, baseline in FORMATS:
        results[label]["ratio"] = results[label]["median_ms"] / results[baseline]["median_ms"]
    return results


def table(results: dict[str, dict[str, float]]) -> str:
    rows = [
        "| format | file KB | read+parse median ms | p99 ms | read only median ms "
        "| KB of text / s | time vs baseline |",
        "|---|---|---|---|---|---|---|",
    ]
    baselines = dict(FORMATS)
    for label, r in results.items():
        baseline = "" if baselines[label] == "txt utf-8" else f" (vs {baselines[label]})"
        rows.append(
            f"| {label} | {r['file_kb']:.1f} | {r['median_ms']:.2f} | {r['p99_ms']:.2f} "
            f"| {r['read_median_ms']:.2f} | {r['kb_per_s']:.0f} | {r['ratio']:.2f}×{baseline} |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> dict[str, dict[str, float]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--plan", type=Path, default=PLAN)
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    args = parser.parse_args(argv)
    results = measure(args.plan, args.rounds, args.warmup)
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        kb = len(args.plan.read_text(encoding="utf-8").encode("utf-8")) / 1024
        print(f"{args.plan.name}: {kb:.1f} KB of UTF-8 text, {args.rounds} rounds per format\n")
        print(table(results))
    return results


if __name__ == "__main__":
    main()
