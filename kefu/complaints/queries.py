"""Read side of complaints, accidents and carriers: scoped querysets, masked rows, clocks, summaries.

UI lists, the xlsx exports and the API all build their rows here, so masking and the
time-left column are the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone

from kefu.complaints.choices import (
    AccidentKind,
    AccidentSeverity,
    CauseClass,
    ComplaintSeverity,
    ContentClass,
    Responsibility,
)
from kefu.complaints.models import Accident, Carrier, Complaint, Escalation
from kefu.core import search
from kefu.core.masking import mask_phone
from kefu.workflow.events import status_label
from kefu.worktime import clock

LIST_RELATED = ["status", "customer", "sales_office", "owner", "handling_department"]


def can_see_personal_data(user) -> bool:
    return user.has_perm("customers.view_personal_data")


def complaints_for(user) -> QuerySet[Complaint]:
    """The complaints `user` may see, key accounts first, then the most urgent step deadline."""
    return (
        Complaint.objects.visible_to(user)
        .select_related(*LIST_RELATED)
        .order_by("-is_open", "-is_key_account", "step_deadline", "id")
    )


def accidents_for(user) -> QuerySet[Accident]:
    return (
        Accident.objects.visible_to(user)
        .select_related("status", "carrier", "customer", "sales_office", "owner")
        .order_by("-is_open", "step_deadline", "-id")
    )


def carriers_for(user) -> QuerySet[Carrier]:
    """Carriers are company master data: everyone allowed to view them sees all."""
    if not user.has_perm("complaints.view_carrier"):
        return Carrier.objects.none()
    return Carrier.objects.annotate(
        accident_count=Count("accidents"), accident_loss=Sum("accidents__estimated_loss")
    ).order_by("code")


# --- keyword search (kefu.core.search) ---------------------------------------------------------
COMPLAINT_INDEX = "complaints"
ACCIDENT_INDEX = "accidents"


def complaint_document(c: Complaint) -> list[str]:
    """What the keyword search finds a complaint by: number, subject, customer number and name.

    The contact phone is personal data shown masked to most readers: it is not indexed, so no
    hidden digit can be found (or confirmed) by searching.
    """
    return [c.number, c.subject, c.customer.number, c.customer.name]


def accident_document(a: Accident) -> list[str]:
    """What the keyword search finds an accident by: number, shipment, place and carrier name."""
    return [a.number, a.shipment, a.place, a.carrier.name if a.carrier is not None else ""]


def search_complaints(qs: QuerySet[Complaint], term: str) -> QuerySet[Complaint]:
    """Complaints whose number, subject, customer number or name contain `term` (any length).

    The worklist shows them in its index order (cmp_worklist): a term found in many complaints
    (公司 is in most customer names) walks that order instead of sorting all its matches."""
    return search.substring_filter_in_order(qs, term, index=COMPLAINT_INDEX, common=COMMON_MATCHES)


# A term in more complaints than this walks the worklist's order (kefu.core.search).
COMMON_MATCHES = 3000


def search_accidents(qs: QuerySet[Accident], term: str) -> QuerySet[Accident]:
    """Accidents whose number, shipment, place or carrier name contain `term` (any length)."""
    return search.substring_filter(qs, term, index=ACCIDENT_INDEX)


def step_clock(obj, *, at: datetime | None = None) -> clock.ClockState:
    """The running step's clock (time left or overdue) of a complaint or accident."""
    if not obj.is_open:
        return clock.ClockState(None, None, obj.step_clock_mode)
    return clock.clock_state(
        obj.step_deadline, mode=obj.step_clock_mode, calendar=obj.step_calendar_id, at=at
    )


@dataclass
class ComplaintRow:
    id: int
    number: str
    subject: str
    status_code: str
    status: str
    stage: str
    is_open: bool
    received_at: datetime
    received_via: str
    customer_number: str
    customer: str
    is_key_account: bool
    customer_tier: str
    contact_name: str
    contact_phone: str
    sales_office: str
    owner: str
    content_class: str
    content_class_code: str
    cause_class: str
    cause_class_code: str
    severity: str
    severity_code: str
    handling_department: str
    material_code: str
    deadline: datetime | None
    minutes_left: int | None
    overdue: bool
    time_left: str
    clock_colour: str
    escalation_level: int
    version: int
    extra: dict = field(default_factory=dict)


