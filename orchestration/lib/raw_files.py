"""Inventory of the raw dir: every regular file with its size, mtime and sha256.

Hashing is the one unavoidable full read; files whose (path, size, mtime) are
unchanged since the last inventory reuse their recorded hash.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import polars as pl

from orchestration.lib.schemas import RAW_FILES

_CHUNK = 1 << 20


def _walk(root: Path) -> Iterator[os.DirEntry[str]]:
    """Regular files under root; symlinked directories are not followed (no loops)."""
    stack = [root]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(Path(entry.path))
                elif entry.is_file(follow_symlinks=True) and not entry.name.startswith("."):
                    yield entry


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def stat_raw_dir(root: Path) -> pl.DataFrame:
    """path, size_bytes, mtime_ns of every file (sha256 still NULL), sorted by path."""
    rows = []
    for entry in _walk(root):
        st = entry.stat(follow_symlinks=True)
        rows.append((Path(entry.path).relative_to(root).as_posix(), st.st_size, st.st_mtime_ns))
    frame = pl.DataFrame(rows, schema=["path", "size_bytes", "mtime_ns"], orient="row")
    return frame.with_columns(sha256=pl.lit(None, pl.String)).cast(RAW_FILES).sort("path")


def inventory(root: Path, previous: pl.DataFrame | None = None) -> tuple[pl.DataFrame, int]:
    """The RAW_FILES frame for root and how many files had to be hashed anew."""
    current = stat_raw_dir(root)
    if previous is not None and previous.height:
        known = previous.select("path", "size_bytes", "mtime_ns", pl.col("sha256").alias("known"))
        current = (
            current.join(known, on=["path", "size_bytes", "mtime_ns"], how="left")
            .with_columns(sha256=pl.col("known"))
            .drop("known")
        )
    todo = current.filter(pl.col("sha256").is_null())["path"].to_list()
    hashes = {p: sha256_file(root / p) for p in todo}
    current = current.with_columns(
        sha256=pl.coalesce("sha256", pl.col("path").replace_strict(hashes, default=None, return_dtype=pl.String))
    )
    return current.select(RAW_FILES.names()).cast(RAW_FILES), len(todo)


def fingerprint(root: Path) -> str:
    """A cheap digest of (path, size, mtime) for every file: changes when files are added or changed."""
    frame = stat_raw_dir(root)
    digest = hashlib.sha256()
    for path, size, mtime in frame.select("path", "size_bytes", "mtime_ns").iter_rows():
        digest.update(f"{path}\0{size}\0{mtime}\n".encode())
    return digest.hexdigest()
