"""Periodic work: ratings feed the customers' satisfaction score (read by the grade rules); the
results' tallies are recounted for the last two days; the December new-needs campaign (seed 004)
is started on 1 December and sent in batches."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_periodic_task(crontab(hour="1", minute="50"))
def feed_satisfaction() -> int:
    """Nightly, before the grade recompute; idempotent (writes only the scores that change)."""
    from kefu.surveys.services import feed_satisfaction as feed

    return feed()


@db_periodic_task(crontab(hour="1", minute="40"))
def recount_tallies() -> dict[str, int]:
    """Nightly safety net: recount yesterday's and today's rating and answer tallies from the rows
    (the services keep them exact; this repairs a recent write that went past them)."""
    from datetime import timedelta

    from kefu.surveys.services import rebuild_tallies
    from kefu.surveys.tallies import local_day
    from kefu.worktime import clock

    today = local_day(clock.now())
    return rebuild_tallies(today - timedelta(days=1), today)


@db_task()
def send_campaign(campaign_id: int) -> int:
    """Send a campaign batch by batch (each batch commits its mails and its cursor); in the
    immediate mode of tests and single-process runs the loop runs here until the end."""
    from kefu.surveys.services import send_campaign_batch

    batches = 0
    while send_campaign_batch(campaign_id):
        batches += 1
    return batches


@db_periodic_task(crontab(month="12", day="1", hour="9", minute="0"))
def december_new_needs_campaign():
    """Seed 004 新需求管理制度: every December ask every customer for next year's needs. Starting
    twice (a restart, a hand start) sends nothing twice."""
    from kefu.surveys.services import start_campaign

    return start_campaign(actor=None).pk
