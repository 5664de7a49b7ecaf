"""Tokenising plan text for alignment: jieba with the lexicons as a user dictionary.

Every agency, region and industry name (and a few genre words) is added to jieba once, so
市经济信息化委, 专精特新, 小巨人 and 集成电路 stay whole tokens. The text is folded for matching
first (width, script, layout spaces), so PDF line breaks inside a word do not split it.
jieba runs on the shared compact dictionary (schema/segmenter.py), not on a private copy of its
own, so a build opens the dictionary in milliseconds.
"""

from __future__ import annotations

import re
import threading

from schema.lexicon import fold, load_lexicon
from schema.segmenter import Segmenter

# Words of the genre that jieba's general dictionary splits and the lexicons do not hold.
GENRE_WORDS = (
    "专精特新",
    "小巨人",
    "小升规",
    "规上工业企业",
    "链主",
    "工赋链主",
    "智改数转",
    "卡脖子",
    "单项冠军",
    "首台套",
    "上云上平台",
    "技术改造",
    "数字化转型",
    "绿色制造",
    "智能工厂",
    "特色产业园区",
    "企业技术中心",
    "创新中心",
)

# Function words and the genre's boilerplate verbs: they say nothing about what a task is.
STOPWORDS = frozenset(
    [
        "的",
        "和",
        "与",
        "及",
        "以及",
        "等",
        "在",
        "为",
        "对",
        "以",
        "将",
        "把",
        "被",
        "从",
        "向",
        "于",
        "其",
        "之",
        "或",
        "并",
        "而",
        "且",
        "也",
        "都",
        "是",
        "有",
        "个",
        "中",
        "上",
        "下",
        "进一步",
        "积极",
        "加快",
        "加强",
        "加大",
        "推动",
        "推进",
        "推广",
        "促进",
        "支持",
        "鼓励",
        "引导",
        "开展",
        "实施",
        "深化",
        "深入",
        "全面",
        "持续",
        "不断",
        "着力",
        "强化",
        "提升",
        "提高",
        "完善",
        "健全",
        "建立",
        "建设",
        "打造",
        "培育",
        "发挥",
        "落实",
        "围绕",
        "依托",
        "聚焦",
        "形成",
        "实现",
        "做好",
        "做强",
        "做大",
        "一批",
        "若干",
        "相关",
        "有关",
        "重点",
        "各类",
        "更多",
        "工作",
        "作用",
        "方面",
        "领域",
        "体系",
    ]
)

_PUNCT_OR_SPACE = re.compile(r"^[\W_]+$")
_lock = threading.Lock()
_tokenizer: Segmenter | None = None


def _user_words() -> list[tuple[str, int]]:
    """The lexicons' names and the genre words, folded, each with a count high enough that
    jieba keeps it whole."""
    words = []
    for word in (*load_lexicon().dictionary_words(), *GENRE_WORDS):
        key = fold(word)
        if key and not _PUNCT_OR_SPACE.match(key) and "(" not in key:
            words.append((key, 100000))
    return words


def _get_tokenizer() -> Segmenter:
    global _tokenizer
    with _lock:
        if _tokenizer is None:
            _tokenizer = Segmenter(_user_words())
    return _tokenizer


def tokenize(text: str, *, keep_stopwords: bool = False) -> list[str]:
    """Tokens of `text` (folded), without punctuation and, by default, without stopwords."""
    tokens = []
    for token in _get_tokenizer().lcut(fold(text)):
        token = token.strip()
        if not token or _PUNCT_OR_SPACE.match(token):
            continue
        if not keep_stopwords and token in STOPWORDS:
            continue
        tokens.append(token)
    return tokens
