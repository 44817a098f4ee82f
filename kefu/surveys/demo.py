"""A year of ratings and survey answers that make the satisfaction charts meaningful."""

from __future__ import annotations

from datetime import timedelta

from kefu.surveys import services
from kefu.surveys.models import Rating, SurveyTemplate
from kefu.worktime import clock

ORDER = 65
COMMENTS = ["师傅很专业,服务周到", "响应及时", "", "", "上门时间比约定晚", "问题解决了,谢谢", "希望再快一点"]
# Perceived service by tier and factor (key customers expect more; care lags for small ones).
PERCEIVED = {"key": 4, "major": 4, "ordinary": 3, "small": 3}


def load(ctx: dict) -> None:
    from kefu.complaints.models import Complaint
    from kefu.customers.models import Customer
    from kefu.tickets.models import Notification
    from kefu.workflow.choices import Stage

    rng = ctx["rng"]
    staff = ctx["staff"]
    now = clock.now()
    services_done = list(Notification.objects.filter(stage=Stage.COMPLETED).order_by("pk")[:400]) + list(
        Complaint.objects.filter(is_open=False, status__code="KSJA").order_by("pk")[:100]
    )
    rated = 0
    for service in services_done:
        closed = getattr(service, "completed_at", None) or getattr(service, "closed_at", None) or now
        issued_at = min(closed, now) - timedelta(days=rng.randint(0, 330))
        with clock.frozen(issued_at):
            rating = services.issue_rating(service)
        Rating.objects.filter(pk=rating.pk).update(
            issued_at=issued_at, expires_at=issued_at + timedelta(days=30)
        )
        if rng.random() < 0.82 and rating.rated_at is None:
            stars = rng.choices([1, 2, 3, 4, 5], weights=[2, 3, 10, 35, 50])[0]
            with clock.frozen(issued_at + timedelta(hours=rng.randint(1, 72))):
                services.submit_rating(
                    services.rating_token(rating), stars=stars, comment=rng.choice(COMMENTS)
                )
            rated += 1
    template = SurveyTemplate.objects.get(code="MYDC")
    needs = SurveyTemplate.objects.get(code="XQDC")
    actor = staff["relation"].user
    customers = list(Customer.objects.filter(is_active=True).order_by("pk")[:300])
    answered = 0
    for customer in rng.sample(customers, min(120, len(customers))):
        base = PERCEIVED.get(customer.tier or "ordinary", 3)
        answers = {}
        for code in ("F1", "F2", "F3", "F4", "F5"):
            expected = rng.choice([4, 4, 5, 5, 3])
            perceived = max(
                1, min(5, base + rng.choice([-1, 0, 0, 1]) - (1 if code == "F5" and base == 3 else 0))
            )
            answers[code] = {"expected": expected, "perceived": perceived}
        with clock.frozen(now - timedelta(days=rng.randint(1, 360))):
            services.record_response(actor=actor, template=template, customer=customer, answers=answers)
        answered += 1
    for customer in rng.sample(customers, min(30, len(customers))):
        with clock.frozen(now - timedelta(days=rng.randint(1, 360))):
            services.record_response(
                actor=actor,
                template=needs,
                customer=customer,
                answers={
                    "Q1": {"text": rng.choice(["定期保养", "新办公区整体配套", "会议室升级"])},
                    "Q4": {"value": rng.choice([3, 4, 5])},
                    "Q5": {"value": rng.choice([3, 4, 4, 5])},
                },
                collected="phone",
            )
    # The issue times above were set past the services: recount the results page's tallies.
    services.rebuild_tallies()
    ctx["stdout"].write(
        f"    {len(services_done)} ratings issued, {rated} rated, {answered} five-factor surveys"
    )
