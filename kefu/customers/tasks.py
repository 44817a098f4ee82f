"""Nightly classification 客户分级: grades, the value pyramid and warnings (Huey periodic task)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from kefu.customers import services


def classify_all() -> dict:
    grades = services.recompute_grades(actor=None)
    tiers = services.recompute_pyramid(actor=None)
    flagged = services.recompute_anomalies(actor=None)
    return {"graded": grades, "tiers": {str(k): v for k, v in tiers.items()}, "flagged": flagged}


@db_periodic_task(crontab(hour="2", minute="30"))
def nightly_classification():
    """Idempotent: recomputing twice gives the same result, so a restart mid-way is harmless."""
    return classify_all()


@db_task()
def segment_customers(run_id: int) -> dict:
    """Compute a segmentation run recorded by `services.start_segmentation` (客户分类)."""
    from kefu.customers.models import SegmentRun

    run = services.run_segmentation(SegmentRun.objects.get(pk=run_id))
    return {"run": run.pk, "k": run.k, "customers": run.customer_count, "seconds": run.seconds}
