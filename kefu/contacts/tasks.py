"""Periodic work: the first-contact sweep (idempotent, restart-safe)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="*/5"))
def sweep_contacts() -> int:
    """Every five minutes: flag contacts with no owner or no answer in time, and repeats."""
    from kefu.contacts.services import sweep

    return sweep()