def present_complaint(c: Complaint, *, unmasked: bool, at: datetime | None = None) -> ComplaintRow:
    """The one read model of a complaint; the contact phone is masked unless `unmasked`."""
    state = step_clock(c, at=at)
    return ComplaintRow(
        id=c.pk,
        number=c.number,
        subject=c.subject,
        status_code=c.status.code,
        status=c.status.display_name,
        stage=c.stage,
        is_open=c.is_open,
        received_at=c.received_at,
        received_via=c.get_received_via_display(),
        customer_number=c.customer.number,
        customer=c.customer.name,
        is_key_account=c.is_key_account,
        customer_tier=c.customer_tier,
        contact_name=c.contact_name,
        contact_phone=c.contact_phone if unmasked else mask_phone(c.contact_phone),
        sales_office=c.sales_office.code,
        owner=c.owner.name if c.owner is not None else "",
        content_class=c.get_content_class_display() if c.content_class else "",
        cause_class=c.get_cause_class_display() if c.cause_class else "",
        content_class_code=c.content_class,
        cause_class_code=c.cause_class,
        severity=c.get_severity_display(),
        severity_code=c.severity,
        handling_department=str(c.handling_department or ""),
        material_code=c.material_code,
        deadline=state.deadline,
        minutes_left=state.minutes_left,
        overdue=state.overdue,
        time_left=state.text,
        clock_colour=state.colour,
        escalation_level=c.escalation_level,
        version=c.version,
    )


def present_complaints(rows, user) -> list[ComplaintRow]:
    unmasked = can_see_personal_data(user)
    at = clock.now()
    return [present_complaint(c, unmasked=unmasked, at=at) for c in rows]


@dataclass
class AccidentRow:
    id: int
    number: str
    kind: str
    kind_code: str
    status_code: str
    status: str
    is_open: bool
    occurred_at: datetime
    place: str
    shipment: str
    carrier: str
    customer: str
    sales_office: str
    is_insured: bool
    estimated_loss: Decimal
    final_loss: Decimal | None
    responsibility: str
    severity: str
    severity_code: str
    handling_method: str
    amount_claimed: Decimal
    amount_recovered: Decimal
    report_due_at: datetime | None
    reported_at: datetime | None
    deadline: datetime | None
    minutes_left: int | None
    overdue: bool
    time_left: str
    clock_colour: str
    version: int


def present_accident(a: Accident, *, at: datetime | None = None) -> AccidentRow:
    state = step_clock(a, at=at)
    return AccidentRow(
        id=a.pk,
        number=a.number,
        kind=a.get_kind_display(),
        kind_code=a.kind,
        status_code=a.status.code,
        status=a.status.display_name,
        is_open=a.is_open,
        occurred_at=a.occurred_at,
        place=a.place,
        shipment=a.shipment,
        carrier=a.carrier.name if a.carrier is not None else "",
        customer=a.customer.name if a.customer is not None else "",
        sales_office=a.sales_office.code,
        is_insured=a.is_insured,
        estimated_loss=a.estimated_loss,
        final_loss=a.final_loss,
        responsibility=a.get_responsibility_display(),
        severity=a.get_severity_display(),
        severity_code=a.severity,
        handling_method=a.get_handling_method_display() if a.handling_method else "",
        amount_claimed=a.amount_claimed,
        amount_recovered=a.amount_recovered,
        report_due_at=a.report_due_at,
        reported_at=a.reported_at,
        deadline=state.deadline,
        minutes_left=state.minutes_left,
        overdue=state.overdue,
        time_left=state.text,
        clock_colour=state.colour,
        version=a.version,
    )


def present_accidents(rows) -> list[AccidentRow]:
    at = clock.now()
    return [present_accident(a, at=at) for a in rows]


# --- quality feedback: recurring complaints per material --------------------------------------
def material_history(material_code: str) -> dict:
    agg = Complaint.objects.filter(material_code=material_code).aggregate(
        count=Count("pk"), last=Max("received_at"), open=Count("pk", filter=Q(is_open=True))
    )
    last = agg["last"]
    return {
        "count": agg["count"],
        "open": agg["open"],
        "last": timezone.localtime(last).strftime("%Y-%m-%d") if last else "—",
    }


def recurring_materials(user, *, since: date | None = None, min_count: int = 2) -> list[dict]:
    """Materials with repeated complaints: are they still coming ("until the problem stops")?"""
    today = timezone.localdate(clock.now())
    since = since or today - timedelta(days=365)
    recent_from = _start_of(today - timedelta(days=90))
    qs = (
        Complaint.objects.visible_to(user)
        .filter(received_at__gte=_start_of(since))
        .exclude(material_code="")
        .values("material_code")
        .annotate(
            count=Count("pk"),
            recent=Count("pk", filter=Q(received_at__gte=recent_from)),
            open=Count("pk", filter=Q(is_open=True)),
            sent=Count("pk", filter=Q(quality_feedback="sent")),
            resolved=Count("pk", filter=Q(quality_feedback="resolved")),
            last=Max("received_at"),
            name=Max("material_name"),
        )
        .filter(count__gte=min_count)
        .order_by("-recent", "-count")
    )
    return [{**row, "still_recurring": row["recent"] > 0} for row in qs[:200]]


