"""The code location loads through workspace.yaml's module; job, sensor and schedule behave."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg
import pytest
import yaml

from tests.conftest import ROOT


def test_workspace_names_the_code_location():
    workspace = yaml.safe_load((ROOT / "workspace.yaml").read_text())
    module = workspace["load_from"][0]["python_module"]
    assert module == {
        "module_name": "orchestration.definitions",
        "location_name": "xxgk_warehouse",
        "working_directory": ".",
    }


def test_definitions_load_with_every_layer():
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert {
        "staging/raw_files",
        "staging/stg_reports",
        "staging/stg_indicator_values",
        "staging/stg_quarantine",
    } <= keys
    assert {
        "marts/dim_report",
        "marts/fct_indicator_value",
        "marts/fct_check_violation",
        "marts/mart_year",
    } <= keys
    groups = {graph.get(key).group_name for key in graph.get_all_asset_keys()}
    assert {"raw", "staging", "intermediate", "marts", "catalogues"} <= groups
    checks = {key.name for key in graph.asset_check_keys}
    assert "rule_pre_staff_total_sum" in checks and "rule_pre_non_negative" in checks
    job = defs.resolve_job_def("xxgk_refresh")
    assert job.executor_def.name == "in_process"
    assert defs.resolve_schedule_def("annual_refresh").cron_schedule == "0 3 5 4 *"
    assert defs.resolve_sensor_def("raw_dir_sensor").job_name == "xxgk_refresh"


def test_one_rule_check_per_seed_rule():
    from orchestration.defs.quality.checks import rule_checks
    from orchestration.lib.quality import load_rules

    names = sorted(spec.name for check in rule_checks for spec in check.check_specs)
    assert names == sorted(f"rule_{r}" for r in load_rules()["rule_id"])


def test_schedule_requests_the_refresh_job():
    from orchestration.definitions import defs

    schedule = defs.resolve_schedule_def("annual_refresh")
    with dg.build_schedule_context(scheduled_execution_time=None) as context:
        request = schedule.evaluate_tick(context).run_requests[0]
    assert schedule.job_name == "xxgk_refresh" and request is not None


def test_sensor_requests_a_run_only_when_raw_changes(tmp_path: Path, monkeypatch):
    from orchestration.definitions import defs
    from orchestration.defs.ingest.resources import XxgkWarehouse

    (tmp_path / "a.txt").write_text("one")
    monkeypatch.setenv("XXGK_RAW_DIR", str(tmp_path))
    sensor = defs.resolve_sensor_def("raw_dir_sensor")

    def tick(cursor):
        with dg.build_sensor_context(cursor=cursor, resources={"warehouse": XxgkWarehouse()}) as context:
            data = sensor.evaluate_tick(context)
        return data.run_requests, data.cursor

    requests, cursor = tick(None)
    assert len(requests) == 1 and requests[0].job_name in (None, "xxgk_refresh")
    requests, cursor2 = tick(cursor)
    assert requests == [] and cursor2 in (None, cursor)
    (tmp_path / "b.txt").write_text("two")
    requests, cursor3 = tick(cursor)
    assert len(requests) == 1 and cursor3 != cursor
    os.utime(tmp_path / "a.txt", ns=(1, 1))  # a changed file too
    requests, _ = tick(cursor3)
    assert len(requests) == 1


def test_dbt_build_skips_unit_and_catalogue_tests_and_can_rebuild_incremental_models():
    from orchestration.definitions import defs
    from orchestration.defs.transform.assets import CATALOGUE_TESTS, DbtBuildConfig, dbt_build_args, xxgk_dbt_models

    args = dbt_build_args(DbtBuildConfig())
    assert args[:3] == ["build", "--exclude-resource-type", "unit_test"] and args[3] == "--exclude"
    excluded = args[4].split()
    assert excluded == [*CATALOGUE_TESTS.values(), "tag:full_build_only"] and len(CATALOGUE_TESTS) == 74
    # a first build and a full refresh run the tests a refresh leaves out
    for full in (dbt_build_args(DbtBuildConfig(), built=False), dbt_build_args(DbtBuildConfig(full_refresh=True))):
        assert full[4].split() == list(CATALOGUE_TESTS.values())
    assert args[5:7] == ["--log-level-file", os.environ.get("DBT_LOG_LEVEL_FILE", "warn")]
    assert "not_null_indicator_catalogue_indicator_code" in excluded  # reads only a seed
    assert "assert_headline_columns_known" in excluded  # a singular test on a seed
    # a data test from a model to a seed tests data: it runs, and is an asset check of its model
    fk = "relationships_stg_xxgk__indicator_values_indicator_code__indicator_code__ref_indicator_catalogue_"
    assert fk not in excluded
    checks = {key.name for key in xxgk_dbt_models.check_keys}
    assert fk in checks and not checks & set(excluded)
    assert dbt_build_args(DbtBuildConfig(full_refresh=True))[-1] == "--full-refresh"
    # threads: a refresh of a built warehouse runs side by side, a first build or a full refresh one
    # model at a time (each as configured)
    with pytest.MonkeyPatch.context() as env:
        env.delenv("XXGK_DBT_THREADS", raising=False)
        env.delenv("XXGK_DBT_THREADS_FULL", raising=False)
        assert dbt_build_args(DbtBuildConfig())[7:9] == ["--threads", "2"]
        assert dbt_build_args(DbtBuildConfig(), built=False)[7:9] == ["--threads", "1"]
        assert dbt_build_args(DbtBuildConfig(full_refresh=True))[7:9] == ["--threads", "1"]
        env.setenv("XXGK_DBT_THREADS", "4")
        env.setenv("XXGK_DBT_THREADS_FULL", "3")
        assert dbt_build_args(DbtBuildConfig())[7:9] == ["--threads", "4"]
        assert dbt_build_args(DbtBuildConfig(), built=False)[7:9] == ["--threads", "3"]
        env.setenv("XXGK_DBT_THREADS", "none")
        with pytest.raises(ValueError, match="XXGK_DBT_THREADS must be a number of threads"):
            dbt_build_args(DbtBuildConfig())
    job = defs.resolve_job_def("xxgk_refresh")
    valid = {"ops": {"xxgk_dbt_models": {"config": {"full_refresh": True}}}}
    assert dg.validate_run_config(job, valid)["ops"]["xxgk_dbt_models"]["config"] == {"full_refresh": True}
    bad = {"ops": {"xxgk_dbt_models": {"config": {"full_refresh": "yes please"}}}}
    with pytest.raises(dg.DagsterInvalidConfigError):
        dg.validate_run_config(job, bad)


def test_each_full_build_only_test_is_checked_again_on_the_rows_a_refresh_builds():
    """A refresh leaves out a staging test only where an incremental model tests the same key on every
    row this run builds (where dbt_invocation_id = this run)."""
    from orchestration.defs.transform.assets import FULL_BUILD_ONLY_TAG, MANIFEST

    tests = [n for n in MANIFEST["nodes"].values() if n["resource_type"] == "test"]
    tagged = [n for n in tests if FULL_BUILD_ONLY_TAG in n["tags"]]
    assert [n["attached_node"] for n in tagged] == ["model.xxgk.stg_xxgk__indicator_values"]
    (stg_test,) = tagged
    key = stg_test["test_metadata"]["kwargs"]["combination_of_columns"]
    rechecked = [
        n
        for n in tests
        if n.get("attached_node") == "model.xxgk.fct_indicator_value"
        and n.get("test_metadata", {}).get("name") == "unique_combination_of_columns"
        and n["test_metadata"]["kwargs"]["combination_of_columns"] == key
    ]
    assert len(rechecked) == 1 and rechecked[0]["config"]["where"] == "dbt_invocation_id = __current_invocation__"
    assert FULL_BUILD_ONLY_TAG not in rechecked[0]["tags"]


def test_every_data_test_the_job_runs_is_an_asset_check_of_the_model_it_checks():
    """A singular test reading several models names its asset (meta dagster.ref): none is logged as a
    bare observation, each shows on its asset in the UI with the result of its last run."""
    from orchestration.defs.transform.assets import CATALOGUE_TESTS, MANIFEST, xxgk_dbt_models

    run = {
        n["name"] for uid, n in MANIFEST["nodes"].items() if n["resource_type"] == "test" and uid not in CATALOGUE_TESTS
    }
    by_name = {key.name: key.asset_key.to_user_string() for key in xxgk_dbt_models.check_keys}
    assert run == set(by_name)
    assert by_name["assert_violations_match_evaluations"] == "marts/fct_check_violation"
    assert by_name["assert_raw_files_accounted_for"] == "staging/stg_xxgk__raw_files"
    assert by_name["assert_incremental_rows_current"] == "intermediate/int_report_signatures"
    assert by_name["assert_mart_year_totals_add_up"] == "marts/mart_year"


def test_dbt_resource_reports_the_version_of_the_dbt_it_runs():
    """The resource takes dbt's version from the installed package instead of a `dbt --version`
    subprocess per run: both must name the same dbt."""
    import subprocess

    from packaging import version

    from orchestration.defs.transform.resources import dbt_resource

    out = subprocess.run([dbt_resource.dbt_executable, "--version"], capture_output=True, text=True, check=True)
    assert f"installed: {dbt_resource._cli_version}" in out.stdout.replace("- installed:", "installed:")
    assert dbt_resource._cli_version >= version.parse("1.8") and dbt_resource._cli_version.major < 2
