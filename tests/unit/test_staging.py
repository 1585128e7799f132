"""Staging: unreadable and oversized entries quarantined without being read, one load per batch,
files that change between inventory and staging, and the size limit's setting."""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path
from unittest import mock

import polars as pl
import pytest

from orchestration.lib import raw_files, settings, staging, warehouse
from orchestration.lib.parsing import parallel
from tests.conftest import RAW, SEED_FILES

LIMIT_DETAIL = "10,724 bytes, over the limit of 10,000 bytes (XXGK_MAX_FILE_BYTES); not parsed"


def seed(name: str) -> Path:
    return RAW / SEED_FILES[name]


def quarantine(db: Path) -> list[tuple[str, str, str]]:
    return warehouse.query(db, "select source_file, reason, detail from staging.stg_quarantine order by 1").rows()


def reports(db: Path) -> list[tuple[str, str, int]]:
    sql = "select source_file, agency_name, report_year from staging.stg_reports order by 1"
    return warehouse.query(db, sql).rows()


def refresh(raw: Path, db: Path, **kwargs) -> staging.StagingStats:
    staging.refresh_inventory(raw, db)
    return staging.refresh_staging(raw, db, **kwargs)


@pytest.fixture
def dirs(tmp_path: Path) -> tuple[Path, Path]:
    raw = tmp_path / "raw"
    raw.mkdir()
    return raw, tmp_path / "wh" / "xxgk.duckdb"


def test_unreadable_and_too_large_are_quarantined_without_being_read(dirs, monkeypatch):
    raw, db = dirs
    shutil.copy(seed("002"), raw / "a.txt")
    shutil.copy(seed("002"), raw / "b.txt")
    shutil.copy(seed("000"), raw / "big.txt")  # 10,724 bytes
    (raw / "empty.txt").write_bytes(b"")
    (raw / "broken.txt").symlink_to("missing.txt")
    (raw / "l1").symlink_to("l2")
    (raw / "l2").symlink_to("l1")
    read: list[str] = []
    real_read = staging._read_contents

    def spy(raw_dir, todo, limit):
        read.extend(todo["source_file"])
        return real_read(raw_dir, todo, limit)

    monkeypatch.setattr(staging, "_read_contents", spy)
    monkeypatch.setenv("XXGK_MAX_FILE_BYTES", "10000")
    stats = refresh(raw, db)
    assert sorted(read) == ["a.txt", "empty.txt"]
    assert quarantine(db) == [
        ("big.txt", "too_large", LIMIT_DETAIL),
        ("broken.txt", "unreadable", "broken symlink to 'missing.txt': target does not exist (ENOENT)"),
        ("empty.txt", "empty_file", "0 bytes, no text"),
        ("l1", "unreadable", "symlink loop (ELOOP)"),
        ("l2", "unreadable", "symlink loop (ELOOP)"),
    ]
    assert reports(db) == [("a.txt", "沙坡头区机关事务局", 2018)]
    ids = warehouse.query(db, "select report_id from staging.stg_quarantine where source_file = 'l1'").item()
    assert ids == raw_files.unreadable_id("l1")
    assert (stats.parsed_now, stats.skipped, stats.removed) == (6, 0, 0)
    assert stats.quarantine_preview.height == 5 and stats.reports_preview["source_file"].to_list() == ["a.txt"]
    # every raw file is accounted for: a.txt and b.txt are one report
    accounted = warehouse.query(
        db,
        "select count(*) from staging.raw_files f where f.sha256 in (select report_id from staging.stg_reports) "
        "or f.sha256 in (select report_id from staging.stg_quarantine)",
    ).item()
    assert accounted == warehouse.query(db, "select count(*) from staging.raw_files").item() == 7

    again = refresh(raw, db)
    assert (again.parsed_now, again.skipped, again.removed) == (0, 6, 0)

    monkeypatch.delenv("XXGK_MAX_FILE_BYTES")  # the default limit: big.txt now fits and is parsed
    shutil.copy(seed("003"), raw / "missing.txt")  # the broken symlink now resolves
    fixed = refresh(raw, db)
    assert (fixed.parsed_now, fixed.removed) == (2, 1)  # big.txt and broken.txt; the unreadable id is gone
    assert reports(db) == [
        ("a.txt", "沙坡头区机关事务局", 2018),
        ("big.txt", "灵武市临河镇", 2018),
        ("broken.txt", "观水镇", 2017),
    ]
    assert [row[0] for row in quarantine(db)] == ["empty.txt", "l1", "l2"]


