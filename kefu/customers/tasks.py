"""Nightly classification 客户分级: grades, the value pyramid and warnings (Huey periodic task)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from kefu.customers import services


def classify_all() -> dict:
    grades = services.recompute_grades(actor=None)
    chain = services.recompute_value_classification(actor=None)
    return {
        "graded": grades,
        "values": chain["values"],
        "tiers": {str(k): v for k, v in chain["tiers"].items()},
        "key": chain["key"],
        "flagged": chain["flagged"],
        "warned": chain["warned"],
    }


@db_task()
def recompute_values_after_feed() -> dict:
    """After a sales import: values, the pyramid, key customers and value-drop warnings, once."""
    return services.recompute_value_classification(actor=None)


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
