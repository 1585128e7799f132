"""dbt models as Dagster assets: staging views → intermediate → marts, grouped by folder."""

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from orchestration.defs.ingest.resources import XxgkWarehouse
from orchestration.defs.transform.resources import xxgk_dbt_project


class XxgkDbtTranslator(DagsterDbtTranslator):
    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "catalogues"
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else "marts"


class DbtBuildConfig(dg.Config):
    full_refresh: bool = False  # rebuild the incremental models from scratch


def dbt_build_args(config: DbtBuildConfig) -> list[str]:
    """Seeds, models and data tests; unit tests run in `make test` (they test SQL, not data)."""
    return ["build", "--exclude-resource-type", "unit_test", *(["--full-refresh"] if config.full_refresh else [])]


@dbt_assets(
    manifest=xxgk_dbt_project.manifest_path,
    project=xxgk_dbt_project,
    dagster_dbt_translator=XxgkDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True)),
)
def xxgk_dbt_models(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: XxgkWarehouse, config: DbtBuildConfig
):
    """`dbt build` of seeds, models and data tests on this run's working copy of the warehouse (the dbt
    subprocess reads its path from XXGK_WAREHOUSE). Per-report models are incremental; dbt unit tests
    test SQL logic, which changes only with code, so they run in `make test`, not on every refresh.
    `full_refresh` rebuilds every incremental model (needed once after a change of their columns)."""
    with warehouse.writing(context, export_env=True):
        yield from dbt.cli(dbt_build_args(config), context=context).stream()
