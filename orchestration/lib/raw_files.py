"""Inventory of the raw dir: every non-directory entry with its size, mtime and sha256.

Hashing is the one unavoidable full read (streamed in 1 MB chunks); files whose (path, size,
mtime) are unchanged since the last inventory reuse their recorded hash.

Nothing under the raw dir is dropped silently and nothing stops the walk. Directories are walked
into whatever their name (``2019年报告.txt/`` is a folder of reports); symlinked directories are
not followed (no loops); dot-files are skipped. Every other entry that cannot be read as a regular
file — a symlink loop, a broken symlink, a symlink to a directory, a FIFO or device, a file or
directory without read permission, a name that is not UTF-8 — is recorded with ``read_error`` (a
human-readable cause, e.g. "symlink loop (ELOOP)") and an identity derived from its path
(``unreadable_id``), and staging quarantines it with reason ``unreadable``.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import polars as pl

from orchestration.lib.schemas import RAW_FILES

_CHUNK = 1 << 20


class Entry(NamedTuple):
    path: str  # posix path relative to the raw dir
    size_bytes: int
    mtime_ns: int
    read_error: str | None


def unreadable_id(path: str) -> str:
    """The stable identity (report_id) of an entry whose bytes cannot be read: from its path."""
    return hashlib.sha256(b"unreadable\0" + path.encode()).hexdigest()


def describe_error(exc: OSError, path: str | os.PathLike[str] | None = None) -> str:
    """A short cause for an OSError, with the symbolic errno: "symlink loop (ELOOP)"."""
    code = errno.errorcode.get(exc.errno or 0, "")
    link = path is not None and os.path.islink(path)
    if exc.errno == errno.ELOOP:
        return "symlink loop (ELOOP)"
    if link and exc.errno == errno.ENOENT:
        return f"broken symlink to {os.readlink(path)!r}: target does not exist (ENOENT)"  # type: ignore[arg-type]
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"permission denied ({code})"
    return f"{exc.strerror or type(exc).__name__} ({code or 'no errno'})"


def _kind_error(full: str, mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        target, parent = os.path.realpath(full), os.path.realpath(os.path.dirname(full))
        if parent == target or parent.startswith(target.rstrip(os.sep) + os.sep):
            return "symlink loop: a symlink to its own ancestor directory, not followed"
        return "symlink to a directory, not followed"
    kinds = {
        stat.S_ISFIFO: "FIFO",
        stat.S_ISSOCK: "socket",
        stat.S_ISCHR: "character device",
        stat.S_ISBLK: "block device",
    }
    kind = next((name for test, name in kinds.items() if test(mode)), "special file")
    return f"not a regular file ({kind})"


def _entry(full: str, rel: str) -> Entry | None:
    """One non-directory entry (None when it vanished while listed)."""
    try:
        st = os.stat(full)
        error = _kind_error(full, st.st_mode)
    except OSError as exc:
        try:
            st, error = os.lstat(full), describe_error(exc, full)
        except FileNotFoundError:
            return None
    try:
        rel.encode()
    except UnicodeEncodeError:
        rel = os.fsencode(rel).decode("utf-8", "backslashreplace")
        error = "file name is not valid UTF-8 (shown with \\x escapes)"
    return Entry(rel, st.st_size, st.st_mtime_ns, error)


def _walk(root: Path) -> Iterator[Entry]:
    """Every non-directory entry under root, and each subdirectory that cannot be listed."""
    stack = [""]
    while stack:
        rel_dir = stack.pop()
        try:
            with os.scandir(root / rel_dir if rel_dir else root) as scan:
                entries = list(scan)
        except OSError as exc:
            if not rel_dir:
                raise  # the raw dir itself: a configuration error, not a bad input
            entry = _entry(str(root / rel_dir), rel_dir)
            if entry is not None:
                yield entry._replace(read_error=f"directory cannot be listed: {describe_error(exc)}")
            continue
        for item in entries:
            rel = f"{rel_dir}/{item.name}" if rel_dir else item.name
            if item.is_dir(follow_symlinks=False):
                stack.append(rel)
            elif not item.name.startswith(".") and (entry := _entry(item.path, rel)) is not None:
                yield entry


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def stat_raw_dir(root: Path) -> pl.DataFrame:
    """path, size_bytes, mtime_ns, read_error of every entry (sha256 still NULL), sorted by path."""
    frame = pl.DataFrame(list(_walk(root)), schema=["path", "size_bytes", "mtime_ns", "read_error"], orient="row")
    return frame.with_columns(sha256=pl.lit(None, pl.String)).select(RAW_FILES.names()).cast(RAW_FILES).sort("path")


def _hash(root: Path, path: str) -> tuple[str, str | None]:
    """(sha256 of the content, None), or (unreadable_id, cause) when reading fails."""
    try:
        return sha256_file(root / path), None
    except OSError as exc:
        return unreadable_id(path), describe_error(exc, root / path)


def inventory(root: Path, previous: pl.DataFrame | None = None) -> tuple[pl.DataFrame, int]:
    """The RAW_FILES frame for root and how many files had to be hashed anew.

    An entry that cannot be read gets sha256 = unreadable_id(path) and its read_error; it is
    tried again on every inventory (a chmod does not change the mtime).
    """
    current = stat_raw_dir(root)
    if previous is not None and previous.height:
        known = previous.filter(pl.col("read_error").is_null())
        known = known.select("path", "size_bytes", "mtime_ns", pl.col("sha256").alias("known"))
        current = (
            current.join(known, on=["path", "size_bytes", "mtime_ns"], how="left")
            .with_columns(sha256=pl.when(pl.col("read_error").is_null()).then(pl.col("known")))
            .drop("known")
        )
    todo = current.filter(pl.col("sha256").is_null() & pl.col("read_error").is_null())["path"].to_list()
    hashed = {p: _hash(root, p) for p in todo}
    failed = {p: unreadable_id(p) for p in current.filter(pl.col("read_error").is_not_null())["path"]}
    hashes = {p: sha for p, (sha, _error) in hashed.items()} | failed
    errors = {p: error for p, (_sha, error) in hashed.items() if error is not None}
    current = current.with_columns(
        sha256=pl.coalesce("sha256", pl.col("path").replace_strict(hashes, default=None, return_dtype=pl.String)),
        read_error=pl.coalesce(
            "read_error", pl.col("path").replace_strict(errors, default=None, return_dtype=pl.String)
        ),
    )
    return current.select(RAW_FILES.names()).cast(RAW_FILES), len(todo)


def fingerprint(root: Path) -> str:
    """A cheap digest of (path, size, mtime) for every file: changes when files are added or changed."""
    frame = stat_raw_dir(root)
    digest = hashlib.sha256()
    for path, size, mtime in frame.select("path", "size_bytes", "mtime_ns").iter_rows():
        digest.update(f"{path}\0{size}\0{mtime}\n".encode())
    return digest.hexdigest()
