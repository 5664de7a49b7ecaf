"""jieba's word segmentation over a compact copy of its dictionary, shared by build and search.

jieba keeps its dictionary as a Python dict of ~500,000 entries (every word and every prefix
of a word): unmarshalling it costs ~0.5 s per process and ~60 MB of memory, once for each
tokenizer that loads it. Here the words with a count are held in a MARISA trie (~1.3 MB) and
their counts in an array (~1.4 MB), both made once from jieba's own loaded dictionary (by a
child process, `python -m schema.segmenter`) and kept in a cache folder, so a process opens
them in milliseconds. jieba's own code still does the segmenting (its block splitting, route
and HMM for unknown words): `Segmenter` only answers its two dictionary questions, which words
start at a position and how often a word occurs, from the trie. The answers are jieba's, so
are the tokens (tests/schema/test_segmenter.py compares them over the bundled plans and the
test corpus). This leans on jieba.Tokenizer's internals (`get_DAG`, `calc`, `FREQ`), which is
why pyproject.toml keeps jieba below 0.43.

`plain()` is jieba's default segmentation (search queries) and `frequencies()` its word counts
(place names); `Segmenter(user_words)` adds words the way `jieba.Tokenizer.add_word` does (the
alignment tokenizer, ingest/tokens.py).
"""

from __future__ import annotations

import array
import contextlib
import hashlib
import logging
import subprocess
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from math import log
from pathlib import Path
from typing import overload

import marisa_trie

from schema.cache_files import cache_dir, write_atomically

# jieba 0.42 imports pkg_resources (setuptools' deprecated resource API: ~13 MB and ~0.1 s)
# only to open its own data files, and opens them by path when that import fails. Hiding it
# while jieba loads keeps both out of every process that segments (the server included).
_hide_pkg_resources = "pkg_resources" not in sys.modules
if _hide_pkg_resources:
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # import then raises
try:
    import jieba
finally:
    if _hide_pkg_resources:
        del sys.modules["pkg_resources"]

# Bump when the cache files' layout changes, so an old cache is never read as a new one.
_FORMAT = 1
_COUNT_TYPE = "I"  # unsigned 32-bit: jieba's largest count is ~900,000


def _dictionary_stamp() -> str:
    """Names the cache after jieba's version and its dictionary file's size and time, so an
    upgraded or edited dictionary makes a new cache instead of being served a stale one."""
    with jieba.get_dict_file() as dictionary_file:
        source = Path(dictionary_file.name)
    stat = source.stat()
    key = f"{_FORMAT}:{jieba.__version__}:{source}:{stat.st_size}:{stat.st_mtime_ns}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Dictionary:
    """jieba's words with a count (in a trie), their counts (by trie id) and jieba's total."""

    trie: marisa_trie.Trie
    counts: array.array[int]
    total: int
    longest: int  # characters in the longest word: no match can start further back

    def count(self, word: str) -> int:
        """jieba's count of `word`, 0 for a word it does not hold (or holds only as a prefix)."""
        index = self.trie.get(word)
        return 0 if index is None else self.counts[index]


def _from_jieba() -> Dictionary:
    """The dictionary as jieba loads it (its parsing, its duplicates rule, its total)."""
    loader = jieba.Tokenizer()
    loader.initialize()
    words = [word for word, count in loader.FREQ.items() if count > 0]
    trie = marisa_trie.Trie(words)
    counts = array.array(_COUNT_TYPE, bytes(array.array(_COUNT_TYPE).itemsize * len(trie)))
    for word in words:
        counts[trie[word]] = loader.FREQ[word]
    return Dictionary(trie, counts, loader.total, max(map(len, words)))


