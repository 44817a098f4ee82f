"""The formulas of measured indicators 考核指标公式, by code. An Indicator row names one of them.

Each formula reads the records of every staff member, or every responsibility centre, over one
period [lo, hi) in one grouped query (through the owning apps' `queries`) and returns a Measure
per person or centre. A rate whose denominator is zero, or a time with no
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

from django.db.models import F
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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


# --- grouping ----------------------------------------------------------------------------------
# Every formula is computed set-based: one grouped query (through the owning app's `queries`)
# gives the figures of every person, or every centre, of a period at once; a single subject is
# the same computation limited to one key. `Group` says which column groups which records.
@dataclass(frozen=True)
class Group:
    notifications: str | None  # column of tickets.Notification
    complaints: str | None  # column of complaints.Complaint
    keys: tuple[int, ...] | None = None  # None: all groups


STAFF = Group("responsible_id", "owner_id")
OFFICE = Group("sales_office_id", "sales_office_id")
COMPANY = Group(None, None)


def group_of(subject: Subject) -> tuple[Group, int | None]:
    """The grouping that measures `subject`, limited to it, and its key."""
    if subject.staff_id is not None:
        return Group(STAFF.notifications, STAFF.complaints, (subject.staff_id,)), subject.staff_id
    if subject.office_id is not None:
        return Group(OFFICE.notifications, OFFICE.complaints, (subject.office_id,)), subject.office_id
    return COMPANY, None


Grouped = dict[int | None, Measure]


def _hours(delta) -> float:
    return delta.total_seconds() / 3600


def _median(hours: list[float]) -> Measure:
    if not hours:
        return Measure(None, None, Decimal(0))
    return Measure(q2(statistics.median(hours)), None, Decimal(len(hours)))


def _mean(hours: list[float]) -> Measure:
    if not hours:
        return Measure(None, None, Decimal(0))
    return Measure(q2(sum(hours) / len(hours)), q2(sum(hours)), Decimal(len(hours)))


class _Default(dict):
    """A grouped result: a key without records gets the formula's "no data" measure."""

    def __init__(self, values: dict, empty: Measure):
        super().__init__(values)
        self.empty = empty

    def __missing__(self, key):
        return self.empty


def closed_by(group: Group, lo: datetime, hi: datetime) -> Grouped:
    """Notifications completed in the period 完成通知单数, per group."""
    from kefu.tickets.queries import completion_figures

    rows = completion_figures(group.notifications, lo, hi, group.keys)
    return _Default(
        {k: Measure(Decimal(closed)) for k, (closed, _d, _o) in rows.items()}, Measure(Decimal(0))
    )


def on_time_by(group: Group, lo: datetime, hi: datetime) -> Grouped:
    """Of the notifications completed in the period with a required end, the share completed on
    or before that day (local date) 按时完成率, per group."""
    from kefu.tickets.queries import completion_figures

    rows = completion_figures(group.notifications, lo, hi, group.keys)
    return _Default({k: ratio(on_time, due) for k, (_c, due, on_time) in rows.items()}, ratio(0, 0))


def first_response_by(group: Group, lo: datetime, hi: datetime) -> Grouped:
    """Median hours from a notification's creation to its first status change 首次响应时间(中位数),
    over the notifications created in the period that have had one, per group."""
    from kefu.tickets.queries import first_response_rows

    hours: dict[int | None, list[float]] = {}
    for key, created, first in first_response_rows(group.notifications, lo, hi, group.keys):
        hours.setdefault(key, []).append(max(0.0, _hours(first - created)))
    return _Default({k: _median(v) for k, v in hours.items()}, _median([]))


def complaint_hours_by(group: Group, lo: datetime, hi: datetime) -> Grouped:
    """Mean hours from receipt to closing of the complaints closed in the period 客诉处理时长."""
    from kefu.complaints.queries import closed_complaint_figures

    rows = closed_complaint_figures(group.complaints, lo, hi, group.keys)
    return _Default({k: _mean(hours) for k, (_n, _r, _s, hours) in rows.items()}, _mean([]))


def reopen_by(group: Group, lo: datetime, hi: datetime) -> Grouped:
    """Notifications reopened in the period (a status change from a completed status back to an
    open one) per notification completed in the period 重开率."""
    from kefu.tickets.queries import completion_figures, reopened_counts

    reopened = reopened_counts(group.notifications, lo, hi, group.keys)
    closed = completion_figures(group.notifications, lo, hi, group.keys)
    keys = set(reopened) | set(closed)
    return _Default({k: ratio(reopened.get(k, 0), closed.get(k, (0, 0, 0))[0]) for k in keys}, ratio(0, 0))


