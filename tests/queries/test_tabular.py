"""View rows as CSV: what a spreadsheet would run is neutralised, numbers stay numbers."""

from __future__ import annotations

import csv
import io

import pytest

from queries.tabular import rows_to_csv


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_text_that_would_start_a_formula_is_neutralised(start):
    title = f'{start}HYPERLINK("http://x")'
    (row,) = csv.DictReader(io.StringIO(rows_to_csv([{"title": title}])))
    assert row["title"] == "'" + title


def test_numbers_and_plain_text_are_written_as_they_are():
    text = rows_to_csv([{"value": -5, "ratio": -0.25, "title": "加强质量品牌建设", "n": 7}])
    (row,) = csv.DictReader(io.StringIO(text))
    assert row == {"value": "-5", "ratio": "-0.25", "title": "加强质量品牌建设", "n": "7"}
