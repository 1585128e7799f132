"""Paths of a deployment, from the environment (no hard-coded paths elsewhere).

``XXGK_RAW_DIR`` (default ``raw/``), ``XXGK_WAREHOUSE`` (default
``warehouse/xxgk.duckdb``) and ``DAGSTER_HOME`` (default ``.dagster_home/``);
relative values are taken from the project root, so Python and the dbt
subprocess (which runs inside ``dbt_project/``) always agree on one file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"
SEEDS_DIR = DBT_PROJECT_DIR / "seeds"


def _resolve(value: str) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else (PROJECT_ROOT / path)


@dataclass(frozen=True)
class Settings:
    raw_dir: Path
    warehouse: Path
    dagster_home: Path

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            raw_dir=_resolve(os.environ.get("XXGK_RAW_DIR", "raw")),
            warehouse=_resolve(os.environ.get("XXGK_WAREHOUSE", "warehouse/xxgk.duckdb")),
            dagster_home=_resolve(os.environ.get("DAGSTER_HOME", ".dagster_home")),
        )

    def export(self) -> None:
        """Publish the resolved absolute paths to child processes (the dbt CLI reads XXGK_WAREHOUSE)."""
        os.environ["XXGK_RAW_DIR"] = str(self.raw_dir)
        os.environ["XXGK_WAREHOUSE"] = str(self.warehouse)
