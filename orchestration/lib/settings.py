"""Paths and limits of a deployment, from the environment (no hard-coded paths elsewhere).

``XXGK_RAW_DIR`` (default ``raw/``), ``XXGK_WAREHOUSE`` (default
``warehouse/xxgk.duckdb``) and ``DAGSTER_HOME`` (default ``.dagster_home/``);
relative values are taken from the project root, so Python and the dbt
subprocess (which runs inside ``dbt_project/``) always agree on one file.

``XXGK_MAX_FILE_BYTES`` (default 20 MB = 20,000,000 bytes): a raw file larger than
this is never read into a parse batch; staging quarantines it with reason
``too_large`` (and parses it on a later run if the limit is raised). Real annual
reports are tens of kilobytes; the limit bounds what one bad file can cost.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"
SEEDS_DIR = DBT_PROJECT_DIR / "seeds"


DEFAULT_MAX_FILE_BYTES = 20_000_000


def max_file_bytes() -> int:
    """XXGK_MAX_FILE_BYTES as a positive int (digits, ``_`` allowed), else DEFAULT_MAX_FILE_BYTES."""
    value = os.environ.get("XXGK_MAX_FILE_BYTES", "").strip()
    if not value:
        return DEFAULT_MAX_FILE_BYTES
    try:
        limit = int(value)
    except ValueError:
        raise ValueError(f"XXGK_MAX_FILE_BYTES must be a number of bytes, not {value!r}") from None
    if limit <= 0:
        raise ValueError(f"XXGK_MAX_FILE_BYTES must be positive, not {limit}")
    return limit


def _positive_int(name: str, default: int, what: str) -> int:
    """Environment variable ``name`` as a positive int, ``default`` when unset or empty."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ValueError(f"{name} must be a number of {what}, not {value!r}") from None
    if number <= 0:
        raise ValueError(f"{name} must be positive, not {number}")
    return number


def parse_workers() -> int:
    """XXGK_PARSE_WORKERS: processes that decode and parse a staging batch (default: the CPU count;
    1 parses in the calling process)."""
    return _positive_int("XXGK_PARSE_WORKERS", os.cpu_count() or 1, "processes")


def checks_memory_limit() -> str:
    """XXGK_CHECKS_MEMORY_LIMIT (default 1GB): DuckDB's memory limit while the rule checks read the
    evaluations (it spills beyond; at 100k reports 1GB and 2GB took the same 22 s)."""
    return os.environ.get("XXGK_CHECKS_MEMORY_LIMIT", "").strip() or "1GB"


def dbt_threads(*, full_build: bool) -> int:
    """dbt threads of a build. A refresh (XXGK_DBT_THREADS, default 2) builds few reports: its time is
    dbt's own per-node cost, and tests run side by side, one per core (at 100k reports a refresh's dbt
    took 16.3 s with 2 threads and 18.4 s with 4; 21.0 and 25.2 s in another pair of runs).
    A full build (XXGK_DBT_THREADS_FULL, default 1) builds every report: DuckDB already runs each query
    on every core, and models built side by side would share one memory_limit (at 100k reports two
    heavy models together ran out of a 2GB limit)."""
    if full_build:
        return _positive_int("XXGK_DBT_THREADS_FULL", 1, "threads")
    return _positive_int("XXGK_DBT_THREADS", 2, "threads")


def _resolve(value: str) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else (PROJECT_ROOT / path)


@dataclass(frozen=True)
class Settings:
    raw_dir: Path
    warehouse: Path
    dagster_home: Path
    max_file_bytes: int = field(default_factory=max_file_bytes)

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            raw_dir=_resolve(os.environ.get("XXGK_RAW_DIR", "raw")),
            warehouse=_resolve(os.environ.get("XXGK_WAREHOUSE", "warehouse/xxgk.duckdb")),
            dagster_home=_resolve(os.environ.get("DAGSTER_HOME", ".dagster_home")),
            max_file_bytes=max_file_bytes(),
        )

    def export(self) -> None:
        """Publish the resolved absolute paths to child processes (the dbt CLI reads XXGK_WAREHOUSE)."""
        os.environ["XXGK_RAW_DIR"] = str(self.raw_dir)
        os.environ["XXGK_WAREHOUSE"] = str(self.warehouse)
