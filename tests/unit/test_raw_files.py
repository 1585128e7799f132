from __future__ import annotations

import hashlib
import os
from pathlib import Path

from orchestration.lib import raw_files


def test_inventory_hashes_every_file_and_reuses_known_hashes(tmp_path: Path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_bytes(b"alpha")
    (tmp_path / "sub" / "b c.txt").write_bytes("乙".encode())
    files, hashed = raw_files.inventory(tmp_path)
    assert hashed == 2
    assert files["path"].to_list() == ["a.txt", "sub/b c.txt"]
    assert files["sha256"].to_list()[0] == hashlib.sha256(b"alpha").hexdigest()
    assert files["size_bytes"].to_list() == [5, 3]

    again, hashed = raw_files.inventory(tmp_path, files)
    assert hashed == 0 and again.equals(files)

    (tmp_path / "a.txt").write_bytes(b"alpha2")
    os.utime(tmp_path / "a.txt", ns=(10**18, 10**18))
    changed, hashed = raw_files.inventory(tmp_path, files)
    assert hashed == 1
    assert changed["sha256"][0] == hashlib.sha256(b"alpha2").hexdigest()


def test_symlinked_directories_are_not_followed(tmp_path: Path):
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    files, _ = raw_files.inventory(tmp_path)
    assert files["path"].to_list() == ["a.txt"]


def test_fingerprint_changes_with_content_listing(tmp_path: Path):
    (tmp_path / "a.txt").write_text("x")
    first = raw_files.fingerprint(tmp_path)
    assert raw_files.fingerprint(tmp_path) == first
    (tmp_path / "b.txt").write_text("y")
    assert raw_files.fingerprint(tmp_path) != first
