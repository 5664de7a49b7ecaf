"""Turning a plan file's bytes into text, and saying how it was read.

The parser works on lines of text, one paragraph per line at best. This package gets there
from every format plans arrive in, deciding by content (a file's name is only a hint):

* PDF (``%PDF-``): the text layer, via PDFium (`ingest.reading.pdf`); a scan is refused;
* Word ``.docx`` (a ZIP holding ``word/document.xml``): paragraphs and table cells
  (`ingest.reading.docx`); other ZIPs, images and office binaries are refused by name;
* HTML, a saved page or a bare fragment (`ingest.reading.html`), decoded as below first;
* plain text in UTF-8 (± BOM), UTF-16/32 (± BOM), GB18030/GBK or Big5
  (`ingest.reading.encodings`).

`read_text` and `decode_bytes` return ``(text, encoding)``: the encoding names the character
encoding used for text and HTML ("utf-8", "utf-8-sig", "utf-16-le", "gb18030", "big5", …) and
the container for the other two ("docx", "pdf"). Anything else is a PlanError saying what the
file seems to be: "binary file" only for what is no text at all; UTF-16/32 bytes with a dropped
byte or an unpaired surrogate are "UTF-16 text that does not decode" (or UTF-32), with where.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from ingest.errors import PlanError
from ingest.reading import html
from ingest.reading.encodings import decode_text

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})
# Binary formats by their first bytes, and what to say about them.
_SIGNATURES = [
    (b"\x89PNG\r\n\x1a\n", "a PNG image (a scanned page? it needs OCR first)"),
    (b"\xff\xd8\xff", "a JPEG image (a scanned page? it needs OCR first)"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image (a scanned page? it needs OCR first)"),
    (b"MM\x00*", "a TIFF image (a scanned page? it needs OCR first)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Office file (.doc/.xls/.wps): save as .docx"),
    (b"\x1f\x8b", "a gzip archive: unpack it first"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive: unpack it first"),
    (b"Rar!\x1a\x07", "a RAR archive: unpack it first"),
    (b"BZh", "a bzip2 archive: unpack it first"),
    (b"\xfd7zXZ\x00", "an xz archive: unpack it first"),
    (b"\x7fELF", "an executable program"),
    (b"SQLite format 3\x00", "an SQLite database"),
]
_ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_NOT_BLANK_RE = re.compile(rb"[^ \t\n\r\f\v]")
# A Word document's main part beyond this (uncompressed) is a ZIP bomb, not a plan.
_MAX_DOCX_XML = 256 * 1024 * 1024


def read_text(path: str | Path) -> tuple[str, str]:
    """Return (text, encoding) for the plan file at `path`; raise PlanError if unreadable."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PlanError(f"cannot read file: {exc.strerror or exc}", path=str(path)) from exc
    return _to_text(data, source=str(path), html_hint=path.suffix.lower() in HTML_SUFFIXES)


def decode_bytes(data: bytes, *, source: str | None = None) -> tuple[str, str]:
    """Return (text, encoding) for a plan file's bytes, whatever its format (see above)."""
    return _to_text(data, source=source, html_hint=False)


def _to_text(data: bytes, *, source: str | None, html_hint: bool) -> tuple[str, str]:
    if _NOT_BLANK_RE.search(data) is None:
        raise PlanError("empty file: no text to parse", path=source)
    if data[:1024].lstrip().startswith(b"%PDF-"):
        from ingest.reading.pdf import pdf_to_text

        return pdf_to_text(data, source=source), "pdf"
    if data.startswith(_ZIP_SIGNATURES):
        return _from_zip(data, source), "docx"
    for signature, what in _SIGNATURES:
        if data.startswith(signature):
            raise PlanError(f"binary file: {what}, not a text plan", path=source)
    if data.startswith(b"{\\rtf"):
        raise PlanError("unsupported format: an RTF document; save it as .docx", path=source)

    text, encoding = decode_text(data, source=source, declared=html.declared_charset(data))
    if html.looks_like_html(text) or (html_hint and html.has_markup(text)):
        text = html.html_to_text(text, source=source)
    elif not text.strip():
        raise PlanError("empty file: no text to parse", path=source)
    return text, encoding


def _from_zip(data: bytes, source: str | None) -> str:
    """A .docx's text; any other ZIP is refused with what it seems to be."""
    from ingest.reading import docx

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = {info.filename: info for info in archive.infolist()}
            content_types = b""
            if "[Content_Types].xml" in infos:
                content_types = archive.read("[Content_Types].xml")[:100_000]
            mimetype = archive.read("mimetype")[:100] if "mimetype" in infos else b""
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError):
        damaged = "binary file: a damaged ZIP archive, not a text plan"
        raise PlanError(damaged, path=source) from None
    if docx.is_docx(list(infos), content_types):
        main = infos.get("word/document.xml")
        if main is not None and main.file_size > _MAX_DOCX_XML:
            raise PlanError(
                f".docx main part unpacks to {main.file_size} bytes: refused", path=source
            )
        return docx.docx_to_text(data, source=source)
    raise PlanError(
        f"binary file: {_zip_kind(set(infos), mimetype)}, not a .docx or a text plan",
        path=source,
    )


def _zip_kind(names: set[str], mimetype: bytes) -> str:
    if "xl/workbook.xml" in names:
        return "an Excel workbook (.xlsx)"
    if "ppt/presentation.xml" in names:
        return "a PowerPoint presentation (.pptx)"
    if mimetype.startswith(b"application/vnd.oasis.opendocument.text"):
        return "an OpenDocument text (.odt): save it as .docx"
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        return "an OpenDocument file"
    if mimetype.startswith(b"application/epub"):
        return "an EPUB book"
    return f"a ZIP archive of {len(names)} file(s) without word/document.xml"
