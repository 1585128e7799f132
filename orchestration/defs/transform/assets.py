"""dbt models as Dagster assets: staging views → intermediate → marts, grouped by folder."""

import json
import os
from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, DbtProject, dbt_assets

from orchestration.defs.ingest.resources import XxgkWarehouse
from orchestration.defs.transform.resources import xxgk_dbt_project
from orchestration.lib import quality
from orchestration.lib.dbt_manifest import catalogue_tests
from orchestration.lib.settings import dbt_threads
from orchestration.lib.warehouse import is_built


class XxgkDbtTranslator(DagsterDbtTranslator):
    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "catalogues"
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else "marts"

    def get_asset_check_spec(
        self, asset_spec: dg.AssetSpec, manifest: Mapping[str, Any], unique_id: str, project: DbtProject | None
    ) -> dg.AssetCheckSpec | None:
        """Every data test is an asset check, except the catalogue tests, which the job does not run."""
        if unique_id in CATALOGUE_TESTS:
            return None
        return super().get_asset_check_spec(asset_spec, manifest, unique_id, project)


class DbtBuildConfig(dg.Config):
    full_refresh: bool = False  # rebuild the incremental models from scratch


#: Tests of code rather than data, run by `make test` (tests/integration/test_dbt_incremental.py builds
#: everything): the data tests that read only seeds, whose catalogues change only with a commit.
MANIFEST = json.loads(xxgk_dbt_project.manifest_path.read_text(encoding="utf-8"))  # parsed once, used twice
CATALOGUE_TESTS = catalogue_tests(MANIFEST)
#: Tests a refresh of a built warehouse leaves out (a first build and a full refresh run them).
FULL_BUILD_ONLY_TAG = "full_build_only"


def dbt_build_args(config: DbtBuildConfig, *, built: bool = True) -> list[str]:
    """Seeds, models and the data tests on data: no unit tests (they test SQL logic), no catalogue tests,
    and on a refresh no tests tagged full_build_only.

    ``built``: the warehouse was built before (this build is a refresh unless ``full_refresh``); the
    threads follow (settings.dbt_threads)."""
    full_build = config.full_refresh or not built
    # A refresh leaves out the tests tagged full_build_only: a test of an incremental model checks the
    # same property on every row the refresh builds (the YAML says which, per test).
    excluded = [*CATALOGUE_TESTS.values(), *([] if full_build else [f"tag:{FULL_BUILD_ONLY_TAG}"])]
    code_tests = ["--exclude-resource-type", "unit_test", "--exclude", " ".join(excluded)]
    # dbt.log gets warnings and errors only (dbt's output, node by node, is in the step's Dagster logs);
    # dbt's own DBT_LOG_LEVEL_FILE sets it (debug when investigating).
    file_log = ["--log-level-file", os.environ.get("DBT_LOG_LEVEL_FILE", "warn")]
    threads = ["--threads", str(dbt_threads(full_build=full_build))]
    return ["build", *code_tests, *file_log, *threads, *(["--full-refresh"] if config.full_refresh else [])]


@dbt_assets(
    manifest=MANIFEST,
    project=xxgk_dbt_project,
    dagster_dbt_translator=XxgkDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True)),
)
def xxgk_dbt_models(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: XxgkWarehouse, config: DbtBuildConfig
):
    """`dbt build` of seeds, models and data tests on this run's working copy of the warehouse (the dbt
    subprocess reads its path from XXGK_WAREHOUSE). Per-report models are incremental; dbt unit tests
    and the seeds' tests test code, which changes only with a commit, so they run in `make test`, not
    on every refresh. `full_refresh` rebuilds every incremental model (needed once after a change of
    their columns). dbt's artifacts go to the warehouse's own target dir, kept between runs (runs are
    serialised by the run lock), so dbt re-parses only what changed since the last run."""
    target = warehouse.dbt_target_path()
    quality.prepare_in_background()  # the rule checks run next; dbt runs in its own process meanwhile
    with warehouse.writing(context, export_env=True) as path:
        args = dbt_build_args(config, built=is_built(path))
        yield from dbt.cli(args, context=context, target_path=target).stream()
