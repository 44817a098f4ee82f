"""Periodic work: ratings feed the customers' satisfaction score (read by the grade rules)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="1", minute="50"))
def feed_satisfaction() -> int:
    """Nightly, before the grade recompute; idempotent (writes only the scores that change)."""
    from kefu.surveys.services import feed_satisfaction as feed

    return feed()
