"""An agent who never leaves the keyboard: the one picker (customer, staff, work centre, catalogue
codes, status) by code, Chinese fragment and pinyin initials; canned responses by shortcut; the
similar-notification hint compares the object address."""

import pytest
from django.test import Client

from kefu.contacts.queries import same_address


@pytest.fixture
def desk(org, staff_factory):
    import importlib

    from django.apps import apps

    from kefu.customers.services import reindex
    from kefu.tickets.tests.factories import make_desk

    importlib.import_module("kefu.catalog.migrations.0002_default_catalogues").load(apps, None)
    desk = make_desk(org, staff_factory)
    reindex([desk.customer])
    return desk


def pick(client, source, q):
    response = client.get("/pick/", {"source": source, "q": q})
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.mark.django_db
def test_one_picker_finds_by_code_chinese_and_pinyin_initials(desk):
    client = Client()
    client.force_login(desk.assistant.user)
    assert [r["value"] for r in pick(client, "customer", "sqbj")] == ["2110050007"]
    assert [r["value"] for r in pick(client, "customer", "申齐")] == ["2110050007"]
    tech = desk.technician
    for term in (
        tech.personnel_number,
        tech.name[:1],
        "".join(__import__("kefu.core.pinyin", fromlist=["x"]).initials(tech.name)),
    ):
        rows = pick(client, "staff", term)
        assert str(tech.pk) in [r["value"] for r in rows], term
    centre = desk.org.wc_a
    assert [r["value"] for r in pick(client, "work_centre", centre.code)] == [str(centre.pk)]
    statuses = pick(client, "status", "zgpz")  # 主管批准
    assert statuses and statuses[0]["code"] == "ZGPZ"
    assert pick(client, "status", "通知")[0]["code"] == "TZJL"
    reasons = pick(client, "reason", "")
    assert reasons and all(r["value"] == r["code"] for r in reasons)
    assert client.get("/pick/", {"source": "nothing"}).status_code == 404


@pytest.mark.django_db
def test_pickers_stay_in_scope(desk):
    client = Client()
    client.force_login(desk.outsider.user)  # another centre
    assert pick(client, "customer", "sqbj") == []
    assert str(desk.technician.pk) not in [r["value"] for r in pick(client, "staff", desk.technician.name)]


@pytest.mark.django_db
def test_forms_carry_the_picker(desk):
    client = Client()
    client.force_login(desk.assistant.user)
    form = client.get("/notifications/new/").content.decode()
    assert 'data-picker="/pick/?source=customer"' in form
    assert 'data-picker="/pick/?source=staff"' in form and 'data-picker="/pick/?source=work_centre"' in form
    worklist = client.get("/notifications/").content.decode()
    assert "source=status" in worklist and 'data-shortcuts="worklist"' in worklist
    assert 'id="shortcut-help"' in worklist


@pytest.mark.django_db
def test_canned_responses_per_department_filled_from_the_record(desk):
    from kefu.channels.models import ReplyTemplate
    from kefu.org.models import Department
    from kefu.tickets.tests.factories import create_z

    n = create_z(desk, "Z1", description="活动柜锁坏")
    mine = desk.assistant.department or Department.objects.create(code="KF", name="客服部")
    if desk.assistant.department_id is None:
        desk.assistant.department = mine
        desk.assistant.save(update_fields=["department"])
    other = Department.objects.create(code="PG", name="品管")
    ReplyTemplate.objects.create(
        name="已受理", shortcut="sl", subject="-", body="{customer}您好，{number}已受理。", department=mine
    )
    ReplyTemplate.objects.create(name="品管", shortcut="pg", subject="-", body="品管回复", department=other)
    ReplyTemplate.objects.create(name="通用", shortcut="ty", subject="-", body="感谢来电 {number}")
    ReplyTemplate.objects.create(name="仅邮件", subject="-", body="没有快捷键")
    client = Client()
    client.force_login(desk.assistant.user)
    rows = client.get("/channels/canned/", {"kind": "notification", "pk": n.pk}).json()["results"]
    assert {r["shortcut"]: r["text"] for r in rows} == {
        "sl": f"申齐保健食品有限公司您好，{n.number}已受理。",
        "ty": f"感谢来电 {n.number}",
    }
    page = client.get(f"/notifications/{n.pk}/").content.decode()
    assert f"/channels/canned/?kind=notification&amp;pk={n.pk}" in page
    outsider = Client()
    outsider.force_login(desk.outsider.user)
    assert outsider.get("/channels/canned/", {"kind": "notification", "pk": n.pk}).status_code == 404


def test_same_address_ignores_spacing_and_the_city():
    assert same_address("上海市浦东新区张江路 88 号", "浦东新区张江路88号") is True
    assert same_address("浦东新区张江路88号", "徐汇区漕溪北路1号") is False
    assert same_address("", "徐汇区漕溪北路1号") is None


@pytest.mark.django_db
def test_similar_hint_compares_the_object_address(desk):
    from kefu.tickets.tests.factories import create_z

    here = create_z(desk, "Z1", description="活动柜锁坏", object_address="浦东新区张江路88号3楼")
    there = create_z(desk, "Z1", description="活动柜锁坏", object_address="徐汇区漕溪北路1号")
    client = Client()
    client.force_login(desk.assistant.user)
    params = {"customer": "2110050007", "description": "活动柜锁坏", "object_address": "张江路88号3楼"}
    html = client.get("/contacts/similar/", params).content.decode()
    assert here.number in html and there.number not in html  # another object of the customer
    assert "data-same-address" in html
    assert "张江路" not in html  # the address itself (personal data) is not shown
    without = client.get("/contacts/similar/", {"customer": "2110050007", "description": "活动柜锁坏"})
    assert there.number in without.content.decode()  # no address given: all of them
