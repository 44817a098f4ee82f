"""Huey tasks of service notifications."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="17", hour="3"))
def refresh_planner_statistics() -> None:
    """Nightly: keep the database's statistics current, so worklists keep using their indexes
    (SQLite has none until ANALYZE; `PRAGMA optimize` only re-analyses what changed)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA optimize" if connection.vendor == "sqlite" else "ANALYZE tickets_notification")


@db_periodic_task(crontab(minute="*"))
def escalate_late_clocks() -> int:
    """Every minute: late service clocks to the supervisor, later to the manager (each once,
    whatever the restarts; kefu.worktime.escalation)."""
    from kefu.tickets.services import escalate_late_clocks as sweep

    return sweep()
