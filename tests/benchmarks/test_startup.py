"""`python -m benchmarks.startup --runs 1 --json` runs and reports what docs/benchmarks.md
quotes: the shape and the sense of the figures, never their size against a time limit."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def report() -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.startup", "--runs", "1", "--json"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def test_every_figure_has_a_median_within_its_spread(report):
    spreads = [
        report["build"]["seconds"],
        report["build"]["peak_rss_mb"],
        *report["build_phases"].values(),
        *(figure for kind in report["dictionary"].values() for figure in kind.values()),
        *report["server"].values(),
        *report["server_parts"].values(),
    ]
    assert len(spreads) == 2 + 6 + 4 + 5 + 7
    for spread in spreads:
        assert spread["min"] <= spread["median"] <= spread["max"]
    assert len(report["build"]["runs"]) == 1


def test_the_memory_figures_add_up(report):
    server = report["server"]
    assert 0 < server["rss_after_start_mb"]["median"] <= server["peak_rss_mb"]["median"]
    assert server["rss_after_all_searches_mb"]["median"] <= server["peak_rss_mb"]["median"]
    parts = {name: spread["median"] for name, spread in report["server_parts"].items()}
    total = parts.pop("total")
    assert sum(parts.values()) == pytest.approx(total, abs=0.01)


def test_the_compact_dictionary_is_the_smaller(report):
    # Memory, not time: the trie and counts hold a few MB, jieba's dict tens of MB.
    jieba_own, compact = report["dictionary"]["jieba"], report["dictionary"]["compact"]
    assert compact["rss_mb"]["median"] < jieba_own["rss_mb"]["median"]
