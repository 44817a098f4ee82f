"""Demo appointments: the technicians' open work gets visit windows today and in the coming days,
so the app (王敏 wangmin) opens on a realistic day."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from kefu.field.choices import Slot
from kefu.field.models import Appointment
from kefu.field.services import set_appointment
from kefu.tickets.models import Notification
from kefu.workflow.choices import Stage

ORDER = 45
SLOTS = [Slot.MORNING, Slot.AFTERNOON, Slot.MORNING, Slot.EVENING, Slot.AFTERNOON]


def load(ctx) -> None:
    if Appointment.objects.exists():
        return
    staff = ctx["staff"]
    today = timezone.localdate()
    for tech_name, assistant_name in (
        ("wangmin", "assistant"),
        ("zhanghua", "assistant"),
        ("gz_tech", "gz_assistant"),
    ):
        tech, assistant = staff.get(tech_name), staff.get(assistant_name)
        if tech is None or assistant is None:
            continue
        open_work = list(
            Notification.objects.filter(responsible=tech, stage__in=Stage.open_values()).order_by(
                "-created_at"
            )[:8]
        )
        for index, n in enumerate(open_work[:6]):
            set_appointment(
                actor=assistant.user,
                notification=n,
                date=today + dt.timedelta(days=index // 3),
                slot=SLOTS[index % len(SLOTS)],
                note="已电话确认" if index % 2 == 0 else "",
            )
