"""Read side of field service: the technician's day, one job, appointments for lists."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import quote

from django.db.models import Q

from kefu.field.choices import SLOT_ORDER, Slot
from kefu.field.models import Appointment, FieldStep
from kefu.tickets.models import Notification
from kefu.workflow.choices import Stage

MAX_JOBS = 60


@dataclass
class Job:
    """One notification as the technician's app shows it (personal data by the need-to-know rule)."""

    row: object  # kefu.tickets.queries.Row
    appointment: Appointment | None
    items: list = field(default_factory=list)
    steps: list = field(default_factory=list)
    attachments: list = field(default_factory=list)
    long_text: str = ""

    @property
    def map_url(self) -> str:
        # Opens the phone's map app with the address; nothing is called at run time by Kefu.
        address = getattr(self.row, "object_address", "")
        return (
            f"https://uri.amap.com/search?keyword={quote(address)}" if address and "*" not in address else ""
        )

    @property
    def tel(self) -> str:
        phone = getattr(self.row, "contact_phone", "")
        return "".join(ch for ch in phone if ch.isdigit() or ch == "+") if "*" not in phone else ""

    @property
    def done_kinds(self) -> set[str]:
        return {s.kind for s in self.steps}


def appointments_for(notification_ids) -> dict[int, Appointment]:
    ids = list(notification_ids)
    if not ids:
        return {}
    return {a.notification_id: a for a in Appointment.objects.filter(notification_id__in=ids)}


def _base(user):
    from kefu.field.services import staff_of

    staff = staff_of(user)
    if staff is None:
        return None
    return (
        Notification.objects.visible_to(user)
        .filter(responsible=staff, stage__in=Stage.open_values())
        .select_related("customer", "responsible")
        .with_code_tables("type", "status", "work_centre", "sales_office")
    )


def today_jobs(user, day: dt.date) -> list[Job]:
    """His open work for `day` in appointment order (morning, afternoon, evening), then his open
    work without an appointment (urgent first, earliest required start first)."""
    from kefu.tickets.queries import present_for_work

    base = _base(user)
    if base is None:
        return []
    booked = list(base.filter(appointment__date=day)[:MAX_JOBS])
    loose = list(
        base.filter(Q(appointment__isnull=True)).order_by("-urgent", "required_start", "created_at")[
            : MAX_JOBS - len(booked)
        ]
    )
    appointments = appointments_for(n.pk for n in booked)
    booked.sort(key=lambda n: (SLOT_ORDER.get(Slot(appointments[n.pk].slot), 9), not n.urgent, n.number))
    rows = present_for_work(booked + loose, user, where="field_app")
    return [Job(row=row, appointment=appointments.get(row.id)) for row in rows]


def job(user, notification: Notification) -> Job:
    """One job with its items, steps and attachments (the caller checked access)."""
    from kefu.tickets.queries import present_for_work

    row = present_for_work([notification], user, where="field_app")[0]
    items = list(
        notification.items.select_related("product_type", "colour", "material", "reason").order_by("position")
    )
    return Job(
        row=row,
        appointment=Appointment.objects.filter(notification=notification).first(),
        items=items,
        steps=list(FieldStep.objects.filter(notification=notification).select_related("attachment")),
        attachments=list(notification.attachments.order_by("-created_at")[:20]),
        long_text=notification.long_text,
    )
