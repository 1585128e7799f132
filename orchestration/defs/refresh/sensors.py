"""Request a refresh when files in the raw dir are added, changed or removed."""

import dagster as dg

from orchestration.defs.ingest.resources import XxgkWarehouse
from orchestration.defs.refresh.schedules import refresh_job
from orchestration.lib.raw_files import fingerprint


@dg.sensor(
    name="raw_dir_sensor",
    job=refresh_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Fingerprints (path, size, mtime) of the raw dir; a new fingerprint requests one refresh run.",
)
def raw_dir_sensor(context: dg.SensorEvaluationContext, warehouse: XxgkWarehouse):
    raw_dir = warehouse.settings().raw_dir
    if not raw_dir.is_dir():
        return dg.SkipReason(f"raw dir {raw_dir} does not exist")
    current = fingerprint(raw_dir)
    if current == context.cursor:
        return dg.SkipReason("raw dir unchanged since the last requested run")
    context.update_cursor(current)
    return dg.RunRequest(run_key=current, tags={"xxgk/trigger": "raw_dir_sensor"})
