"""Dispatch 派工: the board, the ranking by skill, load and distance with its reasons, assignment."""

from __future__ import annotations

import pytest
from django.utils import timezone

from kefu.core.errors import PermissionDenied
from kefu.field import queries, services
from kefu.field.models import AddressLocation, Appointment, TechnicianProfile
from kefu.tickets.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(desk, staff_factory):
    from kefu.catalog.models import ProductType
    from kefu.customers.models import ServiceAddress

    chairs, _c = ProductType.objects.get_or_create(code="02", defaults={"name": "办公椅"})
    cabinets, _c = ProductType.objects.get_or_create(code="06", defaults={"name": "活动柜"})
    lock, _c = ProductType.objects.get_or_create(
        code="0691", defaults={"name": "活动柜锁", "parent": cabinets}
    )
    far = staff_factory(
        roles=["technician"], offices=[desk.org.office_a], work_centres=[desk.org.wc_a], name="远"
    )
    near = desk.technician
    p_near = TechnicianProfile.objects.create(staff=near, district="110105", latitude=39.92, longitude=116.44)
    p_near.skills.set([cabinets])
    p_far = TechnicianProfile.objects.create(
        staff=far, district="110108", latitude=39.99, longitude=116.10, daily_capacity=1
    )
    p_far.skills.set([chairs])
    address = ServiceAddress.objects.create(
        customer=desk.customer, code="FL-01", name="总部", address="北京市朝阳区建国路88号"
    )
    AddressLocation.objects.create(address=address, district="110105", latitude=39.921, longitude=116.445)
    n = desk.z1(responsible=None, object_address="北京市朝阳区建国路88号")
    Notification.objects.filter(pk=n.pk).update(responsible=None)
    from kefu.tickets.services import add_item

    add_item(actor=desk.assistant.user, notification=n, product_type=lock.code, quantity=1)
    return {"n": n, "near": near, "far": far}


def test_ranking_prefers_skill_free_capacity_and_distance_and_says_why(desk, board):
    lines, technicians = queries.dispatch_board(desk.assistant.user, desk.org.wc_a, timezone.localdate())
    line = next(x for x in lines if x.row.id == board["n"].pk)
    best = line.proposals[0]
    assert best.technician.staff == board["near"]
    assert best.reasons[0] == "skills 100%" or "100" in best.reasons[0]
    assert any("km" in r or "公里" in r for r in best.reasons)
    assert line.proposals[1].score < best.score
    assert {t.staff for t in technicians} == {board["near"], board["far"]}


def test_distance_from_district_codes_without_coordinates():
    assert queries.distance_km(None, None, None, None, "110105", "110105") == 0
    assert queries.distance_km(None, None, None, None, "110105", "110108") == 10
    assert queries.distance_km(None, None, None, None, "110105", "130102") == 100
    assert queries.distance_km(None, None, None, None, "", "110105") is None
    assert 20 < queries.distance_km(39.9, 116.4, 39.9, 116.7, "", "") < 30


def test_dispatch_assigns_and_appoints_then_load_counts(desk, board):
    day = timezone.localdate()
    services.dispatch(
        actor=desk.assistant.user, notification=board["n"], technician=board["far"], day=day, slot="pm"
    )
    n = Notification.objects.get(pk=board["n"].pk)
    assert n.responsible == board["far"]
    assert Appointment.objects.get(notification=n).slot == "pm"
    techs = {t.staff: t for t in queries.technicians_of(desk.org.wc_a, day)}
    assert techs[board["far"]].load == 1 and techs[board["far"]].free == 0


def test_technician_cannot_dispatch(desk, board):
    with pytest.raises(PermissionDenied):
        services.dispatch(
            actor=desk.technician.user,
            notification=board["n"],
            technician=board["near"],
            day=timezone.localdate(),
            slot="am",
        )


def test_accept_all_and_pages(client, desk, board):
    client.force_login(desk.assistant.user)
    page = client.get("/field/dispatch/", {"work_centre": desk.org.wc_a.code})
    assert page.status_code == 200 and board["n"].number in page.content.decode()
    response = client.post("/field/dispatch/assign/", {"work_centre": desk.org.wc_a.code, "all": "1"})
    assert response.status_code == 302
    n = Notification.objects.get(pk=board["n"].pk)
    assert n.responsible == board["near"] and Appointment.objects.filter(notification=n).exists()
    api = client.get("/api/v1/field/dispatch", {"work_centre": desk.org.wc_a.code}).json()
    assert {t["name"] for t in api["technicians"]} >= {str(board["near"])}
    bad = client.get("/api/v1/field/dispatch", {"work_centre": "NOPE"})
    assert bad.status_code == 400 and "work_centre" in bad.json()["error"]["fields"]


def test_dispatch_and_appointment_refuse_ids_and_versions_that_are_not_plain_numbers(desk):
    """ "²" passes str.isdigit() but not int(): refused with a message, never a 500, nothing saved."""
    from kefu.core.testing.scope import client_for
    from kefu.field.models import Appointment

    n = desk.z1()
    client = client_for(desk.assistant)
    response = client.post(
        "/field/dispatch/assign/",
        {"work_centre": desk.org.wc_a.code, "notification": "²", "technician": desk.technician.pk},
    )
    assert response.status_code == 302
    response = client.post(
        "/field/dispatch/assign/",
        {"work_centre": desk.org.wc_a.code, "notification": n.pk, "technician": "²"},
    )
    assert response.status_code == 302
    response = client.post(
        f"/field/jobs/{n.pk}/appointment/", {"date": "2026-12-09", "slot": "am", "version": "²"}
    )
    assert response.status_code == 302
    assert not Appointment.objects.filter(notification=n).exists()


def test_an_appointment_made_while_the_form_was_open_is_not_overwritten(desk):
    """The page was read when there was no appointment (empty version): a colleague's appointment
    made since is a conflict, not silently replaced."""
    import datetime as dt

    from django.contrib.messages import get_messages
    from django.utils import timezone

    from kefu.core.testing.scope import client_for
    from kefu.field.models import Appointment
    from kefu.field.services import set_appointment

    n = desk.z1()
    day = timezone.localdate() + dt.timedelta(days=3)
    set_appointment(actor=desk.supervisor.user, notification=n, date=day, slot="am", note="客户上午在")
    client = client_for(desk.assistant)
    response = client.post(
        f"/field/jobs/{n.pk}/appointment/",
        {"date": (day + dt.timedelta(days=1)).isoformat(), "slot": "pm", "note": "", "version": ""},
    )
    assert response.status_code == 302
    appointment = Appointment.objects.get(notification=n)
    assert (appointment.date, appointment.slot, appointment.note) == (day, "am", "客户上午在")
    assert "其他人已修改了它" in " ".join(str(m) for m in get_messages(response.wsgi_request))
