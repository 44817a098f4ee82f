"""Read side of satisfaction: evaluation rate per centre and person, results by factor, tier and centre."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import QuerySet, Sum

from kefu.customers.choices import Tier
from kefu.surveys.choices import Factor
from kefu.surveys.models import AnswerTally, Rating, RatingTally, SurveyResponse

SH = ZoneInfo("Asia/Shanghai")
TARGET_RATE = 80  # seed 004: at least 80 % of services rated 客户评价率应达到80%以上


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return datetime.combine(start, time.min, tzinfo=SH), datetime.combine(
        end + timedelta(days=1), time.min, tzinfo=SH
    )


def ratings_for(user) -> QuerySet[Rating]:
    return Rating.objects.visible_to(user)


# The results read the daily tallies (kefu.surveys.tallies), never the millions of ratings and
# answers: a period of Asia/Shanghai days is a range of tally days, a mean is a sum ÷ a count.


def evaluation_rate(user, start: date, end: date, *, by: str = "office") -> list[dict]:
    """评价率 per responsibility centre (`office`) or rated person (`staff`) of the ratings issued
    in the period: rated ÷ issued, in %, with the low ratings and the mean stars among them."""
    key, label = ("sales_office_id", "sales_office__name") if by == "office" else ("staff_id", "staff__name")
    rows = list(
        RatingTally.objects.visible_to(user)
        .filter(day__gte=start, day__lte=end)
        .values(key, label)
        .annotate(issued=Sum("issued"), rated=Sum("rated"), low=Sum("low"), stars_sum=Sum("stars_sum"))
        .filter(issued__gt=0)  # a key with only ratings submitted in the period, issued before
        .order_by(label)
    )
    for row in rows:
        stars_sum = row.pop("stars_sum")
        row["name"] = row.get(label) or "—"
        row["rate"] = rate(row["rated"], row["issued"])
        row["meets_target"] = row["rate"] is not None and row["rate"] >= TARGET_RATE
        row["stars"] = round(stars_sum / row["rated"], 2) if row["rated"] else None
    return rows


def rate(rated: int, issued: int) -> float | None:
    return round(100 * rated / issued, 1) if issued else None


def stars_distribution(user, start: date, end: date) -> list[int]:
    """How many ratings submitted in the period gave 1, 2, 3, 4 and 5 stars."""
    sums = (
        RatingTally.objects.visible_to(user)
        .filter(day__gte=start, day__lte=end)
        .aggregate(**{f"s{i}": Sum(f"stars_{i}") for i in range(1, 6)})
    )
    return [sums[f"s{i}"] or 0 for i in range(1, 6)]


def _answers(user, start: date, end: date, template_code: str | None = None) -> QuerySet[AnswerTally]:
    """The answer tallies (answers with a satisfaction) of responses in scope and period."""
    tallies = AnswerTally.objects.visible_to(user).filter(day__gte=start, day__lte=end)
    if template_code:
        tallies = tallies.filter(template__code=template_code)
    return tallies


def _mean(total, n: int) -> float | None:
    return round(total / n, 2) if n else None


def factor_results(user, start: date, end: date) -> list[dict]:
    """Per factor: mean expected, mean perceived and mean satisfaction (perceived − expected)."""
    data = {
        row["factor"]: row
        for row in _answers(user, start, end)
        .values("factor")
        .annotate(
            n=Sum("n"), expected=Sum("expected_sum"), perceived=Sum("perceived_sum"), gap=Sum("gap_sum")
        )
        .order_by()
    }
    out = []
    for code, label in Factor.choices:
        row: dict = dict(data.get(code) or {})
        n = row.get("n") or 0
        out.append(
            {
                "factor": code,
                "label": str(label),
                "n": n,
                "expected": _mean(row.get("expected"), n),
                "perceived": _mean(row.get("perceived"), n),
                "gap": _mean(row.get("gap"), n),
            }
        )
    return out


def gap_by(user, start: date, end: date, *, group: str) -> list[dict]:
    """Mean satisfaction (perceived − expected) per customer tier (`tier`) or centre (`office`)."""
    field = "customer_tier" if group == "tier" else "sales_office__name"
    rows = list(
        _answers(user, start, end).values(field).annotate(n=Sum("n"), gap=Sum("gap_sum")).order_by(field)
    )
    labels = dict(Tier.choices)
    return [
        {
            "name": str(labels.get(r[field], r[field] or "—")) if group == "tier" else (r[field] or "—"),
            "n": r["n"],
            "gap": _mean(r["gap"], r["n"]),
        }
        for r in rows
    ]


def campaigns():
    """Survey campaigns, newest first, with their progress counters."""
    from django.db.models import Count, Q

    from kefu.surveys.models import SurveyCampaign

    return (
        SurveyCampaign.objects.select_related("template")
        .annotate(answered_count=Count("invitations", filter=Q(invitations__answered_at__isnull=False)))
        .order_by("-started_at", "-pk")
    )


def campaign_progress(campaign) -> dict:
    from kefu.customers.models import Customer
    from kefu.surveys.models import SurveyInvitation

    answered = SurveyInvitation.objects.filter(campaign=campaign, answered_at__isnull=False).count()
    remaining = (
        0
        if campaign.finished_at
        else Customer.objects.filter(is_active=True, pk__gt=campaign.cursor).order_by()[:1_000_001].count()
    )
    return {
        "id": campaign.pk,
        "code": campaign.code,
        "survey": campaign.template.name,
        "year": campaign.year,
        "started_at": campaign.started_at,
        "finished_at": campaign.finished_at,
        "total": campaign.total,
        "sent": campaign.sent,
        "without_email": campaign.without_email,
        "answered": answered,
        "remaining": remaining,
        "done": campaign.finished_at is not None,
    }


def unrated_services(user, since: datetime, *, limit: int = 5000) -> list[dict]:
    """Closed services since `since` whose rating link got no answer: the satisfaction calls 满意度回访
    of an outbound call list (kefu.contacts). One row per customer, the latest service."""
    rows = (
        Rating.objects.visible_to(user)
        .filter(stars__isnull=True, issued_at__gte=since)
        .order_by("-issued_at", "-pk")
        .values_list("customer_id", "number")[: limit * 2]
    )
    seen: dict[int, dict] = {}
    for customer_id, number in rows:
        seen.setdefault(customer_id, {"customer": customer_id, "reference": f"{number}"})
    return list(seen.values())[:limit]


NEEDS_SURVEY = "XNXQ"  # seed 004: the December new-needs survey 次年需求计划


def needs_survey_missing(user, year: int, *, limit: int = 5000) -> list[dict]:
    """Active customers in scope without an answered December needs survey for `year`, key
    customers first (the year-end survey's call list)."""
    from kefu.customers.models import Customer

    lo, hi = _bounds(date(year, 1, 1), date(year, 12, 31))
    answered = SurveyResponse.objects.filter(
        template__code=NEEDS_SURVEY, answered_at__gte=lo, answered_at__lt=hi
    ).values("customer_id")
    rows = (
        Customer.objects.visible_to(user)
        .filter(is_active=True)
        .exclude(pk__in=answered)
        .order_by("-is_key_account", "number")
        .values_list("pk", flat=True)[:limit]
    )
    return [{"customer": pk, "reference": f"{NEEDS_SURVEY} {year}"} for pk in rows]
