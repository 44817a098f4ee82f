"""Read side of visits and receptions: scoped lists with clocks, the work report, the customer story."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext as _

from kefu.visits.choices import VisitStatus
from kefu.visits.models import Reception, ReceptionQuestion, Visit, VisitRule
from kefu.worktime import clock

SH = ZoneInfo("Asia/Shanghai")
LIST_RELATED = ("customer", "owner", "sales_office")


def visits_for(user) -> QuerySet[Visit]:
    """Visits the user may see, key customers first, then by due time."""
    return Visit.objects.visible_to(user).select_related(*LIST_RELATED).order_by("-is_key", "due_at", "pk")


def my_visits_due(user) -> QuerySet[Visit]:
    """ "My visits due": the planned visits the user owns, key customers first, earliest due first."""
    staff = getattr(user, "staff", None)
    if staff is None:
        return Visit.objects.none()
    return (
        Visit.objects.filter(owner=staff, status=VisitStatus.PLANNED)
        .select_related(*LIST_RELATED)
        .order_by("-is_key", "due_at", "pk")
    )


@dataclass
class VisitRow:
    id: int
    customer_id: int
    customer_number: str
    customer: str
    is_key: bool
    owner: str
    sales_office: str
    trigger: str
    trigger_label: str
    method: str
    method_label: str
    status: str
    status_label: str
    status_colour: str
    reason: str
    due_at: datetime
    performed_at: datetime | None
    minutes_left: int | None
    overdue: bool
    time_left: str
    clock_colour: str
    version: int


def present_visits(visits, at: datetime | None = None) -> list[VisitRow]:
    now = at or clock.now()
    rows = []
    for v in visits:
        state = clock.clock_state(v.due_at if v.status == VisitStatus.PLANNED else None, at=now)
        rows.append(
            VisitRow(
                id=v.pk,
                customer_id=v.customer_id,
                customer_number=v.customer.number,
                customer=v.customer.name,
                is_key=v.is_key,
                owner=v.owner.name if v.owner else "",
                sales_office=str(v.sales_office),
                trigger=v.trigger,
                trigger_label=str(v.get_trigger_display()),
                method=v.method,
                method_label=str(v.get_method_display()),
                status=v.status,
                status_label=str(v.get_status_display()),
                status_colour=VisitStatus.colour(v.status),
                reason=v.reason,
                due_at=v.due_at,
                performed_at=v.performed_at,
                minutes_left=state.minutes_left,
                overdue=state.overdue,
                time_left=state.text,
                clock_colour=state.colour,
                version=v.version,
            )
        )
    return rows


def rules() -> QuerySet[VisitRule]:
    return VisitRule.objects.select_related("segment").order_by("order", "pk")


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return datetime.combine(start, time.min, tzinfo=SH), datetime.combine(
        end + timedelta(days=1), time.min, tzinfo=SH
    )


def work_report(user, start: date, end: date) -> dict:
    """回访工作报告 per person: visits due in the period, done (on time), open, overdue, follow-ups."""
    lo, hi = period_bounds(start, end)
    now = clock.now()
    qs = Visit.objects.visible_to(user).filter(due_at__gte=lo, due_at__lt=hi)
    done = Q(status=VisitStatus.DONE)
    rows = list(
        qs.values("owner_id", "owner__name")
        .annotate(
            due=Count("pk"),
            done=Count("pk", filter=done),
            on_time=Count("pk", filter=done & Q(performed_at__lte=F("due_at"))),
            on_site=Count("pk", filter=done & Q(method="on_site")),
            open=Count("pk", filter=Q(status=VisitStatus.PLANNED)),
            overdue=Count("pk", filter=Q(status=VisitStatus.PLANNED, due_at__lt=now)),
            follow_ups=Count("follow_ups"),
        )
        .order_by("owner__name")
    )
    totals = {
        k: sum(r[k] for r in rows)
        for k in ("due", "done", "on_time", "on_site", "open", "overdue", "follow_ups")
    }
    for row in [*rows, totals]:
        row["rate"] = round(100 * row["done"] / row["due"], 1) if row["due"] else None
        row["name"] = row.get("owner__name") or (_("Total") if row is totals else _("(no owner)"))
    return {"start": start, "end": end, "rows": rows, "totals": totals}


def receptions_for(user) -> QuerySet[Reception]:
    return Reception.objects.visible_to(user).select_related(
        "customer", "status", "created_by", "sales_office"
    )


def open_questions(user) -> QuerySet[ReceptionQuestion]:
    """Open questions of receptions in scope, tracked until answered (earliest deadline first)."""
    return (
        ReceptionQuestion.objects.filter(
            reception__in=Reception.objects.visible_to(user).values("pk"), answered_at__isnull=True
        )
        .select_related("reception", "reception__customer")
        .order_by("deadline", "pk")
    )


def phone_visits_due(user, until: datetime, *, limit: int = 5000) -> list[dict]:
    """Planned phone visits 电话回访 due by `until` in the user's scope, key customers first: the
    selection of an outbound call list (kefu.contacts). One row per customer, the earliest visit."""
    from django.utils import timezone

    rows = (
        Visit.objects.visible_to(user)
        .filter(status=VisitStatus.PLANNED, method="phone", due_at__lte=until)
        .order_by("-is_key", "due_at", "pk")
        .values_list("customer_id", "due_at")[: limit * 2]
    )
    seen: dict[int, dict] = {}
    for customer_id, due_at in rows:
        if customer_id not in seen:
            due = timezone.localtime(due_at).strftime("%Y-%m-%d")
            seen[customer_id] = {"customer": customer_id, "reference": due}
    return list(seen.values())[:limit]
