"""The formulas of measured indicators 考核指标公式, by code. An Indicator row names one of them.

Each formula reads the records of one subject (a staff member, or a responsibility centre) over
one period [lo, hi) and returns a Measure. A rate whose denominator is zero, or a time with no
case to measure, has value None and is shown "—": no data is never scored as a good or bad figure.
Every formula is deterministic (fixed period bounds, no "now"), so re-running a period gives the
same figures.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.complaints.models import Complaint
from kefu.tickets.models import Notification
from kefu.timeline.models import TimelineEvent
from kefu.workflow.choices import Stage
from kefu.workflow.events import TRANSITION

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Subject:
    """Whose records: one staff member's (person responsible / complaint owner) or one centre's."""

    staff_id: int | None = None
    office_id: int | None = None


@dataclass(frozen=True)
class Measure:
    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None


def q2(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def ratio(numerator: int, denominator: int) -> Measure:
    """A percentage; "—" (None) when there is nothing to divide by."""
    if not denominator:
        return Measure(None, Decimal(numerator), Decimal(denominator))
    return Measure(
        q2(Decimal(numerator) * 100 / Decimal(denominator)), Decimal(numerator), Decimal(denominator)
    )


def notifications_of(subject: Subject) -> QuerySet[Notification]:
    """A person's notifications (person responsible), a centre's, or (neither set) the company's."""
    qs = Notification.objects.all()
    if subject.staff_id is not None:
        return qs.filter(responsible_id=subject.staff_id)
    if subject.office_id is not None:
        return qs.filter(sales_office_id=subject.office_id)
    return qs


def complaints_of(subject: Subject) -> QuerySet[Complaint]:
    """A person's complaints (owner), a centre's, or (neither set) the company's."""
    qs = Complaint.objects.all()
    if subject.staff_id is not None:
        return qs.filter(owner_id=subject.staff_id)
    if subject.office_id is not None:
        return qs.filter(sales_office_id=subject.office_id)
    return qs


def _closed(subject: Subject, lo: datetime, hi: datetime) -> QuerySet[Notification]:
    return notifications_of(subject).filter(stage=Stage.COMPLETED, completed_at__gte=lo, completed_at__lt=hi)


def notifications_closed(subject: Subject, lo: datetime, hi: datetime) -> Measure:
    """Notifications completed in the period 完成通知单数."""
    return Measure(Decimal(_closed(subject, lo, hi).count()))


def on_time_rate(subject: Subject, lo: datetime, hi: datetime) -> Measure:
    """Of the notifications completed in the period with a required end, the share completed on
    or before that day (local date) 按时完成率."""
    return on_time_measure(_closed(subject, lo, hi).filter(required_end__isnull=False))


def on_time_measure(due: QuerySet[Notification]) -> Measure:
    """Share of completed notifications `due` (all with a required end) done by that local day."""
    done = due.annotate(done_day=TruncDate("completed_at", tzinfo=timezone.get_current_timezone()))
    return ratio(done.filter(done_day__lte=F("required_end")).count(), due.count())


def _hours(delta) -> float:
    return delta.total_seconds() / 3600


def first_response_hours(subject: Subject, lo: datetime, hi: datetime) -> Measure:
    """Median hours from a notification's creation to its first status change 首次响应时间(中位数),
    over the notifications created in the period that have had one."""
    return median_first_response(notifications_of(subject).filter(created_at__gte=lo, created_at__lt=hi))


def response_rows(created: QuerySet[Notification], keys: tuple[str, ...]):
    """Per notification in `created` (annotated with `local_day`): its `keys`, day and hours to
    the first status change, for those that have had one."""
    ct = ContentType.objects.get_for_model(Notification)
    first = (
        TimelineEvent.objects.filter(content_type=ct, object_id=OuterRef("pk"), event_type=TRANSITION)
        .order_by("occurred_at")
        .values("occurred_at")[:1]
    )
    rows = created.annotate(first=Subquery(first)).filter(first__isnull=False)
    for row in rows.values(*keys, "local_day", "created_at", "first"):
        row["hours"] = max(0.0, _hours(row["first"] - row["created_at"]))
        yield row


