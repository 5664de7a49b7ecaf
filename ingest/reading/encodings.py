"""Which character encoding a plain-text plan is in, and its decoded text.

Order of evidence, strongest first:

1. a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE);
2. NUL bytes in a regular pattern: UTF-16 or UTF-32 without a BOM (ASCII newlines and digits
   are ``xx 00`` or ``00 xx`` in UTF-16, ``xx 00 00 00`` or ``00 00 00 xx`` in UTF-32). Bytes
   that read as UTF-16/32 but for a few spots (an odd byte count, an unpaired surrogate) are
   "UTF-16 text that does not decode", with the spot; otherwise NULs mean a binary file;
3. strict UTF-8: valid UTF-8 with CJK in it is practically never an accident;
4. a charset the file declares (an HTML ``<meta charset>``), if its decode is plausible;
5. strict GB18030 and strict Big5, each scored by how much of the decoded text is made of
   common characters (GB2312's 6,763 hanzi, Big5's 5,401 frequent characters, CJK
   punctuation, ASCII). Big5 bytes often decode "validly" as GB18030 into kana, Greek,
   private-use and rare hanzi, and GB bytes as Big5 into rare traditional characters: the
   score tells them apart, and ties go to GB18030;
6. charset-normalizer's verdict, accepted only if its decode is plausible too.

A decode is never lossy: every step decodes strictly, and text that no step reads plausibly is
refused with the line where UTF-8 decoding failed.
"""

from __future__ import annotations

import codecs
import functools
import unicodedata

from ingest.errors import PlanError

# Share of non-space characters that must be "usual" for a non-UTF-8 decode to be believed.
PLAUSIBLE = 0.9
# Big5 (and whatever the detector proposes) must also show this many hanzi: a few bytes that
# happen to be frequent Big5 characters are no evidence against the GB18030 default.
MIN_HANZI = 8
# Deciding on the first 50,000 characters is as good as reading a whole 80 KB plan.
_SAMPLE = 50_000
# Control characters (other than layout) are rare in text and common in binary formats.
_LAYOUT_CONTROLS = {"\t", "\n", "\r", "\f", "\v"}
_MAX_CONTROL_SHARE = 0.01

