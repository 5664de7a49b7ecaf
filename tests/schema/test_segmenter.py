"""The compact dictionary segments exactly as jieba does (schema/segmenter.py).

Compared token by token against jieba itself, with its own dictionary loaded the usual way,
over every bundled plan and every corpus file, raw and folded for matching.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import jieba
import pytest

from ingest import tokens
from schema import segmenter
from schema.lexicon import fold
from tests.conftest import PROJECT_ROOT

TEXT_FILES = sorted(
    path
    for folder in (PROJECT_ROOT / "data" / "plans", PROJECT_ROOT / "tests" / "corpus")
    for path in folder.iterdir()
    if path.suffix in {".txt", ".html"}
)


def _texts() -> list[tuple[str, str]]:
    texts = []
    for path in TEXT_FILES:
        text = path.read_text(encoding="utf-8", errors="replace")
        texts += [(f"{path.name} (raw)", text), (f"{path.name} (folded)", fold(text))]
    return texts


@pytest.fixture(scope="module")
def jieba_default() -> jieba.Tokenizer:
    jieba.setLogLevel(logging.WARNING)
    reference = jieba.Tokenizer()
    reference.initialize()
    return reference


def _first_difference(expected: list[str], got: list[str]) -> str:
    for at, (a, b) in enumerate(zip(expected, got, strict=False)):
        if a != b:
            return f"token {at}: jieba {expected[at - 2 : at + 3]}, ours {got[at - 2 : at + 3]}"
    return f"lengths: jieba {len(expected)}, ours {len(got)}"


def test_the_corpus_is_there():
    # The comparisons below are only as good as the text they run over.
    assert len(TEXT_FILES) >= 10
    assert sum(len(text) for _, text in _texts()) > 100_000


@pytest.mark.parametrize("hmm", [True, False], ids=["hmm", "no-hmm"])
def test_plain_segmentation_is_jiebas(jieba_default, hmm):
    ours = segmenter.plain()
    for name, text in _texts():
        expected = jieba_default.lcut(text, HMM=hmm)
        got = ours.lcut(text, HMM=hmm)
        assert got == expected, f"{name}: {_first_difference(expected, got)}"


def test_search_and_full_modes_are_jiebas(jieba_default):
    ours = segmenter.plain()
    for name, text in _texts()[:6]:
        assert ours.lcut_for_search(text) == jieba_default.lcut_for_search(text), name
        assert ours.lcut(text, cut_all=True) == jieba_default.lcut(text, cut_all=True), name


def test_user_words_segment_as_jiebas_add_word():
    """The alignment tokenizer's words (lexicons and genre words) added to jieba itself give
    the same tokens as the same words added to the compact dictionary."""
    words = tokens._user_words()
    assert len(words) > 100
    reference = jieba.Tokenizer()
    reference.initialize()
    for word, count in words:
        reference.add_word(word, freq=count)
    ours = segmenter.Segmenter(words)
    assert ours.total == reference.total
    for name, text in _texts():
        folded = fold(text)
        expected, got = reference.lcut(folded), ours.lcut(folded)
        assert got == expected, f"{name}: {_first_difference(expected, got)}"


def test_user_words_stay_whole():
    # Words that jieba's general dictionary splits, kept whole by the alignment tokenizer.
    found = tokens.tokenize("市经济信息化委推动专精特新“小巨人”企业和集成电路产业发展")
    assert {"市经济信息化委", "专精特新", "小巨人", "集成电路"} <= set(found)
    assert segmenter.plain().lcut("专精特新") != ["专精特新"]


def test_word_counts_are_jiebas(jieba_default):
    counts = segmenter.frequencies()
    wrong = [
        (word, count, counts.get(word, 0))
        for word, count in jieba_default.FREQ.items()
        if counts.get(word, 0) != count
    ]
    assert not wrong, wrong[:10]
    assert counts.get("不是一个词的字符串") is None
    assert counts.get("不是一个词的字符串", 0) == 0


def test_add_word_needs_a_positive_count():
    with pytest.raises(ValueError, match="positive count"):
        segmenter.Segmenter([("试验词", 0)])


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch) -> Path:
    """An empty cache folder and no dictionary loaded in this process yet."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("PLANGRAPH_CACHE_DIR", str(folder))
    monkeypatch.setattr(segmenter, "_dictionary", None)
    return folder


def test_the_cache_is_written_once_and_read_back(fresh_cache):
    made = segmenter.dictionary()
    files = sorted(p.suffix for p in fresh_cache.iterdir())
    assert files == [".counts", ".marisa"]
    stamps = {p: p.stat().st_mtime_ns for p in fresh_cache.iterdir()}

    segmenter._dictionary = None
    read = segmenter.dictionary()
    assert {p: p.stat().st_mtime_ns for p in fresh_cache.iterdir()} == stamps  # not rewritten
    assert (read.total, read.longest, len(read.trie)) == (made.total, made.longest, len(made.trie))
    assert read.counts == made.counts
    assert read.count("集成电路") == made.count("集成电路") > 0


@pytest.mark.parametrize("suffix", [".counts", ".marisa"])
def test_a_damaged_cache_is_rebuilt(fresh_cache, suffix):
    made = segmenter.dictionary()
    (damaged,) = fresh_cache.glob(f"*{suffix}")
    damaged.write_bytes(damaged.read_bytes()[:1001])  # as if cut off mid-write

    segmenter._dictionary = None
    rebuilt = segmenter.dictionary()
    assert rebuilt.counts == made.counts
    assert len(rebuilt.trie) == len(made.trie)
    assert len(damaged.read_bytes()) > 1001


def test_a_cache_under_a_file_still_segments(fresh_cache, tmp_path, monkeypatch, caplog):
    # A folder that cannot be made (a file stands in the way): warned, then segmented anyway.
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("PLANGRAPH_CACHE_DIR", str(blocker / "cache"))
    with caplog.at_level(logging.WARNING, logger="schema.segmenter"):
        assert segmenter.Segmenter().lcut("集成电路产业") == ["集成电路", "产业"]
    assert "cache not written" in caplog.text


def test_a_fresh_process_segments_without_pkg_resources(jieba_default):
    """The server's path: schema.segmenter imported first, jieba then opens its data files
    by path (no pkg_resources), and the tokens, HMM-found words included, are jieba's."""
    text = TEXT_FILES[0].read_text(encoding="utf-8")
    script = (
        "import json, sys\n"
        "from schema.segmenter import plain\n"
        "words = plain().lcut(sys.stdin.read())\n"
        "print(json.dumps({'pkg_resources': 'pkg_resources' in sys.modules, 'words': words}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        input=text,
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        check=True,
    )
    answer = json.loads(done.stdout)
    assert answer["pkg_resources"] is False
    assert answer["words"] == jieba_default.lcut(text)


def test_a_first_use_makes_the_cache_in_a_child_process(tmp_path):
    """The process that first needs the dictionary (the server, say) never loads jieba's
    whole dict itself: a child makes the cache, and the process only opens it."""
    script = (
        "import sys\n"
        "from schema import segmenter\n"
        "def refuse():\n"
        "    raise AssertionError('jieba dict loaded in this process')\n"
        "segmenter._from_jieba = refuse\n"
        "print(segmenter.plain().lcut('集成电路产业'))\n"
    )
    env = {**os.environ, "PLANGRAPH_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['集成电路', '产业']"
    assert sorted(p.suffix for p in (tmp_path / "cache").iterdir()) == [".counts", ".marisa"]
