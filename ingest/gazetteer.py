"""Places and industries a text mentions, found by dictionary, returned canonical.

Matching runs on the folded text (width, script, spaces and quote marks ignored, so
'G60 科创走廊' is G60科创走廊) and takes the longest name at each position, so 松江新城 wins over
松江 and 新能源汽车 over 汽车. Responsibility lines and book titles are left out: a task owned by
九亭镇 is not thereby placed there (that is ownership), and a cited 《上海市…》 names a document,
not a place.
"""

from __future__ import annotations

import re

from schema.lexicon import Lexicon, fold, load_lexicon

_BOOK_TITLE = re.compile(r"《[^《》]*》")
_OWNER_LINE = re.compile(r"\((?:责任|牵头|配合|主要)[^()]*\)")


def _scannable(text: str) -> str:
    folded = fold(text)
    return _OWNER_LINE.sub("|", _BOOK_TITLE.sub("|", folded))


def _scan(text: str, names: dict[str, str]) -> list[str]:
    """Canonical names in order of first mention, leftmost-longest."""
    if not names:
        return []
    lengths = sorted({len(key) for key in names}, reverse=True)
    found: list[str] = []
    i, n = 0, len(text)
    while i < n:
        for length in lengths:
            canonical = names.get(text[i : i + length]) if i + length <= n else None
            if canonical is not None:
                if canonical not in found:
                    found.append(canonical)
                i += length
                break
        else:
            i += 1
    return found


def find_places(
    text: str, *, plan_region: str | None = None, lexicon: Lexicon | None = None
) -> list[str]:
    """Regions mentioned in `text`; short local names (经开区, 新城) count only inside
    `plan_region`."""
    lexicon = lexicon or load_lexicon()
    return _scan(_scannable(text), lexicon.region_names(plan_region))


def find_industries(text: str, *, lexicon: Lexicon | None = None) -> list[str]:
    """Industries and groupings mentioned in `text`, canonical (新材料 → 先进材料)."""
    lexicon = lexicon or load_lexicon()
    return _scan(_scannable(text), lexicon.industry_names())