def test_staging_loads_once_per_batch(dirs, monkeypatch):
    raw, db = dirs
    for name in SEED_FILES:
        shutil.copy(seed(name), raw / f"{name}.txt")
    (raw / "gone.txt").write_bytes(b"will be deleted")
    refresh(raw, db)
    (raw / "gone.txt").unlink()
    (raw / "004.txt").write_bytes(seed("004").read_bytes() + b"\n")  # changed content: parsed again
    calls: list[tuple[int, int]] = []
    real_apply = warehouse.apply_parse

    def spy(path, *, drop_ids, reports, **frames):
        calls.append((len(drop_ids), reports.height))
        real_apply(path, drop_ids=drop_ids, reports=reports, **frames)

    monkeypatch.setattr(warehouse, "apply_parse", spy)
    staging.refresh_inventory(raw, db)
    stats = staging.refresh_staging(raw, db, batch_size=2)
    assert calls == [(2, 0), (1, 1)]  # removals first (the deleted and the replaced content), then 004
    assert (stats.parsed_now, stats.skipped, stats.removed) == (1, 4, 2)

    calls.clear()
    shutil.rmtree(db.parent)  # a full build: five documents in batches of two
    stats = refresh(raw, db, batch_size=2)
    assert calls == [(0, 0), (2, 2), (2, 2), (1, 1)]
    assert stats.row_counts["stg_reports"] == 5 and stats.parsed_now == 5


def test_batches_close_at_the_row_or_byte_limit():
    todo = pl.DataFrame({"report_id": list("abcdef"), "size_bytes": [5, 5, 5, 20, 1, 1]})
    batches = [b["report_id"].to_list() for b in staging._batches(todo, batch_size=3, batch_bytes=10)]
    assert batches == [["a", "b"], ["c"], ["d"], ["e", "f"]]  # a file over the byte budget is a batch alone
    assert [b.height for b in staging._batches(todo, batch_size=4, batch_bytes=100)] == [4, 2]
    assert list(staging._batches(todo.clear(), batch_size=4, batch_bytes=100)) == []


def test_files_that_vanish_or_grow_after_the_inventory_do_not_stop_the_others(dirs):
    raw, db = dirs
    for name in ("001", "002", "003"):
        shutil.copy(seed(name), raw / f"{name}.txt")
    staging.refresh_inventory(raw, db)
    (raw / "001.txt").unlink()
    with open(raw / "003.txt", "ab") as fh:
        fh.write(b"\n" * 5_000)
    staging.refresh_staging(raw, db, max_file_bytes=10_000)
    assert quarantine(db) == [
        ("001.txt", "unreadable", "could not be read at staging: No such file or directory (ENOENT)"),
        ("003.txt", "too_large", "grew since the inventory: 10,001 bytes, over the limit of 10,000 bytes "
         "(XXGK_MAX_FILE_BYTES); not parsed"),
    ]  # fmt: skip
    assert reports(db) == [("002.txt", "沙坡头区机关事务局", 2018)]

    stats = refresh(raw, db, max_file_bytes=20_000)  # the next inventory sees the deletion and the growth
    assert (stats.parsed_now, stats.removed) == (1, 2)
    assert quarantine(db) == []
    assert reports(db) == [("002.txt", "沙坡头区机关事务局", 2018), ("003.txt", "观水镇", 2017)]


def test_max_file_bytes_setting(monkeypatch, tmp_path: Path):
    monkeypatch.delenv("XXGK_MAX_FILE_BYTES", raising=False)
    assert settings.max_file_bytes() == settings.DEFAULT_MAX_FILE_BYTES == 20_000_000
    monkeypatch.setenv("XXGK_MAX_FILE_BYTES", "1_000")
    assert settings.max_file_bytes() == 1_000
    assert settings.Settings(raw_dir=tmp_path, warehouse=tmp_path, dagster_home=tmp_path).max_file_bytes == 1_000
    assert settings.Settings.from_env().max_file_bytes == 1_000
    for bad, message in (("20MB", "must be a number of bytes, not '20MB'"), ("0", "must be positive, not 0")):
        monkeypatch.setenv("XXGK_MAX_FILE_BYTES", bad)
        with pytest.raises(ValueError, match=message):
            settings.max_file_bytes()


def test_parse_workers_setting(monkeypatch):
    monkeypatch.delenv("XXGK_PARSE_WORKERS", raising=False)
    assert settings.parse_workers() == (os.cpu_count() or 1)
    monkeypatch.setenv("XXGK_PARSE_WORKERS", "3")
    assert settings.parse_workers() == 3
    for bad, message in (("two", "must be a number of processes, not 'two'"), ("0", "must be positive, not 0")):
        monkeypatch.setenv("XXGK_PARSE_WORKERS", bad)
        with pytest.raises(ValueError, match=message):
            settings.parse_workers()


def test_parallel_staging_equals_one_process(tmp_path: Path):
    """Two worker processes (forced even for a small batch) stage exactly what one process stages."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for path in sorted(RAW.glob("*.txt")):
        shutil.copy(path, raw / path.name)
    (raw / "empty.txt").write_bytes(b"")
    staged = {}
    for workers in (1, 2):
        db = tmp_path / f"w{workers}.duckdb"
        staging.refresh_inventory(raw, db)
        with mock.patch.object(staging, "parse_files", functools.partial(parallel.parse_files, min_files=1)):
            staging.refresh_staging(raw, db, workers=workers)
        staged[workers] = {
            t: warehouse.query(db, f"select * from staging.{t} order by all") for t in warehouse.PARSED_TABLES
        }
    assert staged[1]["stg_reports"].height == 5 and staged[1]["stg_quarantine"].height == 1
    for table, frame in staged[1].items():
        assert frame.equals(staged[2][table]), table
