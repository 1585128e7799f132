"""Run-level atomicity for the DuckDB warehouse file (no Dagster imports).

One run at a time holds ``<warehouse>.lock`` (an OS lock: a killed process releases it). The run
writes into a private working copy, ``<warehouse>.pending``, taken from the published file and owned
by the run named in ``<warehouse>.pending.run``; when every writer step has finished, ``publish``
renames it onto the warehouse in one atomic step. A failed or killed run leaves the published file
untouched; its working copy is deleted by the next run. Readers holding the old file keep reading it
until they close it. The working copy's path is the same for every run (the run lock makes it
private), so the dbt profile that points at it does not change between runs and dbt can parse the
project partially instead of from scratch.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
from filelock import FileLock, Timeout

PENDING = ".pending"


class WarehouseBusyError(RuntimeError):
    """Another run held the warehouse lock for longer than the timeout."""


def lock_path(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + ".lock")


def owner_path(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + ".lock.owner")


def pending_path(warehouse: Path) -> Path:
    """The working copy of whichever run holds the lock (``owner`` says which)."""
    return warehouse.with_name(warehouse.name + PENDING)


def owner_marker(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + PENDING + ".run")


def owner(warehouse: Path) -> str | None:
    """The run that owns the working copy, if any."""
    try:
        return owner_marker(warehouse).read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def owned_copy(warehouse: Path, run_id: str) -> Path | None:
    """The run's working copy if the run owns it and has written it, else None."""
    shadow = pending_path(warehouse)
    return shadow if owner(warehouse) == run_id and shadow.exists() else None


def wal_path(db: Path) -> Path:
    return db.with_name(db.name + ".wal")


def holder(warehouse: Path) -> str:
    """Who holds the lock, as its holder wrote it (may be stale or empty)."""
    try:
        return owner_path(warehouse).read_text(encoding="utf-8").strip() or "unknown"
    except OSError:
        return "unknown"


@contextmanager
def run_lock(
    warehouse: Path, owner: str, *, timeout: float, on_wait: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Hold the warehouse's run lock; ``on_wait(holder)`` is called once if another run holds it."""
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(lock_path(warehouse), fallback_to_soft=False, thread_local=False)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if on_wait is not None:
            on_wait(holder(warehouse))
        try:
            lock.acquire(timeout=timeout)
        except Timeout as exc:
            raise WarehouseBusyError(
                f"{warehouse} is still being written by another run ({holder(warehouse)}) after {timeout:.0f} s; "
                f"nothing was changed, try again when that run has finished"
            ) from exc
    try:
        owner_path(warehouse).write_text(owner, encoding="utf-8")
        remove_stale(warehouse)
        yield
    finally:
        owner_path(warehouse).unlink(missing_ok=True)
        lock.release()


def checkpoint(db: Path) -> None:
    """Fold the write-ahead log (if any) into the database file."""
    if wal_path(db).exists():
        with duckdb.connect(str(db)) as con:
            con.execute("checkpoint")


def remove_stale(warehouse: Path) -> list[Path]:
    """Delete the working copy, its log, its owner marker, a half-made copy, and the per-run copies
    ``<warehouse>.pending-<run_id>`` of earlier versions. Only call while holding the run lock."""
    removed = []
    for path in warehouse.parent.iterdir() if warehouse.parent.exists() else []:
        if path.name.startswith(warehouse.name + PENDING):
            _remove(path)
            removed.append(path)
    return removed


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


#: Linux ioctl FICLONE: the destination shares the source's blocks until either is written (XFS, btrfs,
#: bcachefs, ZFS 2.2+ with block cloning); other file systems refuse it with EOPNOTSUPP, EXDEV or ENOTTY.
FICLONE = 0x40049409


def clone_file(source: Path, target: Path) -> str:
    """Copy source to target, as a copy-on-write clone where the file system can ("clone"): the
    working copy of a 100k warehouse then costs no time and no space until dbt writes to it; else an
    in-kernel copy of every byte ("copy")."""
    with open(source, "rb") as src, open(target, "wb") as dst:
        try:
            fcntl.ioctl(dst.fileno(), FICLONE, src.fileno())
            return "clone"
        except OSError:
            pass  # no reflinks here: fall back to a full copy
    shutil.copyfile(source, target)
    return "copy"


def working_copy(warehouse: Path, run_id: str, log: Callable[[str], None] | None = None) -> Path:
    """The run's working copy: a copy of the published warehouse (or nothing yet, if there is none).

    A copy another run left behind (killed before publishing) is never reused: it is deleted and the
    copy taken afresh from the published file. ``log`` hears how the copy was made and what it cost."""
    shadow = pending_path(warehouse)
    if owner(warehouse) == run_id:
        return shadow
    remove_stale(warehouse)
    if warehouse.exists():
        checkpoint(warehouse)
        partial = shadow.with_name(shadow.name + ".copying")
        started = time.perf_counter()
        how = clone_file(warehouse, partial)
        os.replace(partial, shadow)
        if log is not None:
            size = shadow.stat().st_size / 2**20
            log(f"Working copy of {warehouse.name}: {how} of {size:,.1f} MiB in {time.perf_counter() - started:.2f} s")
    owner_marker(warehouse).write_text(run_id, encoding="utf-8")
    return shadow


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(warehouse: Path, run_id: str) -> bool:
    """Atomically replace the warehouse by the run's working copy; False if the run wrote nothing."""
    shadow = owned_copy(warehouse, run_id)
    if shadow is None:
        discard(warehouse, run_id)
        return False
    checkpoint(shadow)
    if wal_path(warehouse).exists():
        raise RuntimeError(f"{wal_path(warehouse)} exists: the warehouse was written outside the run lock")
    _fsync(shadow)
    os.replace(shadow, warehouse)
    _fsync(warehouse.parent)
    owner_marker(warehouse).unlink(missing_ok=True)
    return True


def discard(warehouse: Path, run_id: str) -> None:
    """Drop the run's working copy; the published warehouse stays as it was."""
    if owner(warehouse) not in (run_id, None):
        return
    shadow = pending_path(warehouse)
    for path in (shadow, wal_path(shadow), shadow.with_name(shadow.name + ".copying"), owner_marker(warehouse)):
        _remove(path)
