"""Field service benchmarks (issue 12): the technician's "today", the dispatch board of one work
centre and day, and the auto-proposal of 200 notifications × 30 technicians.

Make the data first (see bench_clocks: migrate, demo, `generate --notifications N`), then:
    KEFU_VAR_DIR=/tmp/bench-var .venv/bin/python -m tests.bench.bench_field
(or with DATABASE_URL=postgres://…). The first run adds, through the services, eight appointments
today for the demo technician 王敏 (wangmin) and 30 technicians with profiles (skills, base district)
to the busiest work centre; later runs reuse them. Prints JSON lines; never asserts on time.
"""

from __future__ import annotations

import json
import random

from tests.bench.common import client_for, database_label, measure, measure_page, setup_django

TECHNICIANS = 30
APPOINTMENTS_TODAY = 8


def _busiest_centre():
    from django.db.models import Count

    from kefu.org.models import WorkCentre
    from kefu.tickets.models import Notification
    from kefu.workflow.choices import Stage

    row = (
        Notification.objects.filter(stage__in=Stage.open_values(), work_centre__isnull=False)
        .values("work_centre")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    return WorkCentre.objects.get(pk=row["work_centre"]), row["n"]


def _technicians(centre) -> None:
    """30 technicians of the centre with skills and a base (made once, kept)."""
    from kefu.catalog.models import ProductType
    from kefu.core.testing.factories import make_staff
    from kefu.field.models import TechnicianProfile
    from kefu.org.models import Staff

    rng = random.Random(12)
    types = list(ProductType.objects.values_list("pk", flat=True))
    districts = ["110105", "110108", "110101", "310115", "440305", "120101"]
    for i in range(TECHNICIANS):
        username = f"bench_tech_{i:02d}"
        staff = Staff.objects.filter(user__username=username).first() or make_staff(
            roles=["technician"],
            offices=[centre.sales_office] if getattr(centre, "sales_office", None) else [],
            work_centres=[centre],
            username=username,
            number=f"8{i:03d}",
            name=f"技师{i:02d}",
        )
        profile, made = TechnicianProfile.objects.get_or_create(
            staff=staff, defaults={"daily_capacity": 6, "district": rng.choice(districts)}
        )
        if made and types:
            profile.skills.set(rng.sample(types, k=min(3, len(types))))


def _appointments_today(day) -> None:
    """Eight of 王敏's open notifications booked for today (through the field service)."""
    from django.contrib.auth import get_user_model

    from kefu.field.models import Appointment
    from kefu.field.services import set_appointment
    from kefu.tickets.models import Notification
    from kefu.workflow.choices import Stage

    technician = get_user_model().objects.get(username="wangmin")
    booked = Appointment.objects.filter(date=day, notification__responsible__user=technician).count()
    if booked >= APPOINTMENTS_TODAY:
        return
    assistant = get_user_model().objects.get(username="assistant")
    open_work = Notification.objects.filter(
        responsible__user=technician, stage__in=Stage.open_values(), appointment__isnull=True
    ).order_by("-id")[: APPOINTMENTS_TODAY - booked]
    for i, notification in enumerate(open_work):
        set_appointment(actor=assistant, notification=notification, date=day, slot=["am", "pm"][i % 2])


def main() -> None:
    setup_django()
    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from django.utils.translation import override

    from kefu.field import queries
    from kefu.tickets.models import Notification

    day = timezone.localdate()
    centre, open_in_centre = _busiest_centre()
    _technicians(centre)
    _appointments_today(day)
    meta = {
        "db": database_label(),
        "notifications": Notification.objects.count(),
        "centre": centre.code,
        "open_in_centre": open_in_centre,
    }
    print(json.dumps({"bench": "field", **meta}, ensure_ascii=False))

    measure_page("technician today", client_for("wangmin"), "/field/", **meta)
    board_url = f"/field/dispatch/?work_centre={centre.code}&day={day.isoformat()}"
    measure_page("dispatch board, one centre and day", client_for("admin"), board_url, **meta)

    admin = get_user_model().objects.get(username="admin")
    with override("zh-hans"):
        lines, technicians = queries.dispatch_board(admin, centre, day)
        measure(
            "auto-proposal (board lines × technicians)",
            lambda: queries.dispatch_board(admin, centre, day),
            lines=len(lines),
            technicians=len(technicians),
            **meta,
        )
        measure(
            "ranking alone, best three (board lines × technicians)",
            lambda: [queries.rank(line, technicians, top=3) for line in lines],
            lines=len(lines),
            technicians=len(technicians),
            **meta,
        )


if __name__ == "__main__":
    main()
