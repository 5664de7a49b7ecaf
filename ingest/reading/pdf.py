"""PDF files to plan text: the text layer, line by line as PDFium gives it.

pypdfium2 wraps PDFium, the PDF engine of Chromium. Pages are joined with a line break; line
ends are normalised to "\\n". A PDF whose pages carry no text at all is a scan and is refused:
reading it needs OCR, which this project does not do.
"""

from __future__ import annotations

from ingest.errors import PlanError

# PDFium marks soft hyphens and unknown glyphs with these; neither is text.
_NOT_TEXT = str.maketrans({"\x02": None, "\ufffe": None, "\x00": None})


def pdf_to_text(data: bytes, *, source: str | None = None) -> str:
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        raise PlanError(f"cannot open PDF: {error}", path=source) from None
    pages: list[str] = []
    try:
        for index in range(len(document)):
            page = document[index]
            try:
                textpage = page.get_textpage()
                try:
                    pages.append(textpage.get_text_range())
                finally:
                    textpage.close()
            finally:
                page.close()
    except pypdfium2.PdfiumError as error:
        raise PlanError(f"cannot read PDF page {len(pages) + 1}: {error}", path=source) from None
    finally:
        document.close()
    text = "\n".join(pages).replace("\r\n", "\n").replace("\r", "\n").translate(_NOT_TEXT)
    if not text.strip():
        raise PlanError(
            f"PDF has no text layer (a scanned image?): {len(pages)} page(s) without "
            "extractable text; run OCR on it first",
            path=source,
        )
    return text if text.endswith("\n") else text + "\n"
