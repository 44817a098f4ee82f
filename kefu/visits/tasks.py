"""Periodic work: plan the month's return visits and the visits after closed complaints (idempotent)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="1", minute="20"))
def plan_visits() -> int:
    """Nightly: running it every night (or twice) adds only the visits still missing this month."""
    from kefu.visits.services import generate_visits, plan_after_closed_complaints

    return generate_visits().created + plan_after_closed_complaints()
