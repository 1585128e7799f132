"""Run lock and working copy → publish / discard: one run at a time, and never half a run."""

from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration.lib import publish
from tests.conftest import ROOT, wait_for_file

#: A child process that takes the run lock as ``owner``, notes it in ``log``, holds it until ``release``
#: exists, and notes that too; ``waiting`` is touched if it had to wait for another holder.
HOLDER = """
import sys, time
from pathlib import Path
from orchestration.lib import publish
db, owner, log, release, waiting = sys.argv[1], sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]), Path(sys.argv[5])
with publish.run_lock(Path(db), owner, timeout=600, on_wait=lambda holder: waiting.write_text(holder)):
    with log.open("a") as f:
        f.write(owner + " start\\n")
    while not release.exists():
        time.sleep(0.02)
    with log.open("a") as f:
        f.write(owner + " end\\n")
"""


def _child(code: str, *args: object) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", code, *map(str, args)], env=env, start_new_session=True)


def _holder(tmp: Path, db: Path, owner: str) -> tuple[subprocess.Popen, Path]:
    release = tmp / f"release-{owner}"
    proc = _child(HOLDER, db, owner, tmp / "log", release, tmp / f"waiting-{owner}")
    return proc, release


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _make(db: Path, rows: list[int]) -> None:
    with duckdb.connect(str(db)) as con:
        con.execute("create or replace table t (i integer)")
        con.execute("insert into t select unnest(?)", [rows])


def _rows(db: Path) -> list[int]:
    with duckdb.connect(str(db), read_only=True) as con:
        return [i for (i,) in con.execute("select i from t order by i").fetchall()]


def test_lock_serialises_two_processes(tmp_path: Path):
    db = tmp_path / "w.duckdb"
    first, release_first = _holder(tmp_path, db, "first")
    wait_for_file(tmp_path / "log", first)
    second, release_second = _holder(tmp_path, db, "second")
    wait_for_file(tmp_path / "waiting-second", second)
    assert (tmp_path / "waiting-second").read_text().startswith("first")  # it was told who holds the lock
    assert (tmp_path / "log").read_text() == "first start\n"  # the second waits while the first holds it
    release_first.touch()
    release_second.touch()
    assert first.wait(60) == 0 and second.wait(60) == 0
    assert (tmp_path / "log").read_text() == "first start\nfirst end\nsecond start\nsecond end\n"
    assert not (tmp_path / "waiting-first").exists()


def test_busy_lock_times_out_with_a_clear_error_and_a_killed_holder_releases_it(tmp_path: Path):
    db = tmp_path / "w.duckdb"
    holder, _ = _holder(tmp_path, db, "run-A")
    wait_for_file(tmp_path / "log", holder)
    waited: list[str] = []
    busy = r"another run \(run-A\).*nothing was changed"
    with (
        pytest.raises(publish.WarehouseBusyError, match=busy),
        publish.run_lock(db, "run-B", timeout=0.2, on_wait=waited.append),
    ):
        pytest.fail("acquired a lock another process holds")
    assert waited == ["run-A"]
    os.killpg(holder.pid, signal.SIGKILL)
    holder.wait(60)
    with publish.run_lock(db, "run-B", timeout=0, on_wait=waited.append):
        assert publish.holder(db) == "run-B"
    assert waited == ["run-A"]  # no wait the second time: the kernel released the killed holder's lock


def test_working_copy_publish_and_discard(tmp_path: Path):
    db = tmp_path / "w.duckdb"
    shadow = publish.working_copy(db, "r1")  # no warehouse yet: the run starts from nothing
    assert shadow == tmp_path / "w.duckdb.pending" and not shadow.exists()
    assert publish.owner(db) == "r1" and publish.owned_copy(db, "r1") is None  # owned, not written yet
    _make(shadow, [1, 2])
    assert not db.exists()  # nothing visible before publishing
    assert publish.publish(db, "r1") is True
    assert _rows(db) == [1, 2] and not shadow.exists()

    reader = duckdb.connect(str(db), read_only=True)  # a reader holding the published file
    heard: list[str] = []
    shadow = publish.working_copy(db, "r2", heard.append)
    assert _rows(shadow) == [1, 2]
    assert len(heard) == 1
    assert re.fullmatch(r"Working copy of w\.duckdb: (clone|copy) of [\d.,]+ MiB in [\d.]+ s", heard[0])
    assert publish.working_copy(db, "r2", heard.append) == shadow and len(heard) == 1  # the run's own copy: no copy
    _make(shadow, [3])
    publish.publish(db, "r2")
    assert reader.execute("select list(i order by i) from t").fetchone()[0] == [1, 2]  # keeps its snapshot
    reader.close()
    assert _rows(db) == [3]

    before = _sha(db)
    shadow = publish.working_copy(db, "r3")
    _make(shadow, [4])
    publish.discard(db, "r3")
    assert _sha(db) == before and not shadow.exists()
    assert publish.publish(db, "r4") is False  # a run that wrote nothing publishes nothing
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.duckdb"]


