"""View rows as CSV: what a spreadsheet would run is neutralised, numbers stay numbers."""

from __future__ import annotations

import csv
import io

import pytest

from queries.tabular import (
    COLUMN_CHROME,
    brief_text,
    cell_text,
    csv_file_bytes,
    fit_columns,
    rows_to_csv,
)
from queries.workbook import display_width


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_text_that_would_start_a_formula_is_neutralised(start):
    title = f'{start}HYPERLINK("http://x")'
    (row,) = csv.DictReader(io.StringIO(rows_to_csv([{"title": title}])))
    assert row["title"] == "'" + title


def test_numbers_and_plain_text_are_written_as_they_are():
    text = rows_to_csv([{"value": -5, "ratio": -0.25, "title": "加强质量品牌建设", "n": 7}])
    (row,) = csv.DictReader(io.StringIO(text))
    assert row == {"value": "-5", "ratio": "-0.25", "title": "加强质量品牌建设", "n": "7"}


def test_a_csv_file_starts_with_a_byte_order_mark_and_reads_back_the_same():
    rows = [{"number": 7, "title": "=加强质量品牌建设", "owners": ["区经委", "区市场监管局"]}]
    data = csv_file_bytes(rows)
    assert data.startswith(b"\xef\xbb\xbf")
    assert rows_to_csv(rows).encode("utf-8") == data[3:]  # stdout's text: the same, no BOM
    (row,) = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
    assert row == {"number": "7", "title": "'=加强质量品牌建设", "owners": "区经委、区市场监管局"}


def test_fit_columns_keeps_the_leading_columns_that_fit():
    rows = [{"child_number": 1, "child_title": "打造高辨识度产业集群", "score": 0.5, "id": "x"}]
    every = list(rows[0])
    assert fit_columns(rows, every, 200) == every
    narrow = fit_columns(rows, every, 30)
    assert narrow == every[: len(narrow)] and 1 <= len(narrow) < len(every)
    # Each shown column gets at least its header's width.
    assert sum(display_width(c) + COLUMN_CHROME for c in narrow) + 1 <= 30
    assert fit_columns(rows, ["score", "child_number"], 200) == ["score", "child_number"]
    assert fit_columns(rows, every, 5) == ["child_number"]  # never nothing


def test_fit_columns_skips_preferred_columns_the_rows_lack():
    rows = [{"number": 1, "title": "x"}]
    assert fit_columns(rows, ["number", "lead", "title"], 200) == ["number", "title"]


def test_a_terminal_cell_shows_maps_by_their_name_or_title():
    owners = [{"name": "区经委", "role": "lead"}, {"name": "区科委", "role": "co"}]
    assert brief_text(owners) == "区经委、区科委"
    assert brief_text({"title": "加强质量品牌建设", "id": "x"}) == "加强质量品牌建设"
    assert brief_text({"role": "lead"}) == cell_text({"role": "lead"})  # nothing to name it by
    assert brief_text(["a", 1]) == cell_text(["a", 1])
