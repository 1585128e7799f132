"""The xxgk_warehouse code location: assembles assets, checks, job, schedule, sensor and resources."""

import dagster as dg

from orchestration.defs.ingest.assets import raw_files, staged_reports
from orchestration.defs.ingest.resources import XxgkWarehouse
from orchestration.defs.quality.checks import rule_checks
from orchestration.defs.refresh.schedules import annual_refresh_schedule, refresh_job
from orchestration.defs.refresh.sensors import raw_dir_sensor
from orchestration.defs.transform.assets import xxgk_dbt_models
from orchestration.defs.transform.resources import dbt_resource

defs = dg.Definitions(
    assets=[raw_files, staged_reports, xxgk_dbt_models],
    asset_checks=rule_checks,
    jobs=[refresh_job],
    schedules=[annual_refresh_schedule],
    sensors=[raw_dir_sensor],
    resources={"warehouse": XxgkWarehouse(), "dbt": dbt_resource},
    executor=dg.in_process_executor,  # one XxgkWarehouse per run: UI-launched runs publish once, atomically
)