def test_working_copy_folds_the_write_ahead_log_of_the_published_file(tmp_path: Path):
    db = tmp_path / "w.duckdb"
    _make(db, [1])
    with duckdb.connect(str(db)) as con:
        con.execute("pragma disable_checkpoint_on_shutdown")
        con.execute("set wal_autocheckpoint = '1GB'")
        con.execute("insert into t values (2)")
    assert publish.wal_path(db).exists()
    shadow = publish.working_copy(db, "r1")
    assert not publish.wal_path(db).exists() and _rows(shadow) == [1, 2]


def test_stale_working_copies_of_crashed_runs_are_removed(tmp_path: Path):
    db = tmp_path / "w.duckdb"
    _make(db, [1])
    for name in ("w.duckdb.pending-dead", "w.duckdb.pending-dead.wal", "w.duckdb.pending-other.copying"):
        (tmp_path / name).write_bytes(b"half written")
    (tmp_path / "w.duckdb.pending-dead.tmp").mkdir()
    (tmp_path / "other.duckdb.pending-x").write_bytes(b"another warehouse's")
    shadow = publish.working_copy(db, "live")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "other.duckdb.pending-x",
        "w.duckdb",
        "w.duckdb.pending",
        "w.duckdb.pending.run",
    ]
    assert publish.working_copy(db, "live") == shadow and _rows(shadow) == [1]  # its own copy: kept
    (tmp_path / "w.duckdb.pending-dead").write_bytes(b"half written")
    with publish.run_lock(db, "next", timeout=0):  # taking the lock clears every run's leftovers
        assert not shadow.exists() and not (tmp_path / "w.duckdb.pending-dead").exists()


#: A writer on the working copy: one committed transaction (a finished step), then a second one that
#: is killed half way (touches ``marker`` and sleeps inside it).
WRITER = """
import sys, time
from pathlib import Path
import duckdb
from orchestration.lib import publish
db, marker = Path(sys.argv[1]), Path(sys.argv[2])
path = publish.working_copy(db, "killed")
with duckdb.connect(str(path)) as con:
    con.execute("delete from t where i < 500")
    con.begin()
    con.execute("insert into t select range from range(100000)")
    marker.touch()
    time.sleep(600)
"""


def test_sigkilled_writer_leaves_the_published_file_byte_identical(tmp_path: Path):
    db = tmp_path / "w.duckdb"
    _make(db, list(range(1000)))
    before = _sha(db)
    writer = _child(WRITER, db, tmp_path / "marker")
    wait_for_file(tmp_path / "marker", writer)
    os.killpg(writer.pid, signal.SIGKILL)
    writer.wait(60)
    assert _sha(db) == before and not publish.wal_path(db).exists()
    assert _rows(db) == list(range(1000))
    shadow = publish.working_copy(db, "next")  # the next run starts from the published state
    assert _rows(shadow) == list(range(1000))
    names = ["marker", "w.duckdb", "w.duckdb.pending", "w.duckdb.pending.run"]
    assert sorted(p.name for p in tmp_path.iterdir()) == names and publish.owner(db) == "next"


def test_a_working_copy_left_by_a_killed_run_is_never_reused(tmp_path: Path):
    """The working copy's path is the same for every run: a copy a killed run left (half updated, or
    fully updated but never published) is replaced by a fresh copy of the published file."""
    db = tmp_path / "w.duckdb"
    _make(db, [1])
    shadow = publish.working_copy(db, "killed")
    _make(shadow, [7, 8])  # the killed run's writes
    assert publish.owned_copy(db, "next") is None and publish.publish(db, "next") is False
    assert _rows(shadow) == [7, 8]  # another run's copy: publish and discard of "next" leave it
    shadow = publish.working_copy(db, "next")
    assert publish.owner(db) == "next" and _rows(shadow) == [1]
    assert publish.publish(db, "next") is True and _rows(db) == [1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.duckdb"]


def test_clone_file_copies_every_byte_and_the_copy_is_independent(tmp_path: Path):
    source, target = tmp_path / "w.duckdb", tmp_path / "w.duckdb.pending"
    data = os.urandom(3 << 20) + b"tail"
    source.write_bytes(data)
    how = publish.clone_file(source, target)
    assert how in ("clone", "copy")  # clone on XFS/btrfs, copy on ext4 and tmpfs
    assert target.read_bytes() == data
    with target.open("r+b") as fh:  # dbt writing the working copy leaves the published file as it was
        fh.write(b"changed")
    assert source.read_bytes() == data
    assert target.read_bytes()[:7] == b"changed"


def test_clone_file_falls_back_to_a_full_copy_where_the_file_system_has_no_reflinks(tmp_path: Path, monkeypatch):
    import errno
    import fcntl

    def refuse(fd, request, arg):
        assert request == publish.FICLONE
        raise OSError(errno.EOPNOTSUPP, "Operation not supported")

    monkeypatch.setattr(fcntl, "ioctl", refuse)
    source, target = tmp_path / "a", tmp_path / "b"
    source.write_bytes(b"x" * 100_000)
    assert publish.clone_file(source, target) == "copy"
    assert target.read_bytes() == b"x" * 100_000
