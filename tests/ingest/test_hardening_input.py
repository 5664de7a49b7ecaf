"""Hostile input at scale: bounded time and memory, and a clear outcome.

Each case runs `parse_text` in a fresh interpreter (so one case's memory is not another's,
and a runaway is killed by the timeout), which reports the parse time, the peak RSS growth
over the interpreter's size before the parse, and the outcome. The bounds are deliberately
generous -- they catch an explosion (quadratic time, memory per character in the hundreds of
bytes), not a slow machine:

* at most 1.5 GB for a 50 MB file, and an answer at all: a worker silent for 15 minutes fails
  (a hang guard, far above the seconds a linear parse takes; speed is not asserted here);
* the outcome is a Plan, or a PlanError that names a line of the input.

Peak RSS (ru_maxrss) is used for the big inputs rather than tracemalloc: tracemalloc makes the
parser 5-8 times slower, which would not fit CI, and misses allocations made in C. A separate
tracemalloc check on a 5 MB input pins the Python memory per input byte.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from tests.conftest import CITY_PLAN, PROJECT_ROOT

pytestmark = pytest.mark.slow

# A hang guard, not a speed check (speed is the benchmarks' business): a linear parse of these
# inputs takes seconds, a quadratic step hours.
HANG_SECONDS = 900
RSS_MB = 1500
MB = 1_000_000


def _city() -> str:
    return CITY_PLAN.read_text("utf-8")


def make_input(case: str) -> str:
    """The hostile text for `case` (built in the worker, so the parent never holds it)."""
    city = _city()
    tasks_at = city.index("## 二、重点任务")
    if case.startswith("huge_paragraph"):
        # A converter that lost every line break inside one task: a 50 MB paragraph.
        size = 5 * MB if case.endswith("_5mb") else 50 * MB
        title = "2.巩固提升重点优势产业。"
        at = city.index(title) + len(title)
        sentence = "推动制造业高质量发展，加快建设现代化产业体系，"
        return city[:at] + sentence * (size // len(sentence.encode())) + "。" + city[at:]
    if case == "repeated_plan":
        # 50 MB: the same plan over and over (a bad concatenation of downloads).
        return city * (50 * MB // len(city.encode()) + 1)
    if case == "one_line":
        # 50 MB with every line break lost.
        flat = city.replace("\n", "")
        return flat * (50 * MB // len(flat.encode()) + 1)
    if case == "million_numbered_lines":
        head = city[:tasks_at] + "## 二、重点任务\n"
        return head + "".join(f"{k}. 第{k}行\n" for k in range(1, 1_000_001))
    if case == "repeated_section_headings":
        return city[:tasks_at] + "二、重点任务\n" * 300_000 + city[tasks_at:]
    if case == "repeated_group_headings":
        head = city[:tasks_at] + "## 二、重点任务\n"
        return head + "（一）强链升级行动\n" * 300_000 + city[tasks_at:]
    if case == "deep_markdown_headings":
        # Heading marks of absurd depth, on every heading and repeated.
        marked = "\n".join(
            "#" * 5000 + " " + line if line.startswith("#") else line for line in city.split("\n")
        )
        return marked * 20
    raise ValueError(case)


def _worker(case: str, trace: bool = False) -> None:
    """Run in a subprocess: print one JSON line with time, memory and outcome."""
    import resource
    import time
    import tracemalloc

    from ingest.errors import PlanError
    from ingest.parsing import parse_text

    parse_text(_city())  # warm the regexes and OpenCC so only the hostile parse is measured
    text = make_input(case)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    result: dict[str, object] = {"case": case, "input_mb": len(text.encode()) / MB}
    try:
        plan = parse_text(text, source=f"{case}.txt")
        result |= {"tasks": len(plan.tasks), "warnings": plan.warnings[:5]}
    except PlanError as error:
        result |= {"error": str(error), "line": error.line, "lines": text.count("\n") + 1}
    result["seconds"] = time.perf_counter() - started
    if trace:
        result["traced_peak_mb"] = tracemalloc.get_traced_memory()[1] / MB
    result["rss_growth_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - before
    print(json.dumps(result, ensure_ascii=False))


def run_case(case: str, trace: bool = False) -> dict:
    code = textwrap.dedent(
        f"""
        from tests.ingest.test_hardening_input import _worker
        _worker({case!r}, trace={trace!r})
        """
    )
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    try:
        done = subprocess.run(
            [sys.executable, "-c", code],
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=HANG_SECONDS,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{case}: no answer in {HANG_SECONDS} s (a step that is not linear?)")
    assert done.returncode == 0, f"{case}: the worker crashed:\n{done.stderr[-3000:]}"
    return json.loads(done.stdout.strip().splitlines()[-1])


def _within_bounds(result: dict) -> None:
    assert result["rss_growth_mb"] < RSS_MB, f"{result['case']}: {result['rss_growth_mb']:.0f} MB"


def _clear_error(result: dict) -> None:
    assert result["line"] is not None, f"{result['case']}: error without a line: {result}"
    assert 1 <= result["line"] <= result["lines"]
    assert f":{result['line']}:" in result["error"]


@pytest.mark.parametrize("case", ["huge_paragraph", "one_line"])
def test_50_mb_plan_text_is_parsed_within_bounds(case):
    result = run_case(case)
    _within_bounds(result)
    # The plan around the noise is still read: all 22 city tasks.
    assert result.get("tasks") == 22, result


def test_50_mb_of_repeated_plans_reads_the_first_document():
    result = run_case("repeated_plan")
    _within_bounds(result)
    # The first footer (抄送) ends the document; the copies after it are not tasks, and a
    # warning says so.
    assert result.get("tasks") == 22, result
    assert any("after the footer" in w for w in result["warnings"]), result


def test_million_numbered_lines_is_a_clear_error_within_bounds():
    result = run_case("million_numbered_lines")
    _within_bounds(result)
    # A million "N. 第N行" lines are not a plan's tasks (no sentences, no owners).
    assert "error" in result, result
    _clear_error(result)


def test_repeated_section_headings_within_bounds():
    result = run_case("repeated_section_headings")
    _within_bounds(result)
    if "error" in result:
        _clear_error(result)
    else:
        assert result["tasks"] == 22


def test_repeated_group_headings_are_a_clear_error_within_bounds():
    result = run_case("repeated_group_headings")
    _within_bounds(result)
    assert "error" in result, result
    _clear_error(result)


def test_deep_markdown_heading_marks_within_bounds():
    result = run_case("deep_markdown_headings")
    _within_bounds(result)
    if "error" in result:
        _clear_error(result)
    else:
        assert result["tasks"] == 22


def test_python_memory_per_input_byte_is_bounded():
    """tracemalloc on a 5 MB paragraph: the parser's own allocations, per input byte.

    The copies of the text (lines, cleaned text, shadow, an item's cleaned body) cost 2 bytes
    per character each (3 bytes of UTF-8 input) and come to about 7.7 per input byte; anything
    per character that allocates an object costs ~100, and even a list with one entry per
    character (the old position-to-line table) adds 8 per character, 10.6 per input byte in
    all. 9 per input byte sits between.
    """
    result = run_case("huge_paragraph_5mb", trace=True)
    assert result["traced_peak_mb"] / result["input_mb"] < 9, result
