"""Generated variants of the bundled plans must parse to the same tasks.

Each variant applies noise that real copies of these plans carry: another encoding,
traditional script, lost line breaks, swapped character widths, page breaks.
"""

from __future__ import annotations

import random

import opencc
import pytest

from ingest.parsing import parse_file, parse_text
from schema.normalize import normalise_for_matching
from tests.conftest import PROJECT_ROOT

PLANS = PROJECT_ROOT / "data" / "plans"
BUNDLED = sorted(PLANS.glob("*.txt"))
_S2T = opencc.OpenCC("s2t")


def _swap_widths(text: str) -> str:
    swapped = []
    for ch in text:
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E:
            swapped.append(chr(code - 0xFEE0))
        elif 0x21 <= code <= 0x7E:
            swapped.append(chr(code + 0xFEE0))
        else:
            swapped.append(ch)
    return "".join(swapped)


def _without_line_breaks(text: str) -> str:
    return text.replace("\r", "").replace("\n", "")


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _page_breaks(seed: int):
    def insert(text: str) -> str:
        rng = random.Random(seed)
        out = []
        for i, ch in enumerate(text):
            out.append(ch)
            # A page break falls between two characters of running text, roughly once a page.
            if _is_han(ch) and i + 1 < len(text) and _is_han(text[i + 1]) and rng.random() < 0.004:
                out.append("\n\n ")
        return "".join(out)

    return insert


def _to_traditional(text: str) -> str:
    return _S2T.convert(text)


VARIANTS = {
    "traditional": _to_traditional,
    "no_line_breaks": _without_line_breaks,
    "swapped_widths": _swap_widths,
    "page_breaks_1": _page_breaks(1),
    "page_breaks_2": _page_breaks(2),
    "page_breaks_3": _page_breaks(3),
    "traditional_no_line_breaks": lambda t: _without_line_breaks(_to_traditional(t)),
}


def _signature(plan):
    return [
        (
            task.number,
            normalise_for_matching(task.title),
            [normalise_for_matching(a) for a in task.agencies],
        )
        for task in plan.tasks
    ]


@pytest.fixture(scope="module", params=BUNDLED, ids=lambda p: p.stem)
def original(request):
    path = request.param
    return path.read_text(encoding="utf-8"), parse_file(path)


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_variant_parses_to_the_same_tasks(original, variant):
    text, expected = original
    changed = VARIANTS[variant](text)
    assert changed != text
    plan = parse_text(changed)
    assert _signature(plan) == _signature(expected)
    assert [normalise_for_matching(a.title or "") for a in plan.actions] == [
        normalise_for_matching(a.title or "") for a in expected.actions
    ]
    assert len(plan.measures) == len(expected.measures)
    assert [[normalise_for_matching(a) for a in m.agencies] for m in plan.measures] == [
        [normalise_for_matching(a) for a in m.agencies] for m in expected.measures
    ]
    assert normalise_for_matching(plan.doc_number or "") == normalise_for_matching(
        expected.doc_number or ""
    )


def test_gb18030_file_parses_identically(original, tmp_path):
    text, expected = original
    path = tmp_path / "plan-gb18030.txt"
    path.write_bytes(text.encode("gb18030"))
    plan = parse_file(path)
    assert plan.encoding == "gb18030"
    assert plan.to_dict() | {"source_file": None, "encoding": None} == expected.to_dict() | {
        "source_file": None,
        "encoding": None,
    }


def test_traditional_variant_keeps_traditional_text(original):
    text, expected = original
    plan = parse_text(_to_traditional(text))
    assert plan.tasks[0].title == _to_traditional(expected.tasks[0].title)
    assert plan.tasks[0].agencies == [_to_traditional(a) for a in expected.tasks[0].agencies]


def test_measure_titles_survive_page_breaks_and_width_swaps(original):
    text, expected = original
    for variant in ("swapped_widths", "page_breaks_1", "traditional"):
        plan = parse_text(VARIANTS[variant](text))
        assert [normalise_for_matching(m.title) for m in plan.measures] == [
            normalise_for_matching(m.title) for m in expected.measures
        ]