# --- reports: 异样状况汇总表 and accident statistics ---------------------------------------------
def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return _start_of(start), _start_of(end + timedelta(days=1))


def _labelled(rows, key: str, choices) -> list[dict]:
    labels = dict(choices)
    return [
        {"key": r[key] or "", "label": str(labels.get(r[key], r[key] or "—")), "count": r["count"]}
        for r in rows
    ]


def exception_summary(user, start: date, end: date) -> dict:
    """异样状况汇总表: complaints received in the period by class, cause, department, tier; late steps."""
    lo, hi = period_bounds(start, end)
    qs = Complaint.objects.visible_to(user).filter(received_at__gte=lo, received_at__lt=hi)
    by = lambda field: list(qs.values(field).annotate(count=Count("pk")).order_by("-count"))  # noqa: E731
    from kefu.customers.choices import Tier

    tier_choices = [("", "—"), *Tier.choices] if hasattr(Tier, "choices") else []
    totals = qs.aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(is_open=True)),
        valid=Count("pk", filter=Q(is_valid=True)),
        invalid=Count("pk", filter=Q(is_valid=False)),
        quality=Count("pk", filter=Q(is_product_quality=True)),
        key=Count("pk", filter=Q(is_key_account=True)),
    )
    escalations = (
        Escalation.objects.filter(complaint__in=qs.values("pk"))
        .select_related("complaint", "complaint__customer")
        .order_by("-escalated_at")
    )
    late_by_step = list(
        escalations.filter(level=1).values("status_code").annotate(count=Count("pk")).order_by("-count")
    )
    departments = [
        {
            "key": r["handling_department__name"] or "",
            "label": r["handling_department__name"] or "—",
            "count": r["count"],
        }
        for r in by("handling_department__name")
    ]
    return {
        "start": start,
        "end": end,
        "totals": totals,
        "by_content": _labelled(by("content_class"), "content_class", [("", "—"), *ContentClass.choices]),
        "by_cause": _labelled(by("cause_class"), "cause_class", [("", "—"), *CauseClass.choices]),
        "by_severity": _labelled(by("severity"), "severity", ComplaintSeverity.choices),
        "by_department": departments,
        "by_tier": _labelled(by("customer_tier"), "customer_tier", tier_choices),
        "late_by_step": [
            {"key": r["status_code"], "label": status_label(r["status_code"]), "count": r["count"]}
            for r in late_by_step
        ],
        "escalations": list(escalations[:500]),
        "complaints": qs.select_related(*LIST_RELATED).order_by("received_at")[:2000],
    }


def accident_statistics(user, start: date, end: date) -> dict:
    """Accident statistics: count and loss by kind, carrier and responsibility for the period."""
    lo, hi = period_bounds(start, end)
    qs = Accident.objects.visible_to(user).filter(occurred_at__gte=lo, occurred_at__lt=hi)

    def by(field: str):
        return list(
            qs.values(field)
            .annotate(
                count=Count("pk"),
                estimated=Sum("estimated_loss"),
                final=Sum("final_loss"),
                recovered=Sum("amount_recovered"),
            )
            .order_by("-count")
        )

    def label(rows, key, choices):
        labels = dict(choices)
        return [{**r, "label": str(labels.get(r[key], r[key] or "—"))} for r in rows]

    totals = qs.aggregate(
        count=Count("pk"),
        estimated=Sum("estimated_loss"),
        final=Sum("final_loss"),
        claimed=Sum("amount_claimed"),
        recovered=Sum("amount_recovered"),
        insured=Count("pk", filter=Q(is_insured=True)),
    )
    return {
        "start": start,
        "end": end,
        "totals": totals,
        "by_kind": label(by("kind"), "kind", AccidentKind.choices),
        "by_carrier": [{**r, "label": r["carrier__name"] or "—"} for r in by("carrier__name")],
        "by_responsibility": label(by("responsibility"), "responsibility", Responsibility.choices),
        "by_severity": label(by("severity"), "severity", AccidentSeverity.choices),
        "accidents": qs.select_related("status", "carrier", "customer", "sales_office", "owner").order_by(
            "occurred_at"
        )[:2000],
    }


