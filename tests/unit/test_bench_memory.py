"""Peak RSS of a process tree (bench/bench_memory.py): a grandchild named dbt is counted, under its role, and
a spike it freed before any sample is still seen through its high-water mark."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from bench.bench_memory import MB, TreeMemory

SIZE_MB = 200
# The grandchild, in a script named `dbt`: hold (or allocate and free) SIZE_MB, say so, wait for stdin's end.
GRANDCHILD = """
import sys
data = b"\\x01" * ({size} * 2**20)
if sys.argv[1] == "free":
    del data
print("ready", flush=True)
sys.stdin.read()
"""
# The child (the "job"): start the grandchild on the same stdin/stdout and wait for it.
CHILD = "import subprocess, sys; sys.exit(subprocess.call([sys.executable, sys.argv[1], sys.argv[2]]))"


@pytest.fixture()
def tree(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[subprocess.Popen[str]]:
    script = tmp_path / "dbt"
    script.write_text(GRANDCHILD.format(size=SIZE_MB), encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(script), request.param],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    yield proc
    assert proc.stdin is not None
    proc.stdin.close()
    assert proc.wait() == 0


@pytest.mark.parametrize("tree", ["hold"], indirect=True)
def test_the_dbt_grandchild_is_in_the_tree_sum(tree: subprocess.Popen[str]) -> None:
    mem = TreeMemory(psutil.Process(tree.pid))
    total = mem.sample()
    summary = mem.summary()
    assert summary["processes"] == 2 and summary["samples"] == 1
    roles = summary["peak_by_role_mb"]
    assert isinstance(roles, dict)
    assert roles["dbt"] >= SIZE_MB and roles["job"] < SIZE_MB and roles["other"] == 0
    assert total == mem.peak and total / MB >= roles["dbt"] + roles["job"] - 0.1
    assert summary["peak_rss_mb"] == round(total / MB, 1)


@pytest.mark.parametrize("tree", ["free"], indirect=True)
def test_a_freed_spike_counts_through_the_high_water_mark(tree: subprocess.Popen[str]) -> None:
    mem = TreeMemory(psutil.Process(tree.pid))
    total = mem.sample()
    summary = mem.summary()
    assert total / MB < SIZE_MB  # the 200 MB are gone by the time of the sample
    assert summary["max_process_hwm_mb"] >= SIZE_MB and summary["peak_rss_mb"] == summary["max_process_hwm_mb"]


def test_a_gone_process_gives_an_empty_sample() -> None:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    mem = TreeMemory(psutil.Process(proc.pid))
    proc.wait()
    assert mem.sample() == 0 and mem.summary()["samples"] == 0
