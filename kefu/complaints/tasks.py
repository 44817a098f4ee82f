"""Periodic work: escalate late complaint and accident steps (idempotent, restart-safe)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="*"))
def escalate_late_steps() -> int:
    """Every minute; running it twice, or after downtime, escalates each late step exactly once."""
    from kefu.complaints.services import escalate_late

    return escalate_late()


@db_periodic_task(crontab(hour="2", minute="15"))
def recount_customer_complaints() -> int:
    """Nightly: complaints of the last 90 days per customer, for the archive's anomaly warning."""
    from kefu.complaints.services import recount_customer_complaints as recount

    return recount()
