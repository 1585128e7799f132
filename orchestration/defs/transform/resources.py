"""The dbt project as Dagster sees it. The manifest is prepared at build time
(``make manifest`` runs ``dbt parse``; ``dagster dev`` prepares it when missing), never on import."""

from dagster_dbt import DbtCliResource, DbtProject

from orchestration.lib.settings import DBT_PROJECT_DIR, PROJECT_ROOT

xxgk_dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
xxgk_dbt_project.prepare_if_dev()

dbt_resource = DbtCliResource(
    project_dir=xxgk_dbt_project,
    profiles_dir=str(DBT_PROJECT_DIR),
    dbt_executable=str(PROJECT_ROOT / ".venv" / "bin" / "dbt")
    if (PROJECT_ROOT / ".venv" / "bin" / "dbt").exists()
    else "dbt",
)
