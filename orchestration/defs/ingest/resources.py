"""Where the raw reports and the DuckDB warehouse live (env-driven, overridable per run)."""

from pathlib import Path

import dagster as dg

from orchestration.lib.settings import Settings

#: Every asset that writes the DuckDB file runs in this pool, limited to one at a time.
WRITER_POOL = "duckdb_writer"


class XxgkWarehouse(dg.ConfigurableResource):
    """Paths of the deployment. Unset fields fall back to XXGK_RAW_DIR / XXGK_WAREHOUSE (see README)."""

    raw_dir: str | None = None
    warehouse: str | None = None

    def settings(self) -> Settings:
        env = Settings.from_env()
        return Settings(
            raw_dir=Path(self.raw_dir).resolve() if self.raw_dir else env.raw_dir,
            warehouse=Path(self.warehouse).resolve() if self.warehouse else env.warehouse,
            dagster_home=env.dagster_home,
        )
