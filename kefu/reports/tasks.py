"""Periodic work: the monthly service supervision report, generated and mailed to the general
manager. Runs every morning: the first run of a month does the work; a month whose run was
missed (consumer down) is caught up once at the next run; later runs find it archived and mailed."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="7", minute="5"))
def monthly_supervision_report() -> str:
    from kefu.reports.services import run_monthly_report

    report = run_monthly_report()
    return str(report) if report else ""


@db_periodic_task(crontab(minute="*/10"))
def refresh_cockpit_counts() -> int:
    """Every ten minutes: the cockpit's pre-aggregated counts (read instead of a million rows)."""
    from kefu.reports.services import refresh_cockpit

    return refresh_cockpit()
