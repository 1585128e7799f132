"""Peak resident memory of a whole process tree, sampled: the job and every process it starts (dbt).

``watch`` polls a started subprocess until it exits. Every ``interval`` seconds it sums the RSS of the
process and all its descendants (found afresh at each sample, so a dbt started late is counted) and keeps
the peak of that sum, the peak per role (``job``: the started process; ``dbt``: a descendant whose command
line names dbt; ``other``), and the largest high-water mark (VmHWM, kept by the kernel, so no spike is missed)
of any single process. The sum of RSS counts pages shared between processes once per process, so it bounds
the tree's footprint from above.
"""

from __future__ import annotations

import contextlib
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

MB = 2**20


def _hwm(pid: int) -> int:
    """VmHWM of a process in bytes (0 where /proc is not available)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path(f"/proc/{pid}/status").read_text(encoding="ascii", errors="replace").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def _role(proc: psutil.Process, root: int) -> str:
    if proc.pid == root:
        return "job"
    with contextlib.suppress(psutil.Error):
        if any("dbt" in Path(part).name for part in proc.cmdline()[:3]):
            return "dbt"
    return "other"


@dataclass
class TreeMemory:
    """What ``sample`` has seen of one process tree."""

    root: psutil.Process
    peak: int = 0
    samples: int = 0
    peak_by_role: dict[str, int] = field(default_factory=dict)
    max_process_hwm: int = 0
    processes: set[int] = field(default_factory=set)
    _roles: dict[int, str] = field(default_factory=dict)

    def sample(self) -> int:
        """One sample: the tree's current RSS sum (bytes); updates the peaks."""
        total, by_role = 0, {"job": 0, "dbt": 0, "other": 0}
        try:
            procs = [self.root, *self.root.children(recursive=True)]
        except psutil.Error:
            return 0
        for p in procs:
            with contextlib.suppress(psutil.Error):
                rss = p.memory_info().rss
                role = self._roles.setdefault(p.pid, _role(p, self.root.pid))
                total += rss
                by_role[role] += rss
                self.processes.add(p.pid)
                self.max_process_hwm = max(self.max_process_hwm, _hwm(p.pid))
        self.samples += 1
        self.peak = max(self.peak, total)
        for role, rss in by_role.items():
            self.peak_by_role[role] = max(self.peak_by_role.get(role, 0), rss)
        return total

    def summary(self) -> dict[str, object]:
        """peak_rss_mb (the tree), per role, the largest single-process high-water mark, samples, processes."""
        return {
            "peak_rss_mb": round(max(self.peak, self.max_process_hwm) / MB, 1),
            "sampled_tree_peak_mb": round(self.peak / MB, 1),
            "peak_by_role_mb": {k: round(v / MB, 1) for k, v in self.peak_by_role.items()},
            "max_process_hwm_mb": round(self.max_process_hwm / MB, 1),
            "samples": self.samples,
            "processes": len(self.processes),
        }


def watch(proc: subprocess.Popen[bytes], interval: float = 0.1) -> dict[str, object]:
    """Sample the tree of ``proc`` until it exits; its memory summary (see ``TreeMemory.summary``)."""
    mem = TreeMemory(psutil.Process(proc.pid))
    while proc.poll() is None:
        mem.sample()
        time.sleep(interval)
    return mem.summary() | {"interval_s": interval}
