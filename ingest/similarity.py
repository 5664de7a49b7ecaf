"""TF-IDF text similarity for alignment, with the parent side computed once.

The IDF is taken over the items of *both* plans at one level (a term common to every district
and city task says nothing about which city task a district task implements). Tokenising is the
expensive part (jieba), so a `Corpus` keeps each document's term counts and its document
frequencies; combining a fixed parent corpus with one child corpus is then cheap, which keeps
aligning many children to one parent linear in the number of children.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

Tokenizer = Callable[[str], list[str]]

# Tokens that carry no topic: numbers, units glued to numbers, punctuation.
_NOISE = re.compile(r"^[\d\W_a-zA-Z]{0,1}$|^[\d.%％\-—]+[^\u4e00-\u9fff]*$")


def get_tokenizer() -> Tokenizer:
    """The project tokenizer: jieba with the lexicons' user dictionary and the genre's stopwords.

    Imported on first use, because loading jieba's dictionary takes a second.
    """
    from ingest.tokens import tokenize

    return tokenize


def terms(text: str, tokenize: Tokenizer | None = None) -> Counter[str]:
    """Content-term counts of a text (single characters and numbers dropped)."""
    tok = tokenize or get_tokenizer()
    return Counter(w for w in tok(text or "") if len(w) > 1 and not _NOISE.match(w))


_QUOTED = re.compile(r"[“\"「『]([^”\"」』]{2,16})[”\"」』]|《([^》]{2,40})》")


def named_programmes(text: str) -> set[str]:
    """Quoted names (“百一”, “算力券”, 《…方案》): a district quoting a city programme by name
    is the closest thing to an explicit citation a task carries."""
    found = set()
    for a, b in _QUOTED.findall(text or ""):
        name = re.sub(r"\s+", "", a or b)
        if name and not name.isdigit():
            found.add(name)
    return found


@dataclass
class Corpus:
    """Term counts of a list of documents and their document frequencies."""

    counts: list[Counter[str]]
    df: Counter[str] = field(default_factory=Counter)

    @classmethod
    def build(cls, texts: Iterable[str], tokenize: Tokenizer | None = None) -> Corpus:
        counts = [terms(t, tokenize) for t in texts]
        df: Counter[str] = Counter()
        for c in counts:
            df.update(c.keys())
        return cls(counts=counts, df=df)

    def __len__(self) -> int:
        return len(self.counts)


class Space:
    """TF-IDF weighting over the union of two corpora (child + parent)."""

    def __init__(self, *corpora: Corpus):
        self.n = sum(len(c) for c in corpora)
        self.df: Counter[str] = Counter()
        for c in corpora:
            self.df.update(c.df)

    def idf(self, term: str) -> float:
        # Smoothed; a term absent from both corpora (a query-only term) gets the maximum.
        return math.log((1 + self.n) / (1 + self.df.get(term, 0))) + 1.0

    def vector(self, counts: Counter[str]) -> dict[str, float]:
        # Sublinear tf: a long task repeating 产业 five times is not five times about 产业.
        vec = {w: (1 + math.log(n)) * self.idf(w) for w, n in counts.items()}
        norm = math.sqrt(sum(x * x for x in vec.values()))
        return {w: x / norm for w, x in vec.items()} if norm else {}

    def vectors(self, corpus: Corpus) -> list[dict[str, float]]:
        return [self.vector(c) for c in corpus.counts]


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(w, 0.0) for w, x in a.items())


def shared_terms(a: dict[str, float], b: dict[str, float], limit: int = 6) -> list[str]:
    """The terms contributing most to cosine(a, b), best first."""
    common = [(a[w] * b[w], w) for w in a.keys() & b.keys()]
    common.sort(key=lambda p: (-p[0], p[1]))
    return [w for _, w in common[:limit]]


def similarity_matrix(
    rows: Sequence[dict[str, float]], cols: Sequence[dict[str, float]]
) -> list[list[float]]:
    return [[cosine(r, c) for c in cols] for r in rows]
