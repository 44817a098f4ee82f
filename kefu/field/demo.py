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


# Technicians' bases (Beijing Chaoyang 110105, Haidian 110108, Guangzhou Tianhe 440106) and the
# product type categories they service.
PROFILES = {
    "wangmin": ("110105", 39.921, 116.443, ["06", "04", "01"], 6),
    "zhanghua": ("110108", 39.959, 116.298, ["02", "05"], 5),
    "gz_tech": ("440106", 23.125, 113.361, ["01", "02", "04", "05", "06"], 6),
}
DISTRICTS = [("110105", 39.93, 116.45), ("110108", 39.96, 116.30), ("110101", 39.93, 116.41)]


def _profiles(staff) -> None:
    from kefu.catalog.models import ProductType
    from kefu.customers.models import ServiceAddress
    from kefu.field.models import AddressLocation, TechnicianProfile

    for name, (district, lat, lng, skills, capacity) in PROFILES.items():
        if name not in staff:
            continue
        profile, _made = TechnicianProfile.objects.get_or_create(
            staff=staff[name],
            defaults={"district": district, "latitude": lat, "longitude": lng, "daily_capacity": capacity},
        )
        profile.skills.set(ProductType.objects.filter(code__in=skills, parent__isnull=True))
    for index, address in enumerate(ServiceAddress.objects.filter(customer__sales_office__code="4002")):
        district, lat, lng = DISTRICTS[index % len(DISTRICTS)]
        AddressLocation.objects.get_or_create(
            address=address,
            defaults={
                "district": district,
                "latitude": lat + index * 0.003,
                "longitude": lng - index * 0.002,
            },
        )


def load(ctx) -> None:
    if Appointment.objects.exists():
        return
    staff = ctx["staff"]
    _profiles(staff)
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
