"""`python -m orchestration.run`: run the xxgk_refresh job (the one the UI, sensor and schedule run)
in-process on the configured raw dir and warehouse, then print a short summary."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from orchestration.lib import warehouse
from orchestration.lib.settings import Settings

SUMMARY_SQL = """
select
    (select count(*) from staging.raw_files) as files_seen,
    (select count(*) from marts.dim_report) as reports_parsed,
    (select count(*) from staging.stg_quarantine) as contents_quarantined,
    (select count(*) from marts.fct_indicator_value where value is not null) as values_loaded,
    (select count(*) from marts.fct_check_violation) as check_violations
"""


def ensure_dagster_home(settings: Settings) -> None:
    settings.dagster_home.mkdir(parents=True, exist_ok=True)
    config = settings.dagster_home / "dagster.yaml"
    if not config.exists():
        shutil.copy(Path(__file__).with_name("dagster.yaml"), config)


def main() -> int:
    settings = Settings.from_env()
    settings.export()
    ensure_dagster_home(settings)
    os.environ["DAGSTER_HOME"] = str(settings.dagster_home)

    from dagster import DagsterInstance

    from orchestration.definitions import defs

    with DagsterInstance.get() as instance:
        result = defs.resolve_job_def("xxgk_refresh").execute_in_process(
            instance=instance,
            raise_on_error=False,
            run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}},
        )
    failed = sorted(e.check_name for e in result.get_asset_check_evaluations() if not e.passed)
    print(f"\nxxgk_refresh {'succeeded' if result.success else 'FAILED'} (run {result.run_id})")
    print(f"  raw dir:               {settings.raw_dir}")
    print(f"  warehouse:             {settings.warehouse}")
    if not settings.warehouse.exists():
        return 1
    summary = warehouse.query(settings.warehouse, SUMMARY_SQL).row(0, named=True)
    for key, value in summary.items():
        print(f"  {key.replace('_', ' '):<22} {value}")
    print(f"  failed checks:         {', '.join(failed) if failed else 'none'}")
    return 0 if result.success else 1


if __name__ == "__main__":
    sys.exit(main())
