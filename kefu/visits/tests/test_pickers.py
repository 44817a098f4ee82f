"""The one picker (F4) on the visit forms: customer and owners carry it, what it offers posts and
saves, and a value outside the user's scope is refused next to the field, naming it."""

import pytest
from django.urls import reverse

from kefu.core.pinyin import initials
from kefu.core.testing.pickers import (
    error_of,
    label_of,
    picker_of,
)
from kefu.core.testing.pickers import (
    pick_values as pick,
)
from kefu.core.testing.scope import client_for
from kefu.visits import services
from kefu.visits.models import Reception, Visit
from kefu.visits.testing import sh

pytestmark = pytest.mark.django_db


def test_plan_takes_the_picked_customer_and_owner_within_the_scope(frozen_clock, people, indexed, theirs):
    frozen_clock.set(sh(2026, 12, 2, 10))
    client = client_for(people["keyaccount"])
    url = reverse("visits:plan")
    form = client.get(url).content.decode()
    assert picker_of(form, "customer") == "customer" and picker_of(form, "owner") == "staff"
    owner = people["technician"]
    assert pick(client, "customer", "sqbj") == [indexed.number]
    assert str(owner.pk) in pick(client, "staff", initials(owner.name))
    assert str(people["outsider"].pk) not in pick(client, "staff", people["outsider"].name)
    data = {"due_at": "2026-12-04T17:00", "method": "phone"}

    refused = client.post(url, {**data, "customer": theirs.number, "owner": people["outsider"].pk})
    html = refused.content.decode()
    message = error_of(html, "customer")
    assert theirs.number in message and label_of(html, "customer") in message
    assert label_of(html, "owner") in error_of(html, "owner")
    assert not Visit.objects.exists()

    saved = client.post(url, {**data, "customer": indexed.number, "owner": str(owner.pk)})
    assert saved.status_code == 302, saved.content.decode()[:2000]
    visit = Visit.objects.get()
    assert (visit.customer, visit.owner) == (indexed, owner)


def test_record_offers_the_owner_picker_and_refuses_an_outsider(frozen_clock, people, customer):
    frozen_clock.set(sh(2026, 12, 2, 10))
    visit = services.plan_visit(
        actor=people["relation"].user,
        customer=customer,
        due_at=sh(2026, 12, 4, 17),
        owner=people["keyaccount"],
    )
    client = client_for(people["keyaccount"])
    url = reverse("visits:record", args=[visit.pk])
    form = client.get(reverse("visits:detail", args=[visit.pk])).content.decode()  # the form is on it
    assert picker_of(form, "fu1_owner") == "staff" and picker_of(form, "fu2_owner") == "staff"
    data = {
        "version": visit.version,
        "method": "phone",
        "summary": "客户说椅子气杆下沉",
        "fu1_kind": "notification",
        "fu1_description": "椅子气杆下沉",
    }
    refused = client.post(url, {**data, "fu1_owner": people["outsider"].pk})
    html = refused.content.decode()
    assert label_of(html, "fu1_owner") in error_of(html, "fu1_owner")
    visit.refresh_from_db()
    assert not visit.follow_ups.exists()
    owner = pick(client, "staff", people["technician"].personnel_number)
    assert client.post(url, {**data, "fu1_owner": owner[0]}).status_code == 302
    assert visit.follow_ups.get().owner == people["technician"]


def test_reception_refuses_another_centres_customer_naming_the_field(frozen_clock, people, indexed, theirs):
    frozen_clock.set(sh(2026, 12, 2, 10))
    client = client_for(people["keyaccount"])
    url = reverse("visits:reception_create")
    assert picker_of(client.get(url).content.decode(), "customer") == "customer"
    data = {
        "purpose": "negotiate",
        "started_at": "2026-12-02T09:00",
        "visitors": "张总",
        "conversation": "洽谈明年办公家具项目",
        "cost": "0",
    }
    refused = client.post(url, {**data, "customer": theirs.number})
    html = refused.content.decode()
    message = error_of(html, "customer")
    assert theirs.number in message and label_of(html, "customer") in message
    assert not Reception.objects.exists()
    number = pick(client, "customer", "申齐")[0]
    assert client.post(url, {**data, "customer": number}).status_code == 302
    assert Reception.objects.get().customer == indexed
