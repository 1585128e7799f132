"""The dbt project as Dagster sees it. The manifest is prepared at build time
(``make manifest`` runs ``dbt parse``; ``dagster dev`` prepares it when missing), never on import."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from importlib.metadata import version as installed_version

from dagster_dbt import DbtCliResource, DbtProject
from packaging import version

from orchestration.lib.settings import DBT_PROJECT_DIR, PROJECT_ROOT

xxgk_dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
xxgk_dbt_project.prepare_if_dev()

VENV_DBT = PROJECT_ROOT / ".venv" / "bin" / "dbt"


class XxgkDbtCliResource(DbtCliResource):
    """DbtCliResource without two start-up costs of every dbt step (≈ 3.5 s of a refresh), neither of
    which this project uses:

    * the dbt version comes from the installed dbt-core package instead of a ``dbt --version``
      subprocess (the executable is this environment's, pinned in requirements.lock; a test checks
      both agree);
    * no in-process dbt adapter is opened: dagster-dbt needs it only for ``fetch_column_metadata`` and
      ``fetch_row_counts``, which these assets do not call.
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(installed_version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:
        return None


dbt_resource = XxgkDbtCliResource(
    project_dir=xxgk_dbt_project,
    profiles_dir=str(DBT_PROJECT_DIR),
    dbt_executable=str(VENV_DBT) if VENV_DBT.exists() else "dbt",
)