def median_first_response(created: QuerySet[Notification]) -> Measure:
    """Median hours to the first status change of the notifications `created`."""
    ct = ContentType.objects.get_for_model(Notification)
    first = (
        TimelineEvent.objects.filter(content_type=ct, object_id=OuterRef("pk"), event_type=TRANSITION)
        .order_by("occurred_at")
        .values("occurred_at")[:1]
    )
    rows = (
        created.annotate(first=Subquery(first)).filter(first__isnull=False).values_list("created_at", "first")
    )
    hours = [max(0.0, _hours(f - c)) for c, f in rows]
    if not hours:
        return Measure(None, None, Decimal(0))
    return Measure(q2(statistics.median(hours)), None, Decimal(len(hours)))


def complaint_handling_hours(subject: Subject, lo: datetime, hi: datetime) -> Measure:
    """Mean hours from receipt to closing of the complaints closed in the period 客诉处理时长."""
    rows = (
        complaints_of(subject)
        .filter(is_open=False, closed_at__gte=lo, closed_at__lt=hi)
        .values_list("received_at", "closed_at")
    )
    hours = [max(0.0, _hours(c - r)) for r, c in rows if c is not None]
    if not hours:
        return Measure(None, None, Decimal(0))
    return Measure(q2(sum(hours) / len(hours)), q2(sum(hours)), Decimal(len(hours)))


def _status_codes(stages: list[str]) -> list[str]:
    from kefu.workflow.models import Status

    return sorted(set(Status.objects.filter(stage__in=stages).values_list("code", flat=True)))


def reopen_rate(subject: Subject, lo: datetime, hi: datetime) -> Measure:
    """Notifications reopened in the period (a status change from a completed status back to an
    open one) per notification completed in the period 重开率."""
    ct = ContentType.objects.get_for_model(Notification)
    reopened = (
        TimelineEvent.objects.filter(
            content_type=ct,
            event_type=TRANSITION,
            occurred_at__gte=lo,
            occurred_at__lt=hi,
            object_id__in=notifications_of(subject).values("pk"),
            data__from__in=_status_codes([Stage.COMPLETED]),
            data__to__in=_status_codes(Stage.open_values()),
        )
        .values("object_id")
        .distinct()
        .count()
    )
    return ratio(reopened, _closed(subject, lo, hi).count())


def _closed_complaints(subject: Subject, lo: datetime, hi: datetime) -> QuerySet[Complaint]:
    return complaints_of(subject).filter(is_open=False, closed_at__gte=lo, closed_at__lt=hi)


def satisfaction_rate(subject: Subject, lo: datetime, hi: datetime) -> Measure:
    """Of the complaints closed in the period that the customer rated, the share rated satisfied
    or very satisfied 客户满意率."""
    rated = _closed_complaints(subject, lo, hi).exclude(satisfaction="")
    return ratio(rated.filter(satisfaction__in=["4", "5"]).count(), rated.count())


def evaluation_rate(subject: Subject, lo: datetime, hi: datetime) -> Measure:
    """Of the complaints closed in the period, the share the customer rated 评价率."""
    closed = _closed_complaints(subject, lo, hi)
    return ratio(closed.exclude(satisfaction="").count(), closed.count())


FORMULAS: dict[str, tuple[Callable[[Subject, datetime, datetime], Measure], object]] = {
    "notifications_closed": (notifications_closed, _("Notifications completed")),
    "on_time_rate": (on_time_rate, _("Completed on time (%)")),
    "first_response_hours": (first_response_hours, _("Median first response (hours)")),
    "complaint_handling_hours": (complaint_handling_hours, _("Complaint handling time (hours)")),
    "reopen_rate": (reopen_rate, _("Reopen rate (%)")),
    "satisfaction_rate": (satisfaction_rate, _("Satisfied customers (%)")),
    "evaluation_rate": (evaluation_rate, _("Evaluation rate (%)")),
}


def formula_choices() -> list[tuple[str, object]]:
    return [(code, label) for code, (_fn, label) in FORMULAS.items()]


def measure(code: str, subject: Subject, lo: datetime, hi: datetime) -> Measure:
    fn, _label = FORMULAS[code]
    return fn(subject, lo, hi)