_BOMS = [  # longest first: the UTF-32 LE mark begins with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]
# UTF-16 and UTF-32 (BOM or not) by their code unit size.
_WIDE = {"utf-16-le": 2, "utf-16-be": 2, "utf-32-le": 4, "utf-32-be": 4}
# Declared or detected names mapped to the superset codec that reads them all.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030"}
# Symbol blocks a Chinese plan uses: (first, last) code points.
_USUAL_BLOCKS = [
    (0x00A0, 0x00BF),  # no-break space and Latin-1 symbols: · ° ± §
    (0x00D7, 0x00D7),  # ×
    (0x00F7, 0x00F7),  # ÷
    (0x2010, 0x206F),  # general punctuation: — … ‘ ’ “ ” ‰ ※
    (0x2100, 0x21FF),  # letterlike (℃ №), number forms (Ⅰ Ⅱ), arrows
    (0x2200, 0x22FF),  # mathematical operators: ≥ ≤ ≈
    (0x2460, 0x24FF),  # enclosed alphanumerics: ① ⑴ ⒈
    (0x2500, 0x25FF),  # box drawing (flattened tables), geometric shapes ■ ●
    (0x2600, 0x26FF),  # ★ ☆
    (0x3000, 0x303F),  # CJK symbols and punctuation: 、。〔〕《》「」
    (0x3200, 0x33FF),  # enclosed CJK (㈠) and CJK compatibility (㎡ ㎞)
    (0xFE30, 0xFE4F),  # CJK compatibility forms (vertical punctuation)
    (0xFF01, 0xFF5E),  # full-width ASCII: ，：（）１２
    (0xFFE0, 0xFFE6),  # full-width ￥ ￡
]


def decode_text(
    data: bytes, *, source: str | None = None, declared: str | None = None
) -> tuple[str, str]:
    """Decode the bytes of a text file; `declared` is a charset the file names itself."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            text = _decode_marked(data, bom, name, source)
            if name != "utf-8-sig" and text.strip() and not plausible(text, min_hanzi=0):
                raise PlanError(
                    f"{_family(name)} text that does not read as a plan: it starts with a "
                    f"{name} byte-order mark but decodes to unlikely characters "
                    f"({_sample(text)!r}…)",
                    path=source,
                )
            return _checked(text, name, source)
    if b"\x00" in data:
        found = _wide_without_bom(data)
        if found is None:
            _refuse_damaged_wide(data, source)
            nul = data.find(b"\x00")
            line = data.count(b"\n", 0, nul) + 1
            raise PlanError(
                "binary file: contains NUL bytes, not a text plan", path=source, line=line
            )
        return _checked(*found, source)
    try:
        return _checked(data.decode("utf-8"), "utf-8", source)
    except UnicodeDecodeError as error:
        utf8_error = error

    tried: set[str] = {"utf-8"}
    declared_codec = _codec_name(declared) if declared else None
    if declared_codec and declared_codec not in tried:
        tried.add(declared_codec)
        declared_text = _strict(data, declared_codec)
        if declared_text is not None and plausible(declared_text, min_hanzi=0):
            return _checked(declared_text, declared_codec, source)

    gb_text = _strict(data, "gb18030")
    tried.add("gb18030")
    # (share of usual characters, prefer GB on a tie, text, codec)
    candidates: list[tuple[float, int, str, str]] = []
    if gb_text is not None and plausible(gb_text, min_hanzi=0):
        candidates.append((usual_share(gb_text), 1, gb_text, "gb18030"))
    for codec in ("big5", "cp950", "big5hkscs"):  # plain Big5, then its vendor extensions
        tried.add(codec)
        big5_text = _strict(data, codec)
        if big5_text is not None:
            if plausible(big5_text):
                candidates.append((usual_share(big5_text), 0, big5_text, codec))
            break
    if candidates:
        _, _, text, codec = max(candidates, key=lambda c: (c[0], c[1]))
        return _checked(text, codec, source)

    detected = _detect(data, tried)
    if detected is not None:
        return _checked(*detected, source)

    _refuse_damaged_wide(data, source)  # UTF-16 of hanzi only has no NUL bytes
    line = data.count(b"\n", 0, utf8_error.start) + 1
    if gb_text is None:
        message = (
            "cannot decode file: bytes are valid neither as UTF-8 nor as GB18030/GBK "
            f"(first bad byte at offset {utf8_error.start}), nor as Big5, and no other "
            "Chinese encoding fits"
        )
    else:
        sample = "".join(ch for ch in gb_text[:200] if not ch.isspace())[:12]
        message = (
            f"cannot decode file: not UTF-8 (first bad byte at offset {utf8_error.start}), "
            f"and as GB18030 or Big5 it reads as unlikely characters ({sample!r}…): "
            "not Chinese text?"
        )
    raise PlanError(message + _damaged_utf8_hint(data), path=source, line=line)


def _damaged_utf8_hint(data: bytes) -> str:
    """A note when the bytes are UTF-8 but for a few bad sequences (a truncated copy, say)."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    wide = sum(1 for ch in text[:_SAMPLE] if ord(ch) > 0x7F)
    if bad and wide >= 20 * bad:
        return f"; the rest is UTF-8: a damaged UTF-8 file? ({bad} bad byte sequence(s))"
    return ""


def plausible(text: str, *, min_hanzi: int = MIN_HANZI) -> bool:
    """Whether `text` reads like a Chinese document rather than a wrong decode."""
    if usual_share(text) < PLAUSIBLE:
        return False
    common = _common_hanzi()
    return min_hanzi == 0 or sum(map(common.__contains__, text[:_SAMPLE])) >= min_hanzi


def usual_share(text: str) -> float:
    """Share of the non-space characters of `text` (its first 50,000) a Chinese plan uses."""
    chars = "".join(text[:_SAMPLE].split())
    if not chars:
        return 0.0
    return sum(map(_usual_chars().__contains__, chars)) / len(chars)


@functools.cache
def _usual_chars() -> frozenset[str]:
    ascii_printable = (chr(code) for code in range(0x20, 0x7F))
    symbols = (chr(code) for first, last in _USUAL_BLOCKS for code in range(first, last + 1))
    return _common_hanzi() | frozenset(ascii_printable) | frozenset(symbols)


@functools.cache
def _common_hanzi() -> frozenset[str]:
    """GB2312's hanzi (levels 1 and 2) and Big5's frequent characters (0xA440–0xC67E)."""
    chars: set[str] = set()
    for lead in range(0xB0, 0xF8):
        for trail in range(0xA1, 0xFF):
            chars.update(_one(bytes((lead, trail)), "gb2312"))
    for lead in range(0xA4, 0xC7):
        for trail in (*range(0x40, 0x7F), *range(0xA1, 0xFF)):
            if (lead, trail) <= (0xC6, 0x7E):
                chars.update(_one(bytes((lead, trail)), "big5"))
    return frozenset(ch for ch in chars if unicodedata.category(ch) == "Lo")


def _one(pair: bytes, codec: str) -> str:
    try:
        return pair.decode(codec)
    except UnicodeDecodeError:
        return ""


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _codec_name(label: str) -> str | None:
    """Python's codec for a charset label (gb2312 → gb18030); None if unknown."""
    try:
        name = codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None
    return _SUPERSETS.get(name, name)


def _decode_marked(data: bytes, bom: bytes, name: str, source: str | None) -> str:
    body = data if name == "utf-8-sig" else data[len(bom) :]
    try:
        return body.decode(name)
    except UnicodeDecodeError as error:
        start = error.start + (len(bom) if name != "utf-8-sig" else 0)
        before = data[:start].decode(name, errors="replace")
        if name in _WIDE:
            raise PlanError(
                f"{_family(name)} text that does not decode: it starts with a {name} "
                f"byte-order mark but {_wide_damage(body, name, error, len(bom))}",
                path=source,
                line=before.count("\n") + 1,
            ) from None
        raise PlanError(
            f"cannot decode file: it starts with a {name.removesuffix('-sig')} byte-order mark "
            f"but is not valid {name.removesuffix('-sig')} (bad bytes at offset {start})",
            path=source,
            line=before.count("\n") + 1,
        ) from None


def _wide_without_bom(data: bytes) -> tuple[str, str] | None:
    """(text, codec) if NUL bytes sit where UTF-16 or UTF-32 puts them and the text reads."""
    best: tuple[float, str, str] | None = None
    for codec, unit in _WIDE.items():
        if len(data) % unit:
            continue
        text = _strict(data, codec)
        if text is None:
            continue
        score = usual_share(text)
        if plausible(text, min_hanzi=0) and (best is None or score > best[0]):
            best = (score, text, codec)
    return (best[1], best[2]) if best else None


def _refuse_damaged_wide(data: bytes, source: str | None) -> None:
    """Raise "UTF-16 text that does not decode" if the bytes read as UTF-16 (or UTF-32) text
    but for a few spots: a dropped last byte, an unpaired surrogate."""
    best: tuple[float, str, UnicodeDecodeError | None, str] | None = None
    for codec, unit in _WIDE.items():
        whole = len(data) - len(data) % unit
        if whole == 0:
            continue
        lenient = data[:whole].decode(codec, errors="replace")
        bad = lenient.count("\ufffd") + (1 if whole < len(data) else 0)
        kept = lenient.replace("\ufffd", "")
        if not bad or not kept.strip() or bad > max(3, len(lenient) // 50):
            continue
        if not plausible(kept, min_hanzi=0):
            continue
        try:
            data.decode(codec)
            error: UnicodeDecodeError | None = None
        except UnicodeDecodeError as exc:
            error = exc
        score = usual_share(kept)
        if best is None or score > best[0]:
            best = (score, codec, error, lenient)
    if best is None:
        return
    _, codec, error, lenient = best
    start = error.start if error else len(data)
    line = data[:start].decode(codec, errors="replace").count("\n") + 1
    raise PlanError(
        f"{_family(codec)} text that does not decode: it reads as {codec} without a "
        f"byte-order mark but {_wide_damage(data, codec, error, 0)}",
        path=source,
        line=line,
    )


def _wide_damage(body: bytes, codec: str, error: UnicodeDecodeError | None, skip: int) -> str:
    """What is wrong with UTF-16/32 bytes, and at which offset of the file (`skip` bytes of a
    byte-order mark before `body`)."""
    unit = _WIDE[codec]
    size = len(body) + skip
    odd = len(body) % unit
    if error is None or (odd and error.start >= len(body) - odd):
        if unit == 2:
            return f"has an odd number of bytes ({size}): its last byte is half a character"
        return f"its length ({size} bytes) is not a multiple of 4: the last character is cut"
    at = error.start + skip
    bytes_ = body[error.start : error.end].hex(" ")
    if unit == 2:
        return f"has an unpaired surrogate (bytes {bytes_}) at offset {at}"
    return f"has an invalid code point (bytes {bytes_}) at offset {at}"


def _family(codec: str) -> str:
    return (
        "UTF-32"
        if codec.startswith("utf-32")
        else "UTF-16"
        if codec.startswith("utf-16")
        else codec
    )


def _sample(text: str) -> str:
    return "".join(ch for ch in text[:200] if not ch.isspace())[:12]


def _detect(data: bytes, tried: set[str]) -> tuple[str, str] | None:
    """charset-normalizer's best guess among encodings not tried yet, if it reads plausibly."""
    from charset_normalizer import from_bytes

    match = from_bytes(data).best()
    if match is None:
        return None
    codec = _codec_name(match.encoding)
    if codec is None or codec in tried:
        return None
    text = _strict(data, codec)
    if text is None or not plausible(text):
        return None
    return text, codec


def _checked(text: str, encoding: str, source: str | None) -> tuple[str, str]:
    controls = [i for i, ch in enumerate(text) if ch < " " and ch not in _LAYOUT_CONTROLS]
    if len(controls) > max(3, _MAX_CONTROL_SHARE * len(text)):
        line = text.count("\n", 0, controls[0]) + 1
        raise PlanError(
            "binary file: too many control characters for a text plan", path=source, line=line
        )
    return text, encoding
