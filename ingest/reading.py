"""Turning a plan file's bytes into text, and saying which encoding it was in.

Plans arrive as UTF-8 (with or without a BOM) or as GB18030/GBK. Decoding is strict: a
byte sequence that is valid in neither is reported with the line it sits on, because a
half-decoded plan would silently lose words.
"""

from __future__ import annotations

from pathlib import Path

from ingest.errors import PlanError

# Control characters (other than layout) are rare in text and common in binary formats.
_LAYOUT_CONTROLS = {"\t", "\n", "\r", "\f", "\v"}
_MAX_CONTROL_SHARE = 0.01


def read_text(path: str | Path) -> tuple[str, str]:
    """Return (text, encoding) for the file at `path`; raise PlanError if it is not text."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PlanError(f"cannot read file: {exc.strerror or exc}", path=str(path)) from exc
    return decode_bytes(data, source=str(path))


def decode_bytes(data: bytes, *, source: str | None = None) -> tuple[str, str]:
    """Decode plan bytes: UTF-8 (BOM optional) first, then GB18030, both strictly."""
    if not data.strip():
        raise PlanError("empty file: no text to parse", path=source)
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise PlanError("binary file: contains NUL bytes, not a text plan", path=source, line=line)

    try:
        text = data.decode("utf-8-sig")
        encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("gb18030")
            encoding = "gb18030"
        except UnicodeDecodeError:
            line = data.count(b"\n", 0, utf8_error.start) + 1
            raise PlanError(
                "cannot decode file: bytes are valid neither as UTF-8 nor as GB18030/GBK "
                f"(first bad byte at offset {utf8_error.start})",
                path=source,
                line=line,
            ) from None

    _reject_binary_text(text, source)
    return text, encoding


def _reject_binary_text(text: str, source: str | None) -> None:
    controls = [i for i, ch in enumerate(text) if ch < " " and ch not in _LAYOUT_CONTROLS]
    if len(controls) > max(3, _MAX_CONTROL_SHARE * len(text)):
        line = text.count("\n", 0, controls[0]) + 1
        raise PlanError(
            "binary file: too many control characters for a text plan", path=source, line=line
        )