def _save(dictionary: Dictionary, folder: Path, stamp: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    header = f"{dictionary.total} {dictionary.longest} {sys.byteorder}\n".encode()
    # The counts file first: the trie's presence is what marks the cache complete.
    write_atomically(folder / f"jieba-{stamp}.counts", header + dictionary.counts.tobytes())
    write_atomically(folder / f"jieba-{stamp}.marisa", dictionary.trie.tobytes())


def _load(folder: Path, stamp: str) -> Dictionary | None:
    trie_file, counts_file = folder / f"jieba-{stamp}.marisa", folder / f"jieba-{stamp}.counts"
    try:
        trie = marisa_trie.Trie().load(str(trie_file))
        raw = counts_file.read_bytes()
    except OSError:
        return None  # not made yet
    except RuntimeError:
        return None  # marisa's word for a truncated or foreign trie file: rebuild it
    header, _, body = raw.partition(b"\n")
    counts = array.array(_COUNT_TYPE)
    try:
        total, longest, byteorder = header.decode().split()
        numbers = int(total), int(longest)
        counts.frombytes(body)
    except ValueError:
        return None  # a cache cut off or written by something else: rebuild it
    if byteorder != sys.byteorder:
        counts.byteswap()
    if len(counts) != len(trie):
        return None
    return Dictionary(trie, counts, *numbers)


_lock = threading.Lock()
_dictionary: Dictionary | None = None


def make_cache() -> Path:
    """Make the cache files from jieba's dictionary (in this process); returns the folder."""
    jieba.setLogLevel(logging.WARNING)  # jieba logs its model loading on its own handler
    folder = cache_dir()
    _save(_from_jieba(), folder, _dictionary_stamp())
    return folder


def _make_cache_in_a_child() -> None:
    # Making the cache loads jieba's whole dict (~60 MB); freed, it still leaves ~25 MB in a
    # process's heap. A child process pays that instead of, say, the server on its first start.
    # A failure shows as a missing cache, which the caller handles.
    with contextlib.suppress(OSError, subprocess.TimeoutExpired):
        subprocess.run(
            [sys.executable, "-m", "schema.segmenter"],
            cwd=Path(__file__).resolve().parent.parent,  # where `schema` is importable
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=300,
            check=False,
        )


def dictionary() -> Dictionary:
    """jieba's dictionary, from the cache (made on first use, ~1.5 s, then ~5 ms a process)."""
    global _dictionary
    with _lock:
        if _dictionary is None:
            folder, stamp = cache_dir(), _dictionary_stamp()
            loaded = _load(folder, stamp)
            if loaded is None:
                _make_cache_in_a_child()
                loaded = _load(folder, stamp)
            if loaded is None:
                # No cache could be written (a read-only home): segment all the same, with
                # the dictionary made here, and say why every process pays for it.
                jieba.setLogLevel(logging.WARNING)
                loaded = _from_jieba()
                try:
                    _save(loaded, folder, stamp)
                except OSError as error:
                    logging.getLogger(__name__).warning(
                        "jieba dictionary cache not written to %s: %s", folder, error
                    )
            _dictionary = loaded
    return _dictionary


class _Counts:
    """What jieba's own code reads from `Tokenizer.FREQ` (`.get`), answered from the trie
    and the user words."""

    def __init__(self, words: Dictionary, user: dict[str, int]) -> None:
        self._words, self._user = words, user

    def get(self, word: str, default: int | None = None) -> int | None:
        if word in self._user:
            return self._user[word]
        count = self._words.count(word)
        return count if count else default


class Segmenter(jieba.Tokenizer):
    """jieba.Tokenizer on the shared compact dictionary, plus this segmenter's own words.

    Only the dictionary look-ups are replaced (`get_DAG`, `calc`, `FREQ.get`); segmenting is
    jieba's. Use `lcut` as with jieba.
    """

    def __init__(self, user_words: Iterable[tuple[str, int]] = ()) -> None:
        super().__init__()
        self._words = dictionary()
        self._user: dict[str, int] = {}
        self._user_prefixes: set[str] = set()
        self._user_longest = 0
        self.total = self._words.total
        self.FREQ = _Counts(self._words, self._user)  # type: ignore[assignment]
        self.initialized = True  # never load jieba's own dictionary
        for word, count in user_words:
            self.add_word(word, count)

    def add_word(self, word: str, freq: int | None = None, tag: str | None = None) -> None:
        """Adds `word` as jieba's add_word does: its count replaces the dictionary's and is
        added to the total (again for a word added twice, as jieba does)."""
        if not freq or freq < 0 or tag is not None:
            # jieba's suggested counts, forced splits (0) and tags are not needed here.
            raise ValueError(f"add_word needs a positive count and no tag: {word!r}")
        self._user[word] = freq
        self.total += freq
        self._user_prefixes.update(word[:end] for end in range(1, len(word) + 1))
        self._user_longest = max(self._user_longest, len(word))

    def get_DAG(self, sentence: str) -> dict[int, list[int]]:
        """For each position, the last positions of the words starting there (ascending),
        or the position itself when none does: jieba's word graph of `sentence`."""
        prefixes, user, user_prefixes = self._words.trie.prefixes, self._user, self._user_prefixes
        reach = max(self._words.longest, self._user_longest)
        graph: dict[int, list[int]] = {}
        size = len(sentence)
        for start in range(size):
            # The trie lists the words that start here shortest first: ends in ascending order.
            ends = [start + len(word) - 1 for word in prefixes(sentence[start : start + reach])]
            if sentence[start] in user_prefixes:
                end, added = start, False
                while end < size and sentence[start : end + 1] in user_prefixes:
                    if sentence[start : end + 1] in user and end not in ends:
                        ends.append(end)
                        added = True
                    end += 1
                if added:
                    ends.sort()
            graph[start] = ends or [start]
        return graph

    def calc(
        self, sentence: str, DAG: dict[int, list[int]], route: dict[int, tuple[float, int]]
    ) -> None:
        """The most probable route through the word graph, as jieba computes it (same
        arithmetic in the same order, so the same floating-point ties)."""
        counts = self.FREQ
        log_total = log(self.total)
        route[len(sentence)] = (0, 0)
        for start in range(len(sentence) - 1, -1, -1):
            route[start] = max(
                (
                    log(counts.get(sentence[start : end + 1]) or 1) - log_total + route[end + 1][0],
                    end,
                )
                for end in DAG[start]
            )


_plain: Segmenter | None = None
_plain_lock = threading.Lock()


def plain() -> Segmenter:
    """jieba's default segmentation (no user words), shared by the whole process."""
    global _plain
    with _plain_lock:
        if _plain is None:
            _plain = Segmenter()
    return _plain


class WordCounts:
    """jieba's word counts, read like its `FREQ` dict: `.get(word, 0)`; a word jieba does not
    hold (or holds only as the prefix of a longer word) gives the default."""

    def __init__(self, words: Dictionary) -> None:
        self._words = words

    @overload
    def get(self, word: str) -> int | None: ...
    @overload
    def get(self, word: str, default: int) -> int: ...
    def get(self, word: str, default: int | None = None) -> int | None:
        count = self._words.count(word)
        return count if count else default


def frequencies() -> WordCounts:
    """jieba's counts of its own words, without any user words."""
    return WordCounts(dictionary())


if __name__ == "__main__":
    # `python -m schema.segmenter`: make the cache now (an image build, a first run).
    print(f"jieba dictionary cache written to {make_cache()}")