def satisfaction_by(group: Group, lo: datetime, hi: datetime) -> Grouped:
    """Of the complaints closed in the period that the customer rated, the share rated satisfied
    or very satisfied 客户满意率."""
    from kefu.complaints.queries import closed_complaint_figures

    rows = closed_complaint_figures(group.complaints, lo, hi, group.keys)
    return _Default(
        {k: ratio(satisfied, rated) for k, (_n, rated, satisfied, _h) in rows.items()}, ratio(0, 0)
    )


def evaluation_by(group: Group, lo: datetime, hi: datetime) -> Grouped:
    """Of the complaints closed in the period, the share the customer rated 评价率."""
    from kefu.complaints.queries import closed_complaint_figures

    rows = closed_complaint_figures(group.complaints, lo, hi, group.keys)
    return _Default({k: ratio(rated, n) for k, (n, rated, _s, _h) in rows.items()}, ratio(0, 0))


def _single(grouped: Callable[[Group, datetime, datetime], Grouped]):
    def one(subject: Subject, lo: datetime, hi: datetime) -> Measure:
        group, key = group_of(subject)
        return grouped(group, lo, hi)[key]

    one.__doc__ = grouped.__doc__
    return one


notifications_closed = _single(closed_by)
on_time_rate = _single(on_time_by)
first_response_hours = _single(first_response_by)
complaint_handling_hours = _single(complaint_hours_by)
reopen_rate = _single(reopen_by)
satisfaction_rate = _single(satisfaction_by)
evaluation_rate = _single(evaluation_by)


# --- over a queryset the caller scoped (the cockpit) ---------------------------------------------
def on_time_measure(due) -> Measure:
    """Share of completed notifications `due` (all with a required end) done by that local day."""
    done = due.annotate(done_day=TruncDate("completed_at", tzinfo=timezone.get_current_timezone()))
    return ratio(done.filter(done_day__lte=F("required_end")).count(), due.count())


def response_rows(created, keys: tuple[str, ...]):
    """Per notification in `created` (annotated with `local_day`): its `keys`, day and hours to
    the first status change, for those that have had one."""
    from kefu.timeline.queries import first_event_at

    rows = created.annotate(first=first_event_at(created.model, TRANSITION)).filter(first__isnull=False)
    for row in rows.values(*keys, "local_day", "created_at", "first"):
        row["hours"] = max(0.0, _hours(row["first"] - row["created_at"]))
        yield row


def median_first_response(created) -> Measure:
    """Median hours to the first status change of the notifications `created`."""
    from kefu.timeline.queries import first_event_at

    rows = (
        created.annotate(first=first_event_at(created.model, TRANSITION))
        .filter(first__isnull=False)
        .values_list("created_at", "first")
    )
    return _median([max(0.0, _hours(f - c)) for c, f in rows])


FORMULAS: dict[str, tuple[Callable[[Group, datetime, datetime], Grouped], object]] = {
    "notifications_closed": (closed_by, _("Notifications completed")),
    "on_time_rate": (on_time_by, _("Completed on time (%)")),
    "first_response_hours": (first_response_by, _("Median first response (hours)")),
    "complaint_handling_hours": (complaint_hours_by, _("Complaint handling time (hours)")),
    "reopen_rate": (reopen_by, _("Reopen rate (%)")),
    "satisfaction_rate": (satisfaction_by, _("Satisfied customers (%)")),
    "evaluation_rate": (evaluation_by, _("Evaluation rate (%)")),
}


def formula_choices() -> list[tuple[str, object]]:
    return [(code, label) for code, (_fn, label) in FORMULAS.items()]


def measure(code: str, subject: Subject, lo: datetime, hi: datetime) -> Measure:
    """One subject's figure (the same grouped computation, limited to that subject)."""
    fn, _label = FORMULAS[code]
    group, key = group_of(subject)
    return fn(group, lo, hi)[key]


def measure_all(code: str, group: Group, lo: datetime, hi: datetime) -> Grouped:
    """Every group's figure of one formula at once (one grouped query): a key without records
    gets the formula's "no data" measure."""
    fn, _label = FORMULAS[code]
    return fn(group, lo, hi)
