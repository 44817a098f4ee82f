"""Huey tasks of core: big exports, and the sweep that finds exports whose worker died."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from kefu.core import exports


@db_task()
def run_export_task(job_id: int) -> None:
    exports.run_export(job_id)


@db_periodic_task(crontab(minute="*"))
def sweep_exports_task() -> None:
    exports.sweep_exports()
