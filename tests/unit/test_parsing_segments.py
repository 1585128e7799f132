"""segments.py: run-based windows and pair-key joins give exactly what over() and two-column joins give."""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal, assert_series_equal

from orchestration.lib.parsing.segments import (
    cum_sum_in,
    forward_fill_in,
    in_pairs,
    index_in,
    join_pairs,
    run_last,
    run_starts,
    shift_in,
)
from orchestration.lib.parsing.table_pre2019 import by_distinct

# Runs of one row, runs starting or ending with NULL, a run of NULLs only, a doc split by row.
FRAME = pl.DataFrame(
    {
        "doc": pl.Series([0, 0, 0, 1, 2, 2, 2, 2, 3, 3, 5], dtype=pl.UInt32),
        "row": pl.Series([0, 0, 1, 0, 0, 1, 1, 1, 0, 0, 0], dtype=pl.UInt32),
        "x": pl.Series([None, 2, 3, 4, 5, None, None, 8, None, None, 11], dtype=pl.Int32),
        "flag": [True, False, True, True, False, True, True, False, True, True, False],
    }
)


@pytest.mark.parametrize("keys", [("doc",), ("doc", "row")])
def test_windows_equal_over(keys: tuple[str, ...]) -> None:
    got = FRAME.select(
        prev=shift_in(pl.col("x"), *keys),
        prev2=shift_in(pl.col("x"), *keys, n=2),
        next=shift_in(pl.col("x"), *keys, n=-1),
        total=cum_sum_in(pl.col("flag").cast(pl.UInt32), *keys),
        idx=index_in(*keys),
        filled=forward_fill_in(pl.col("x"), *keys),
        last=run_last(pl.col("x"), *keys),
    )
    expected = FRAME.select(
        prev=pl.col("x").shift(1).over(keys),
        prev2=pl.col("x").shift(2).over(keys),
        next=pl.col("x").shift(-1).over(keys),
        total=pl.col("flag").cast(pl.UInt32).cum_sum().over(keys),
        idx=pl.int_range(pl.len(), dtype=pl.Int64).over(keys),
        filled=pl.col("x").forward_fill().over(keys),
        last=pl.col("x").last().over(keys),
    )
    assert_frame_equal(got, expected)
    in_run = 5 if keys == ("doc",) else None  # doc 2: one run, or rows 0 and 1 as two
    assert got["filled"].to_list() == [None, 2, 3, 4, 5, in_run, in_run, 8, None, None, 11]


def test_run_starts_mark_each_run_once() -> None:
    starts = FRAME.select(run_starts("doc", "row")).to_series()
    assert starts.to_list() == [True, False, True, True, True, True, False, False, True, False, True]


def test_windows_read_a_split_group_as_two_runs() -> None:
    """The precondition: a group must be one run of rows (doc 0 twice here)."""
    split = pl.DataFrame({"doc": [0, 1, 0], "x": [1, 2, 3]})
    got = split.select(cum_sum_in(pl.col("x"), "doc")).to_series()
    assert got.to_list() == [1, 2, 3]
    assert split.select(pl.col("x").cum_sum().over("doc")).to_series().to_list() == [1, 2, 4]


def test_pair_joins_equal_two_column_joins() -> None:
    lines = pl.DataFrame(
        {"doc": pl.Series([0, 0, 1, 1, 7], dtype=pl.UInt32), "line_no": pl.Series([1, 2, 1, 2, None], dtype=pl.Int32)}
    ).with_columns(text=pl.Series(["a", "b", "c", "d", "e"]))
    marks = pl.DataFrame(
        {
            "doc": pl.Series([1, 0, 9, 7], dtype=pl.UInt32),
            "line_no": pl.Series([2, 1, 1, None], dtype=pl.Int32),
            "mark": [20, 10, 90, 70],
        }
    )
    for how in ("left", "inner"):
        assert_frame_equal(
            join_pairs(lines, marks, "doc", "line_no", how=how),
            lines.join(marks, on=["doc", "line_no"], how=how, maintain_order="left"),
        )
    semi = lines.filter(in_pairs(marks, "doc", "line_no"))
    anti = lines.filter(~in_pairs(marks, "doc", "line_no"))
    assert_frame_equal(semi, lines.join(marks, on=["doc", "line_no"], how="semi", maintain_order="left"))
    assert_frame_equal(anti, lines.join(marks, on=["doc", "line_no"], how="anti", maintain_order="left"))
    assert semi["text"].to_list() == ["a", "d"]
    assert anti["text"].to_list() == ["b", "c", "e"]  # a NULL line matches nothing, as in a join
    renamed = marks.rename({"line_no": "source_line"})
    assert_series_equal(
        lines.select(in_pairs(renamed, "doc", "line_no", other_b="source_line")).to_series(),
        lines.select(in_pairs(marks, "doc", "line_no")).to_series(),
    )


CELLS = pl.DataFrame({"cell": ["0", "社会 稳定", None, "0", "１２", "", "社会 稳定", None]})
EXPRS = {"n": pl.col("cell").str.len_chars(), "nfkc": pl.col("cell").str.normalize("NFKC")}


def test_by_distinct_equals_with_columns() -> None:
    assert_frame_equal(by_distinct(CELLS, "cell", **EXPRS), CELLS.with_columns(**EXPRS))
    assert by_distinct(CELLS, "cell", **EXPRS)["nfkc"].to_list() == [
        "0",
        "社会 稳定",
        None,
        "0",
        "12",
        "",
        "社会 稳定",
        None,
    ]


def test_by_distinct_survives_hash_collisions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every value hashing alike: the keys that come back differ, and the join is redone on the values."""
    monkeypatch.setattr(pl.Series, "hash", lambda self, *a, **k: pl.Series(self.name, [7] * self.len(), pl.UInt64))
    assert_frame_equal(by_distinct(CELLS, "cell", **EXPRS), CELLS.with_columns(**EXPRS))
