"""Industries a text mentions in their industry sense, found by dictionary, returned canonical.

Matching runs on the folded text (width, script, spaces and quote marks ignored) and takes the
longest name at each position, so 新能源汽车 wins over 汽车. Responsibility lines and book titles
are left out. Context rules (schema/lexicons/industry_context.csv) drop mentions that are not
the industry: a descriptive name used as an adjective (绿色低碳转型), a name inside a fund's or
body's name (先导产业母基金), a product being used (机器人应用). Places are ingest/places.py's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from schema.lexicon import Lexicon, fold, load_lexicon

_BOOK_TITLE = re.compile(r"《[^《》]*》")
_OWNER_LINE = re.compile(r"\((?:责任|牵头|配合|主要)[^()]*\)")


def _scannable(text: str) -> str:
    folded = fold(text)
    return _OWNER_LINE.sub("|", _BOOK_TITLE.sub("|", folded))


class _Unknown(Enum):
    PLAN = "the caller does not say which plan the text is from"


def find_industries(
    text: str,
    *,
    plan_region: str | _Unknown | None = _Unknown.PLAN,
    lexicon: Lexicon | None = None,
) -> list[str]:
    """Industries and groupings `text` is about, canonical (新材料 → 先进材料), in order of
    first mention.

    A name counts only in its industry sense, read from the words around it
    (schema/lexicons/industry_context.csv, rules in schema/lexicons/README.md): not inside a
    fund's or body's name (未来产业基金, 分析技术产业研究院), not as a process (农业机械化), not
    a product being used (机器人应用, 应用工业机器人), and a descriptive name (绿色低碳, 生命健康)
    only with evidence (绿色低碳产业, 绿色低碳领域, or listed with other industries), never
    before a process word (绿色低碳转型).

    `plan_region` is the region of the text's plan: names scoped to a region (a district's own
    cluster names, Shanghai's 四大新赛道 and 未来产业) count only in plans inside it, and with
    `plan_region=None` (a national plan) not at all. A call that does not pass `plan_region`
    (the old call shape) lets every name count, as before.
    """
    lexicon = lexicon or load_lexicon()
    scannable = _scannable(text)
    if isinstance(plan_region, _Unknown):
        names = lexicon.industry_names(every_region=True)
    else:
        names = lexicon.industry_names(plan_region)
    mentions = _industry_mentions(scannable, names)
    readings = [_industry_reading(scannable, m, lexicon) for m in mentions]
    _settle_by_list(scannable, mentions, readings)
    found: list[str] = []
    for mention, reading in zip(mentions, readings, strict=True):
        if reading == _INDUSTRY and mention.name not in found:
            found.append(mention.name)
    return found


# -- industries: reading each mention in its context ----------------------------------------

_INDUSTRY, _NOT, _PENDING = "industry", "not", "pending"
# What may stand between two items of one list (quote marks are folded away, so “数字经济”
# “绿色低碳” leaves the names touching).
_LIST_GLUE = frozenset({"", "、", "和", "与", "及", "以及", "或", "/"})
# Link words allowed between a name and a fund or body word (集成电路+产业+投资+基金).
_MAX_LINKS = 3


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    name: str  # canonical


def _industry_mentions(text: str, names: dict[str, str]) -> list[_Mention]:
    """Every mention, leftmost-longest (the longest name at each position), with where it
    stands."""
    if not names:
        return []
    lengths = sorted({len(key) for key in names}, reverse=True)
    found: list[_Mention] = []
    i, n = 0, len(text)
    while i < n:
        for length in lengths:
            canonical = names.get(text[i : i + length]) if i + length <= n else None
            if canonical is not None:
                found.append(_Mention(i, i + length, canonical))
                i += length
                break
        else:
            i += 1
    return found


def _word_at(text: str, pos: int, words: dict[str, str]) -> str | None:
    """The longest of `words` starting at `pos`."""
    best = None
    for word in words:
        if text.startswith(word, pos) and (best is None or len(word) > len(best)):
            best = word
    return best


def _word_before(text: str, pos: int, words: dict[str, str]) -> str | None:
    """The longest of `words` ending at `pos`."""
    best = None
    for word in words:
        if (
            pos >= len(word)
            and text.endswith(word, 0, pos)
            and (best is None or len(word) > len(best))
        ):
            best = word
    return best


def _industry_reading(text: str, mention: _Mention, lexicon: Lexicon) -> str:
    """_INDUSTRY, _NOT, or _PENDING (a descriptive name awaiting evidence from its list)."""
    sense = lexicon.industries[mention.name].sense
    words = lexicon.industry_context_words
    # Inside a fund's or body's name: 未来产业基金, 集成电路产业投资基金, 分析技术产业研究院.
    instruments, links = words("after", "instrument", sense), words("after", "link", sense)
    pos = mention.end
    for _ in range(_MAX_LINKS + 1):
        if _word_at(text, pos, instruments):
            return _NOT
        link = _word_at(text, pos, links)
        if link is None:
            break
        pos += len(link)
    # The word right after: a process, evidence, use, or a longer word that is none of them.
    after: dict[str, str] = {}
    for kind in ("process", "evidence", "use", "neutral"):
        for key in words("after", kind, sense):
            after.setdefault(key, kind)
    next_word = _word_at(text, mention.end, after)
    rule = after[next_word] if next_word else None
    if rule == "process":
        return _NOT
    if rule == "use":
        # 机器人应用 is using robots; 机器人应用场景 / 应用示范 is the industry's market.
        beyond = mention.end + len(next_word or "")
        return _INDUSTRY if _word_at(text, beyond, words("after", "market", sense)) else _NOT
    if rule == "evidence":
        return _INDUSTRY
    if _word_before(text, mention.start, words("before", "use", sense)):
        return _NOT
    return _PENDING if sense == "descriptive" else _INDUSTRY


def _settle_by_list(text: str, mentions: list[_Mention], readings: list[str]) -> None:
    """A descriptive name listed next to an industry is one (电子信息、生命健康、汽车); one
    listed only with ordinary words is not (简约适度、绿色低碳、文明健康的生活方式)."""
    changed = True
    while changed:
        changed = False
        for i, reading in enumerate(readings):
            if reading != _PENDING:
                continue
            for j in (i - 1, i + 1):
                if not 0 <= j < len(mentions) or readings[j] != _INDUSTRY:
                    continue
                left, right = sorted((mentions[i], mentions[j]), key=lambda m: m.start)
                if text[left.end : right.start] in _LIST_GLUE:
                    readings[i] = _INDUSTRY
                    changed = True
                    break
    for i, reading in enumerate(readings):
        if reading == _PENDING:
            readings[i] = _NOT
