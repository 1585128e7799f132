"""Where the raw reports and the DuckDB warehouse live, and how a run writes it atomically.

A run holds the warehouse's run lock from start to end (a second run waits, then runs), and its
writer steps write a private working copy that is published by one atomic rename when the run ends
with every writer step finished. A failed or killed run leaves the published warehouse as it was.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg
from pydantic import PrivateAttr

from orchestration.lib import publish
from orchestration.lib.settings import Settings


@dataclass
class _RunState:
    warehouse: Path
    run_id: str
    log: Callable[[str], None]
    started: set[str] = field(default_factory=set)
    finished: set[str] = field(default_factory=set)

    @property
    def working(self) -> Path | None:
        return publish.owned_copy(self.warehouse, self.run_id)


class XxgkWarehouse(dg.ConfigurableResource):
    """Paths of the deployment. Unset fields fall back to XXGK_RAW_DIR / XXGK_WAREHOUSE (see README)."""

    raw_dir: str | None = None
    warehouse: str | None = None
    lock_timeout_seconds: float = 6 * 3600  # how long a run waits for another run on the same warehouse

    _run: _RunState | None = PrivateAttr(default=None)

    def settings(self) -> Settings:
        """Paths as configured; ``warehouse`` is the published file."""
        env = Settings.from_env()
        return Settings(
            raw_dir=Path(self.raw_dir).resolve() if self.raw_dir else env.raw_dir,
            warehouse=Path(self.warehouse).resolve() if self.warehouse else env.warehouse,
            dagster_home=env.dagster_home,
        )

    @contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext) -> Iterator[XxgkWarehouse]:
        if context.dagster_run is None:  # sensors, schedules: read-only, no lock
            yield self
            return
        db, run_id = self.settings().warehouse, context.run_id

        def waiting(holder: str) -> None:
            context.log.info(f"Waiting for {db}: another run is writing it ({holder})")

        owner = f"run {run_id} (pid {os.getpid()})"
        with publish.run_lock(db, owner, timeout=self.lock_timeout_seconds, on_wait=waiting):
            self._run = run = _RunState(db, run_id, context.log.info)
            published = False
            try:
                yield self
                unfinished = sorted(run.started - run.finished)
                if run.started and not unfinished:
                    published = publish.publish(db, run_id)
                    context.log.info(f"Published {db}" if published else f"{db}: nothing written")
                elif unfinished:
                    context.log.warning(f"{db} left unchanged: writer steps did not finish: {', '.join(unfinished)}")
            finally:
                if not published:
                    publish.discard(db, run_id)
                self._run = None

    def write_path(self, step: str) -> Path:
        """Start of a writer step: the run's working copy (the published file outside a run)."""
        if self._run is None:
            return self.settings().warehouse
        self._run.started.add(step)
        return publish.working_copy(self._run.warehouse, self._run.run_id, self._run.log)

    def step_done(self, step: str) -> None:
        if self._run is not None:
            self._run.finished.add(step)

    def dbt_target_path(self) -> Path:
        """dbt's target dir for this warehouse (artifacts and the partial-parse state), kept between runs."""
        db = self.settings().warehouse
        return db.with_name(db.name + ".dbt-target")

    def read_path(self) -> Path:
        """What readers of this run see: its working copy once written, else the published file."""
        working = self._run.working if self._run is not None else None
        return working or self.settings().warehouse

    @contextmanager
    def writing(self, context: dg.AssetExecutionContext, *, export_env: bool = False) -> Iterator[Path]:
        """A writer step's body: yields the path to write; the step counts as finished only if the body returns.

        ``export_env`` points XXGK_WAREHOUSE / XXGK_RAW_DIR at it for subprocesses (dbt) while the body runs.
        """
        step = context.op_execution_context.op.name
        path = self.write_path(step)
        saved = {key: os.environ.get(key) for key in ("XXGK_WAREHOUSE", "XXGK_RAW_DIR")}
        if export_env:
            os.environ.update(XXGK_WAREHOUSE=str(path), XXGK_RAW_DIR=str(self.settings().raw_dir))
        try:
            yield path
        finally:
            if export_env:
                for key, value in saved.items():
                    if value is None:
                        os.environ.pop(key, None)
                    else:
                        os.environ[key] = value
        self.step_done(step)
