"""The one picker (F4) on every form of the complaint desk: the customer, the handler, the unit
head, the material and the list's status carry it; what the picker offers posts and saves; a
value outside the user's scope is refused next to the field, naming it."""

from decimal import Decimal

import pytest
from django.urls import reverse

from kefu.complaints.models import Accident, Complaint
from kefu.core.pinyin import initials
from kefu.core.testing.pickers import (
    error_of,
    label_of,
    pick,
    picker_of,
)
from kefu.core.testing.scope import client_for

from .conftest import RECORD_INPUTS, sh

pytestmark = pytest.mark.django_db


def test_receipt_takes_the_picked_customer_and_refuses_another_centres(frozen_clock, people, indexed, theirs):
    frozen_clock.set(sh(2026, 11, 23, 9, 0))
    client = client_for(people["specialist"])
    url = reverse("complaints:complaint_create")
    form = client.get(url).content.decode()
    assert picker_of(form, "customer") == "customer"
    chosen = pick(client, "customer", "sqbj")  # 申齐保健 by its pinyin initials
    assert [r["value"] for r in chosen] == [indexed.number]
    assert pick(client, "customer", theirs.number) == []  # the picker stays in scope
    data = {"received_via": "hotline", "subject": "送货延误", "severity": "normal", "received_at": ""}

    refused = client.post(url, {**data, "customer": theirs.number})
    html = refused.content.decode()
    assert refused.status_code == 200
    message = error_of(html, "customer")
    assert label_of(html, "customer") in message and theirs.number in message
    assert not Complaint.objects.exists()

    saved = client.post(url, {**data, "customer": chosen[0]["value"]})
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert Complaint.objects.get().customer == indexed


def _edit_data(c, **changes) -> dict:
    return {
        "version": c.version,
        "subject": c.subject,
        "received_via": c.received_via,
        "severity": c.severity,
        "contact_name": "",
        "contact_phone": "",
        **changes,
    }


def test_edit_takes_the_picked_handler_and_material_and_refuses_another_centres_handler(
    make_complaint, people
):
    c = make_complaint()
    before = c.owner_id  # the receiving specialist
    client = client_for(people["specialist"])
    url = reverse("complaints:complaint_edit", args=[c.pk])
    form = client.get(url).content.decode()
    assert picker_of(form, "owner") == "staff" and picker_of(form, "material") == "material"
    supervisor, outsider = people["supervisor"], people["outsider"]
    handlers = [r["value"] for r in pick(client, "staff", initials(supervisor.name))]
    assert str(supervisor.pk) in handlers
    assert str(outsider.pk) not in [r["value"] for r in pick(client, "staff", outsider.name)]
    material = pick(client, "material", "hdgs")[0]  # 活动柜锁 by its initials
    assert material["value"] == "100056"

    refused = client.post(url, _edit_data(c, owner=outsider.pk, material="NO-SUCH"))
    html = refused.content.decode()
    assert refused.status_code == 200
    assert label_of(html, "owner") in error_of(html, "owner")
    assert label_of(html, "material") in error_of(html, "material")
    c.refresh_from_db()
    assert c.owner_id == before and c.material_id is None

    saved = client.post(url, _edit_data(c, owner=str(supervisor.pk), material=material["value"]))
    assert saved.status_code == 302, saved.content.decode()[:2000]
    c.refresh_from_db()
    assert c.owner == supervisor and c.material.code == "100056" and c.material_code == "100056"


def test_recording_step_takes_the_picked_material(make_complaint, people):
    c = make_complaint()
    client = client_for(people["specialist"])
    url = reverse("complaints:complaint_transition", args=[c.pk, "KSJL"])
    assert picker_of(client.get(url).content.decode(), "material") == "material"
    code = pick(client, "material", "yzqyb")[0]["value"]  # 椅子气压棒
    moved = client.post(url, {"version": c.version, **RECORD_INPUTS, "severity": "normal", "material": code})
    assert moved.status_code == 302, moved.content.decode()[:2000]
    c.refresh_from_db()
    assert c.status.code == "KSJL" and c.material.code == "100101"


def _accident_data(**changes) -> dict:
    return {
        "kind": "damage",
        "occurred_at": "2026-11-23T10:00",
        "place": "北京朝阳仓",
        "description": "运输途中破损",
        "estimated_loss": "500.00",
        "responsibility": "undetermined",
        **changes,
    }


def test_accident_forms_take_picked_customer_and_handler_within_the_scope(
    frozen_clock, org, people, indexed, theirs
):
    frozen_clock.set(sh(2026, 11, 23, 10, 5))
    client = client_for(people["assistant"])
    url = reverse("complaints:accident_create")
    assert picker_of(client.get(url).content.decode(), "customer") == "customer"
    data = _accident_data(sales_office=org.office_a.pk)

    refused = client.post(url, {**data, "customer": theirs.number})
    assert theirs.number in error_of(refused.content.decode(), "customer")
    assert not Accident.objects.exists()
    number = pick(client, "customer", "申齐")[0]["value"]
    saved = client.post(url, {**data, "customer": number})
    assert saved.status_code == 302, saved.content.decode()[:2000]
    accident = Accident.objects.get()
    assert accident.customer == indexed

    edit = reverse("complaints:accident_edit", args=[accident.pk])
    manager = client_for(people["specialist"])
    form = manager.get(edit).content.decode()
    assert picker_of(form, "owner") == "staff" and picker_of(form, "customer") == "customer"
    handler = people["supervisor"]
    assert str(handler.pk) in [r["value"] for r in pick(manager, "staff", handler.personnel_number)]
    base = {
        **{k: v for k, v in data.items() if k in ("place", "responsibility", "description")},
        "estimated_loss": "500.00",
        "customer": indexed.number,
        "version": accident.version,
    }
    refused = manager.post(edit, {**base, "owner": people["outsider"].pk})
    html = refused.content.decode()
    assert label_of(html, "owner") in error_of(html, "owner")
    saved = manager.post(edit, {**base, "owner": handler.pk})
    assert saved.status_code == 302, saved.content.decode()[:2000]
    accident.refresh_from_db()
    assert accident.owner == handler and accident.estimated_loss == Decimal("500.00")

    report = reverse("complaints:accident_transition", args=[accident.pk, "SGBG"])
    assert picker_of(manager.get(report).content.decode(), "reported_to") == "staff"


def test_lists_pick_status_customer_and_material(make_complaint, people, indexed):
    from kefu.workflow.models import Status

    complaint = make_complaint()
    client = client_for(people["specialist"])
    page = client.get(reverse("complaints:complaint_list")).content.decode()
    assert picker_of(page, "status") == "complaint_status"
    assert picker_of(page, "customer") == "customer" and picker_of(page, "material") == "material"
    accidents = client.get(reverse("complaints:accident_list")).content.decode()
    assert picker_of(accidents, "status") == "accident_status"
    current = Status.objects.get(pk=complaint.status_id)
    found = pick(client, "complaint_status", initials(current.name))
    assert found[0]["value"] == current.code
    assert all(r["code"].startswith("SG") for r in pick(client, "accident_status", ""))
    listed = client.get(reverse("complaints:complaint_list"), {"status": found[0]["value"]})
    assert complaint.number in listed.content.decode()