def complaints_by_customer(since: datetime):
    """Per customer: (customer id, complaints received since `since`), one grouped query."""
    return (
        Complaint.objects.order_by()
        .filter(received_at__gte=since)
        .values("customer_id")
        .annotate(n=Count("id"))
        .values_list("customer_id", "n")
        .iterator(chunk_size=20000)
    )


# --- figures for the scorecards and reports (grouped: one query for every person or centre) -------
# `by`: "owner_id" (person), "sales_office_id" (centre) or None (the company, key None).
def closed_complaint_figures(by: str | None, lo: datetime, hi: datetime, keys=None) -> dict:
    """Per group, of the complaints closed in [lo, hi): {key: (closed, rated, satisfied (4 or 5),
    [hours from receipt to closing, one per complaint])} — one query."""
    qs = Complaint.objects.order_by().filter(is_open=False, closed_at__gte=lo, closed_at__lt=hi)
    if by is not None and keys is not None:
        qs = qs.filter(**{f"{by}__in": list(keys)})
    rows = (
        qs.values_list(by, "received_at", "closed_at", "satisfaction")
        if by is not None
        else ((None, r, c, s) for r, c, s in qs.values_list("received_at", "closed_at", "satisfaction"))
    )
    out: dict = {}
    for key, received, closed, satisfaction in rows:
        figures = out.setdefault(key, [0, 0, 0, []])
        figures[0] += 1
        figures[1] += satisfaction != ""
        figures[2] += satisfaction in ("4", "5")
        if closed is not None:
            figures[3].append(max(0.0, (closed - received).total_seconds() / 3600))
    return {key: tuple(figures) for key, figures in out.items()}


def person_complaint_counts(staff_id: int, lo: datetime, hi: datetime) -> dict:
    """A person's complaints (owner) received and closed in [lo, hi), for the 周报 — one query."""
    return (
        Complaint.objects.order_by()
        .filter(owner_id=staff_id)
        .aggregate(
            received=Count("id", filter=Q(received_at__gte=lo, received_at__lt=hi)),
            closed=Count("id", filter=Q(is_open=False, closed_at__gte=lo, closed_at__lt=hi)),
        )
    )


# --- read by the management reports (the monthly supervision report, company-wide) --------------
def complaint_period_counts(lo: datetime, hi: datetime) -> dict:
    """Company-wide complaints received in [lo, hi): their number and, per content class,
    [{"content_class", "n"}] (most first)."""
    complaints = Complaint.objects.order_by().filter(received_at__gte=lo, received_at__lt=hi)
    return {
        "total": complaints.count(),
        "by_class": list(complaints.values("content_class").annotate(n=Count("pk")).order_by("-n")),
    }


def accident_period_counts(lo: datetime, hi: datetime) -> dict:
    """Company-wide accidents that occurred in [lo, hi): their number, estimated losses, and per
    kind [{"kind", "n", "loss_sum"}] (most first)."""
    accidents = Accident.objects.order_by().filter(occurred_at__gte=lo, occurred_at__lt=hi)
    return {
        "total": accidents.count(),
        "losses": accidents.aggregate(s=Sum("estimated_loss"))["s"],
        "by_kind": list(
            accidents.values("kind").annotate(n=Count("pk"), loss_sum=Sum("estimated_loss")).order_by("-n")
        ),
    }


# --- pickers (kefu.core.pickers) -----------------------------------------------------------------
def _status_picks(profile_code: str, term: str, limit: int) -> list[dict]:
    from kefu.core import buffer, pickers
    from kefu.workflow.models import Status

    def load() -> list[tuple]:
        rows = Status.objects.filter(profile__code=profile_code).order_by("order", "code")
        return [(c, c, name, pickers.keys(c, name)) for c, name in rows.values_list("code", "name")]

    return pickers.filter_rows(buffer.get(f"complaints.status_picks:{profile_code}", load), term, limit)


def complaint_status_picks(user, term: str, limit: int) -> list[dict]:
    """The status picker 状态 (F4) of the complaint list: the complaint profile's statuses by code,
    name or pinyin initials (kscl → KSCL). Value: the code."""
    from kefu.complaints.models import COMPLAINT_PROFILE

    return _status_picks(COMPLAINT_PROFILE, term, limit)


def accident_status_picks(user, term: str, limit: int) -> list[dict]:
    """The status picker 状态 (F4) of the accident list (SGBG, SGCL …). Value: the code."""
    from kefu.complaints.models import ACCIDENT_PROFILE

    return _status_picks(ACCIDENT_PROFILE, term, limit)
