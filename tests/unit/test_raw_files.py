from __future__ import annotations

import errno
import hashlib
import os
from pathlib import Path

import pytest

from orchestration.lib import raw_files


def _rows(files) -> dict[str, tuple[str, str | None]]:
    return {path: (sha, error) for path, sha, error in files.select("path", "sha256", "read_error").iter_rows()}


def test_inventory_hashes_every_file_and_reuses_known_hashes(tmp_path: Path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_bytes(b"alpha")
    (tmp_path / "sub" / "b c.txt").write_bytes("乙".encode())
    files, hashed = raw_files.inventory(tmp_path)
    assert hashed == 2
    assert files["path"].to_list() == ["a.txt", "sub/b c.txt"]
    assert files["sha256"].to_list()[0] == hashlib.sha256(b"alpha").hexdigest()
    assert files["size_bytes"].to_list() == [5, 3]
    assert files["read_error"].to_list() == [None, None]

    again, hashed = raw_files.inventory(tmp_path, files)
    assert hashed == 0 and again.equals(files)

    (tmp_path / "a.txt").write_bytes(b"alpha2")
    os.utime(tmp_path / "a.txt", ns=(10**18, 10**18))
    changed, hashed = raw_files.inventory(tmp_path, files)
    assert hashed == 1
    assert changed["sha256"][0] == hashlib.sha256(b"alpha2").hexdigest()


def test_symlinked_directories_are_recorded_not_followed(tmp_path: Path):
    raw, other = tmp_path / "raw", tmp_path / "other"
    raw.mkdir()
    other.mkdir()
    (other / "b.txt").write_text("y")
    (raw / "a.txt").write_text("x")
    (raw / "loop").symlink_to(raw, target_is_directory=True)
    (raw / "elsewhere").symlink_to(other, target_is_directory=True)
    files, _ = raw_files.inventory(raw)
    assert _rows(files) == {
        "a.txt": (hashlib.sha256(b"x").hexdigest(), None),
        "elsewhere": (raw_files.unreadable_id("elsewhere"), "symlink to a directory, not followed"),
        "loop": (
            raw_files.unreadable_id("loop"),
            "symlink loop: a symlink to its own ancestor directory, not followed",
        ),
    }


def test_bad_entries_are_recorded_with_their_cause_and_a_path_identity(tmp_path: Path):
    (tmp_path / "ok.txt").write_bytes(b"ok")
    (tmp_path / "link.txt").symlink_to("ok.txt")  # a symlink to a file is read through
    (tmp_path / "l1").symlink_to("l2")
    (tmp_path / "l2").symlink_to("l1")
    (tmp_path / "broken.txt").symlink_to("missing.txt")
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / ".hidden").write_bytes(b"skipped")
    os.close(os.open(bytes(tmp_path) + b"/bad\xff.txt", os.O_CREAT | os.O_WRONLY))
    files, hashed = raw_files.inventory(tmp_path)
    ok = hashlib.sha256(b"ok").hexdigest()
    assert _rows(files) == {
        "bad\\xff.txt": (
            raw_files.unreadable_id("bad\\xff.txt"),
            "file name is not valid UTF-8 (shown with \\x escapes)",
        ),
        "broken.txt": (
            raw_files.unreadable_id("broken.txt"),
            "broken symlink to 'missing.txt': target does not exist (ENOENT)",
        ),
        "l1": (raw_files.unreadable_id("l1"), "symlink loop (ELOOP)"),
        "l2": (raw_files.unreadable_id("l2"), "symlink loop (ELOOP)"),
        "link.txt": (ok, None),
        "ok.txt": (ok, None),
        "pipe": (raw_files.unreadable_id("pipe"), "not a regular file (FIFO)"),
    }
    assert hashed == 2  # only the two readable files were opened (never the FIFO)
    assert raw_files.unreadable_id("l1") == hashlib.sha256(b"unreadable\0l1").hexdigest()


def test_a_directory_named_like_a_report_is_walked_into(tmp_path: Path):
    folder = tmp_path / "2019年报告.txt"
    folder.mkdir()
    (folder / "inner.txt").write_bytes(b"report")
    files, _ = raw_files.inventory(tmp_path)
    assert _rows(files) == {"2019年报告.txt/inner.txt": (hashlib.sha256(b"report").hexdigest(), None)}


def test_a_file_that_fails_to_read_is_recorded_and_tried_again(tmp_path: Path, monkeypatch):
    (tmp_path / "a.txt").write_bytes(b"a")
    (tmp_path / "locked.txt").write_bytes(b"locked")
    real = raw_files.sha256_file

    def denied(path: Path) -> str:
        if path.name == "locked.txt":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(raw_files, "sha256_file", denied)
    files, hashed = raw_files.inventory(tmp_path)
    assert hashed == 2
    assert _rows(files)["locked.txt"] == (raw_files.unreadable_id("locked.txt"), "permission denied (EACCES)")

    monkeypatch.setattr(raw_files, "sha256_file", real)
    again, hashed = raw_files.inventory(tmp_path, files)
    assert hashed == 1  # a.txt reuses its hash; locked.txt is read again although its mtime did not change
    assert _rows(again)["locked.txt"] == (hashlib.sha256(b"locked").hexdigest(), None)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 file anyway")
def test_a_file_without_read_permission_is_recorded(tmp_path: Path):
    locked = tmp_path / "locked.txt"
    locked.write_bytes(b"locked")
    locked.chmod(0)
    try:
        files, _ = raw_files.inventory(tmp_path)
    finally:
        locked.chmod(0o644)
    assert _rows(files) == {"locked.txt": (raw_files.unreadable_id("locked.txt"), "permission denied (EACCES)")}


def test_a_directory_that_cannot_be_listed_is_recorded(tmp_path: Path, monkeypatch):
    (tmp_path / "closed").mkdir()
    (tmp_path / "closed" / "inside.txt").write_bytes(b"x")
    (tmp_path / "a.txt").write_bytes(b"a")
    real = os.scandir

    def scandir(path):
        if Path(path).name == "closed":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(raw_files.os, "scandir", scandir)
    files, _ = raw_files.inventory(tmp_path)
    assert _rows(files) == {
        "a.txt": (hashlib.sha256(b"a").hexdigest(), None),
        "closed": (raw_files.unreadable_id("closed"), "directory cannot be listed: permission denied (EACCES)"),
    }


def test_a_missing_raw_dir_is_an_error(tmp_path: Path):
    with pytest.raises(FileNotFoundError):
        raw_files.inventory(tmp_path / "absent")


def test_fingerprint_changes_with_content_listing(tmp_path: Path):
    (tmp_path / "a.txt").write_text("x")
    first = raw_files.fingerprint(tmp_path)
    assert raw_files.fingerprint(tmp_path) == first
    (tmp_path / "b.txt").write_text("y")
    assert raw_files.fingerprint(tmp_path) != first
