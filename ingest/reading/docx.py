"""Word .docx files to plan text: paragraphs and table cells, one per line, in document order.

python-docx reads the document; this module walks the body itself so that tables and content
controls (w:sdt) come out where they sit between paragraphs. Every table cell becomes its own
line(s), a merged cell once. Page headers and footers (letterheads, page numbers) are not part
of the body and are left out.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from ingest.errors import PlanError

_MAIN_PART = "word/document.xml"
_MAIN_TYPE = b"wordprocessingml.document.main"


def is_docx(names: list[str], content_types: bytes) -> bool:
    """A ZIP holding Word's main document part (by its usual name or its declared type)."""
    return _MAIN_PART in names or _MAIN_TYPE in content_types


def docx_to_text(data: bytes, *, source: str | None = None) -> str:
    import docx
    from docx.oxml.ns import qn

    try:
        document = docx.Document(io.BytesIO(data))
        lines = [line for line in _lines(document.element.body, document, qn) if line]
    except PlanError:
        raise
    except Exception as error:  # a damaged package: python-docx, zipfile or lxml complain
        raise PlanError(f"cannot read .docx: {error}", path=source) from None
    if not lines:
        raise PlanError(".docx holds no text in its paragraphs or tables", path=source)
    return "\n".join(lines) + "\n"


def _lines(container, parent, qn) -> Iterator[str]:
    """Lines of a body, table cell or content control, in document order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            yield from (line.strip() for line in Paragraph(child, parent).text.splitlines())
        elif child.tag == qn("w:tbl"):
            # A merged cell repeats in every row and column it spans: read it once. The set
            # holds the elements themselves (keeping lxml's proxies alive keeps them unique).
            seen: set[object] = set()
            for row in Table(child, parent).rows:
                for cell in row.cells:
                    if cell._tc in seen:
                        continue
                    seen.add(cell._tc)
                    yield from _lines(cell._tc, cell, qn)
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _lines(content, parent, qn)
