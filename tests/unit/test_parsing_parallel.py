"""parallel.parse_files: worker processes give exactly the frames of decode_files + parse_documents."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from orchestration.lib.parsing import decode_files, parallel, parse_documents
from orchestration.lib.parsing.parallel import parse_files
from tests.parsing_helpers import files_frame

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
PATHS = sorted(
    [p for p in FIXTURES.rglob("*") if p.suffix in (".txt", ".html", ".htm")] + list((ROOT / "raw").glob("*.txt"))
)
FRAMES = ("reports", "values", "quarantine", "relations", "sections")


@pytest.fixture(scope="module")
def files() -> Iterator[pl.DataFrame]:
    blobs = {p.relative_to(ROOT).as_posix(): p.read_bytes() for p in PATHS}
    # The same content under a second name (one report), and a binary file (undecodable).
    blobs["copies/consistent_2016 copy.txt"] = (FIXTURES / "pipeline" / "consistent_2016.txt").read_bytes()
    blobs["binary.txt"] = bytes(range(256)) * 8
    yield files_frame(blobs)
    parallel.shutdown_workers()


def test_workers_give_the_frames_of_one_process_row_for_row(files: pl.DataFrame) -> None:
    docs, undecodable = decode_files(files)
    expected = parse_documents(docs)
    result, quarantined = parse_files(files, workers=2, min_files=0)
    assert parallel._POOL, "the batch was not parsed on worker processes"
    for name in FRAMES:
        assert_frame_equal(getattr(result, name), getattr(expected, name))
    assert_frame_equal(quarantined, undecodable)
    # Every distinct content is one report or one quarantine row; the copy is no second report.
    distinct = files["report_id"].n_unique()
    assert distinct == len({p.read_bytes() for p in PATHS}) + 1  # the binary file; the copy adds none
    assert result.reports.height + result.quarantine.height + quarantined.height == distinct
    assert ("binary.txt", "binary_file") in quarantined.select("source_file", "reason").rows()
    assert set(result.reports["template"]) == {"gov2019", "gov2021", "pre2019_table", "narrative"}
    assert result.reports.filter(pl.col("source_file").str.contains("consistent_2016")).height == 1
    assert result.reports["encoding"].str.ends_with("+html").sum() == 3


def test_small_batches_stay_in_this_process(files: pl.DataFrame) -> None:
    parallel.shutdown_workers()
    few = files.head(5)
    docs, undecodable = decode_files(few)
    result, quarantined = parse_files(few, workers=2)
    assert not parallel._POOL
    assert_frame_equal(result.values, parse_documents(docs).values)
    assert_frame_equal(quarantined, undecodable)


def test_missing_columns_are_named() -> None:
    with pytest.raises(ValueError, match=r"missing columns \['content'\]"):
        parse_files(pl.DataFrame({"report_id": ["a"], "source_file": ["a.txt"]}), workers=2)
