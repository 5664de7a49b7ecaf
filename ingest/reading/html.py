"""HTML pages and fragments to plan text: one paragraph (or table cell) per line.

Saved gov.cn pages, article bodies cut out of them (``<tbody><tr><td><p>…``), and bare
fragments (``<p>…</p><p>…</p>``) all go through lxml's HTML parser (libxml2), which accepts the
broken markup crawls store. Paragraph-like elements (p, div, br, li, headings, table cells …)
end a line; inline elements (span, a, b, font …) do not. Scripts, styles, forms and page chrome
(nav, page header and footer, elements whose id or class says nav, footer, share, breadcrumb …)
are dropped. Inside a paragraph, whitespace that is only source layout (a newline or tab in
the markup) disappears between Chinese characters and becomes one space elsewhere; each line
is stripped, which also drops the full-width indentation (　　) gov.cn puts before paragraphs.

Crawls that went through a database dump store quotes backslash-escaped (``<p align=\\"left\\">``);
those are unescaped before parsing.
"""

from __future__ import annotations

import re

import lxml.etree
import lxml.html

from ingest.errors import PlanError


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# A charset the document names: <meta charset=…>, <meta … content="text/html; charset=…">, or
# an XML declaration. Quotes may be backslash-escaped.
_DECLARED_RE = re.compile(
    rb"""<meta\b[^>]*?\bcharset\s*=\s*[\\"']*\s*([A-Za-z0-9_.:-]+)"""
    rb"""|<\?xml\b[^>]*?\bencoding\s*=\s*[\\"']*([A-Za-z0-9_.:-]+)""",
    re.IGNORECASE,
)
_DOCUMENT_START_RE = re.compile(r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|\?xml)", re.I)
_TAG_RE = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)\b(?:[^<>\"']|\"[^\"]*\"|'[^']*')*>")
_KNOWN_TAGS = _words(
    "a abbr address article aside b big blockquote body br caption center cite code col "
    "colgroup dd div dl dt em font footer form h1 h2 h3 h4 h5 h6 head header hr html i "
    "img input label li link main meta nav noscript ol option p pre s script section "
    "select small span strike strong style sub sup table tbody td textarea tfoot th thead "
    "title tr tt u ul"
)
# Elements that end a line (HTML's block-level and table-cell boundaries).
_BREAKS = _words(
    "address article aside blockquote body br caption center dd div dl dt figcaption "
    "figure footer h1 h2 h3 h4 h5 h6 header hr html li main ol p pre section table tbody "
    "td tfoot th thead tr ul"
)
# Elements never holding plan text.
_DROPPED = _words(
    "button canvas embed form head iframe input map nav noscript object script select "
    "style svg template textarea title"
)
# Words naming page chrome anywhere in an id or class (BreadcrumbNav, top-nav, share_box) …
_CHROME_PARTS = ("nav", "footer", "breadcrumb", "crumb", "share", "copyright", "sidebar", "menu")
# … or as a whole id or class: short words that also occur inside content names (con_head).
_CHROME_NAMES = _words(
    "header head foot bottom top topbar position location search login print tools "
    "related links friendlink"
)
# Whitespace runs inside a paragraph that hold a line break or a tab: markup layout only.
_LAYOUT_RUN_RE = re.compile(r"[ \t\r\n\f\v]*[\t\r\n\f\v][ \t\r\n\f\v]*")
_SPACES_RE = re.compile(r" {2,}")
_LINE_BREAK = "\x00"  # html_to_text removes NULs from its input first


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML document declares in its first 4 KB, if any."""
    match = _DECLARED_RE.search(data[:4096])
    if match is None:
        return None
    return (match.group(1) or match.group(2)).decode("ascii")


def looks_like_html(text: str) -> bool:
    """A whole HTML document, or text whose lines are mostly markup (a saved page body).

    Plain-text plans with a stray ``<br>`` or an embedded table keep most lines free of tags
    and are not taken for HTML: read as HTML, their line structure would be lost.
    """
    if _DOCUMENT_START_RE.match(text):
        return True
    lines = [line for line in text[:200_000].splitlines() if line.strip()]
    if not lines:
        return False
    tagged = sum(1 for line in lines if _has_known_tag(line))
    if tagged < 2 and not (tagged == 1 and len(lines) == 1):
        return False
    starts_with_tag = _has_known_tag(lines[0].lstrip()[:80]) and lines[0].lstrip()[0] == "<"
    return tagged >= 0.8 * len(lines) or (starts_with_tag and tagged >= 0.3 * len(lines))


def html_to_text(text: str, *, source: str | None = None) -> str:
    """The paragraphs of an HTML document, one per line."""
    if re.search(r"<[a-zA-Z][^<>]*=\\[\"']", text):  # a database dump's escaped quotes
        text = text.replace('\\"', '"').replace("\\'", "'")
    # lxml refuses a str that carries an XML encoding declaration: it has been decoded already.
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text).replace(_LINE_BREAK, "")
    try:
        # huge_tree: by default libxml2 stops reading at 256 nested elements.
        root = lxml.html.document_fromstring(text, parser=lxml.html.HTMLParser(huge_tree=True))
    except (lxml.etree.ParserError, ValueError) as error:
        raise PlanError(f"cannot parse HTML: {error}", path=source) from None
    total = len(root.text_content())
    pieces: list[str] = []
    _walk(root, pieces, total)
    lines = (_tidy(part) for part in "".join(pieces).split(_LINE_BREAK))
    out = "\n".join(line for line in lines if line)
    if not out:
        if root.text_content().strip() or not re.sub(r"<[^>]*>", "", text).strip():
            raise PlanError(
                "HTML holds no text outside scripts, styles and navigation", path=source
            )
        raise PlanError(
            "cannot parse HTML: its elements nest deeper than the parser follows", path=source
        )
    return out + "\n"


def has_markup(text: str) -> bool:
    """Whether `text` holds any HTML tag at all (a .html file may be plain text after all)."""
    return _has_known_tag(text)


def _has_known_tag(line: str) -> bool:
    return any(m.group(1).lower() in _KNOWN_TAGS for m in _TAG_RE.finditer(line))


def _walk(root: lxml.html.HtmlElement, pieces: list[str], total: int) -> None:
    """Text and line breaks in document order (iterative: deep nesting is no problem)."""
    stack: list[tuple[lxml.html.HtmlElement, bool]] = [(root, False)]
    while stack:
        element, closing = stack.pop()
        tag = _tag(element)
        if closing:
            if tag in _BREAKS:
                pieces.append(_LINE_BREAK)
            if element.tail:
                pieces.append(element.tail)
            continue
        if not tag or tag in _DROPPED or _is_chrome(element, tag, total):
            if element.tail:
                pieces.append(element.tail)
            continue
        if tag in _BREAKS:
            pieces.append(_LINE_BREAK)
        if element.text:
            pieces.append(element.text)
        stack.append((element, True))
        stack.extend((child, False) for child in reversed(element))


def _tag(element: lxml.html.HtmlElement) -> str:
    """Lower-case tag name; "" for comments and processing instructions (no text of theirs)."""
    return element.tag.lower() if isinstance(element.tag, str) else ""


def _is_chrome(element: lxml.html.HtmlElement, tag: str, total: int) -> bool:
    """Page chrome: a page header/footer, or an element whose id/class names navigation.

    An article's own <header> (inside <article> or <main>) holds its title and is kept. An
    element holding most of the page's text is never chrome, whatever its class says.
    """
    if tag in ("header", "footer"):
        chrome = not any(a.tag in ("article", "main") for a in element.iterancestors())
    elif tag in ("html", "body"):
        return False
    else:
        style = (element.get("style") or "").replace(" ", "").lower()
        names = f"{element.get('id') or ''} {element.get('class') or ''}".lower().split()
        chrome = (
            "display:none" in style
            or element.get("hidden") is not None
            or any(name in _CHROME_NAMES for name in names)
            or any(part in name for name in names for part in _CHROME_PARTS)
        )
    return chrome and len(element.text_content()) < 0.5 * total


def _tidy(paragraph: str) -> str:
    paragraph = _LAYOUT_RUN_RE.sub(_join_layout, paragraph.replace("\u00a0", " "))
    return _SPACES_RE.sub(" ", paragraph).strip()


def _join_layout(match: re.Match[str]) -> str:
    """Nothing between two wide (CJK) characters, one space otherwise."""
    text, start, end = match.string, match.start(), match.end()
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if not before or not after or (_is_wide(before) and _is_wide(after)):
        return ""
    return " "


def _is_wide(ch: str) -> bool:
    return ord(ch) >= 0x2E80
