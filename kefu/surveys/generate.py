"""`manage.py generate --ratings N`: bulk service ratings and five-factor answers for benchmarks."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

ORDER = 75


def add_arguments(parser) -> None:
    parser.add_argument("--ratings", type=int, default=0, help="Number of service ratings to generate.")


def run(options: dict, ctx: dict) -> int:
    total = options.get("ratings") or 0
    if not total:
        return 0
    from django.contrib.contenttypes.models import ContentType

    from kefu.core.bulkload import analyze
    from kefu.customers.models import Customer
    from kefu.surveys import services
    from kefu.surveys.models import Rating, SurveyAnswer, SurveyResponse, SurveyTemplate
    from kefu.tickets.models import Notification
    from kefu.worktime import clock

    rng = ctx["rng"]
    batch_size = ctx.get("batch", 5000)
    ct = ContentType.objects.get_for_model(Notification)
    customers = list(
        Customer.objects.values_list("pk", "sales_office_id", "responsible_id", "tier")[:200_000]
    )
    template = SurveyTemplate.objects.get(code="MYDC")
    questions = list(template.questions.exclude(factor=""))
    now = clock.now()
    # generated ratings point at object ids far above real notifications (one rating per service)
    base = 10_000_000_000 + Rating.objects.count()
    made, started = 0, time.perf_counter()
    while made < total:
        rows, responses = [], []
        for i in range(min(batch_size, total - made)):
            cust_id, office_id, staff_id, tier = rng.choice(customers)
            issued = now - timedelta(minutes=rng.randint(0, 365 * 24 * 60))
            rated = rng.random() < 0.82
            rows.append(
                Rating(
                    content_type=ct,
                    object_id=base + made + i,
                    kind="notification",
                    number=f"G{base + made + i}",
                    customer_id=cust_id,
                    sales_office_id=office_id,
                    staff_id=staff_id,
                    nonce=uuid.UUID(int=rng.getrandbits(128)).hex,
                    issued_at=issued,
                    expires_at=issued + timedelta(days=30),
                    stars=rng.choices([1, 2, 3, 4, 5], weights=[2, 3, 10, 35, 50])[0] if rated else None,
                    rated_at=issued + timedelta(hours=rng.randint(1, 72)) if rated else None,
                )
            )
            if i % 10 == 0:
                responses.append(
                    SurveyResponse(
                        template=template,
                        customer_id=cust_id,
                        sales_office_id=office_id,
                        customer_tier=tier or "",
                        answered_at=issued,
                        collected="phone",
                    )
                )
        Rating.objects.bulk_create(rows, batch_size=batch_size)
        SurveyResponse.objects.bulk_create(responses, batch_size=batch_size)
        answers = []
        for response in responses:
            for q in questions:
                expected, perceived = rng.choice([3, 4, 5]), rng.choice([2, 3, 4, 5])
                answers.append(
                    SurveyAnswer(
                        response=response,
                        question=q,
                        factor=q.factor,
                        expected=expected,
                        perceived=perceived,
                        gap=perceived - expected,
                    )
                )
        SurveyAnswer.objects.bulk_create(answers, batch_size=batch_size)
        made += len(rows)
        if ctx.get("stdout") and made % (batch_size * 10) == 0:
            ctx["stdout"].write(f"    ratings: {made}/{total} ({time.perf_counter() - started:.0f}s)")
    # Fresh statistics for the planner (PostgreSQL took the busiest customer's answers for 784
    # rows and walked the whole answered-at index: 149 ms on the customer's story page).
    analyze(Rating._meta.db_table, SurveyResponse._meta.db_table, SurveyAnswer._meta.db_table)
    # The rows went in past the services: the results page's tallies are recounted from them.
    counted = services.rebuild_tallies()
    if ctx.get("stdout"):
        ctx["stdout"].write(
            f"    tallies: {counted['ratings']} rating rows, {counted['answers']} answer rows "
            f"({time.perf_counter() - started:.0f}s)"
        )
    return made
