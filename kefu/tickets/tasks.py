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
