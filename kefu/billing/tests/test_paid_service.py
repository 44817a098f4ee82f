"""Paid service: quotation lines in CNY, the customer's decision with who/when, report, invoice."""

from decimal import Decimal

import pytest

from kefu.billing.choices import QuotationStatus
from kefu.billing.models import Invoice, Quotation
from kefu.billing.services import create_quotation, decide_quotation
from kefu.core.errors import ValidationFailed
from kefu.core.testing.scope import client_for
from kefu.tickets.services import change_status
from kefu.tickets.tests.factories import make_desk


@pytest.fixture
def desk(org, staff_factory):
    return make_desk(org, staff_factory)


def test_lines_are_decimal_cny_and_bad_lines_save_nothing(desk):
    n = desk.z1()
    q = create_quotation(
        actor=desk.assistant.user,
        notification=n,
        lines=[
            {"kind": "labour", "description": "工时", "quantity": "1.5", "unit_price": "80.333"},
            {"kind": "travel", "description": "交通费", "quantity": 1, "unit_price": "0.1"},
        ],
    )
    assert q.total == Decimal("120.60") and q.status == QuotationStatus.OFFERED
    for bad in (
        [],
        [{"kind": "gift", "description": "x", "unit_price": 1}],
        [{"kind": "parts", "description": "x", "quantity": 0, "unit_price": 1}],
        [{"kind": "parts", "description": "x", "quantity": 1, "unit_price": "-1"}],
        [{"kind": "parts", "material": "NOPE", "quantity": 1}],
        [{"kind": "parts", "description": "x", "quantity": 1, "unit_price": "99999999999999"}],
        [{"kind": "parts", "description": "x", "quantity": "99999999", "unit_price": "99999999"}],
        [{"kind": "parts", "description": "x", "quantity": 1, "unit_price": "NaN"}],
    ):
        with pytest.raises(ValidationFailed):
            create_quotation(actor=desk.assistant.user, notification=n, lines=bad)
    assert Quotation.objects.count() == 1
    # The amount comes from the rounded price the customer reads: 3 × 0.01 (0.005 rounded up).
    q2 = create_quotation(
        actor=desk.assistant.user,
        notification=n,
        lines=[{"kind": "parts", "description": "垫片", "quantity": 3, "unit_price": "0.005"}],
    )
    assert q2.total == Decimal("0.03")
    assert client_for(desk.assistant).get(f"/notifications/{n.pk}/").status_code == 200


def test_refusal_needs_who_and_why_and_is_final(desk):
    n = desk.z1()
    q = create_quotation(
        actor=desk.assistant.user,
        notification=n,
        lines=[{"kind": "parts", "material": "100056", "quantity": 1}],
    )
    with pytest.raises(ValidationFailed):
        decide_quotation(actor=desk.assistant.user, quotation=q, accepted=False, customer_person="申总")
    decide_quotation(
        actor=desk.assistant.user, quotation=q, accepted=False, customer_person="申总", reason="太贵"
    )
    q.refresh_from_db()
    assert (q.status, q.decided_by_customer, q.decision_recorded_by) == (
        "refused",
        "申总",
        desk.assistant.user,
    )
    assert q.decided_at is not None
    with pytest.raises(ValidationFailed):
        decide_quotation(actor=desk.assistant.user, quotation=q, accepted=True, customer_person="申总")


def test_paid_service_through_the_pages(desk):
    n = desk.z1()
    change_status(actor=desk.technician.user, notification=n, to="KCJS", inputs={"survey_result": "换锁"})
    client = client_for(desk.assistant)
    client.post(
        f"/billing/notifications/{n.pk}/quotations/",
        {
            "kind": ["labour", "parts", "travel"],
            "description": ["上门维修", "", "交通费"],
            "material": ["", "100056", ""],
            "quantity": ["1", "1", "1"],
            "unit_price": ["80", "", "30"],
        },
    )
    q = Quotation.objects.get(notification=n)
    assert q.total == Decimal("195.00")
    client.post(f"/billing/quotations/{q.pk}/decision/", {"accepted": "1", "customer_person": "申总"})
    client.post(f"/notifications/{n.pk}/status/", {"to": "NOCO"})
    n.refresh_from_db()
    assert n.stage == "in_process"  # refused: the accepted quote has no service report yet
    client_for(desk.technician).post(
        f"/billing/notifications/{n.pk}/reports/",
        {"work_done": "更换锁芯", "materials_used": "100056", "accepted_by_customer": "申总"},
    )
    client.post(f"/notifications/{n.pk}/status/", {"to": "NOCO"})
    n.refresh_from_db()
    assert n.stage == "completed"
    invoice = Invoice.objects.get(notification=n)
    assert invoice.amount == Decimal("195.00")
    page = client.get(f"/notifications/{n.pk}/").content.decode()
    assert f'data-invoice="{invoice.number}"' in page
    assert "data-materials>" in page and "100056" in page.split("data-materials>")[1][:200]
    # Another centre cannot touch the quotation.
    assert (
        client_for(desk.outsider)
        .post(f"/billing/quotations/{q.pk}/decision/", {"accepted": "0", "customer_person": "x"})
        .status_code
        == 404
    )


def test_two_people_deciding_one_quotation_do_not_overwrite_each_other(desk):
    from kefu.core.errors import ConcurrentUpdate

    n = desk.z1()
    q = create_quotation(
        actor=desk.assistant.user,
        notification=n,
        lines=[{"kind": "labour", "description": "工时", "quantity": 1, "unit_price": "80"}],
    )
    first, second = Quotation.objects.get(pk=q.pk), Quotation.objects.get(pk=q.pk)
    decide_quotation(actor=desk.assistant.user, quotation=first, accepted=True, customer_person="张伟")
    with pytest.raises(ConcurrentUpdate):
        decide_quotation(
            actor=desk.assistant.user, quotation=second, accepted=False, customer_person="李四", reason="太贵"
        )
    q.refresh_from_db()
    assert q.status == QuotationStatus.ACCEPTED and q.decided_by_customer == "张伟"


def test_the_service_report_shows_its_materials_on_the_page_and_the_printed_work_plan(desk):
    from kefu.billing.services import record_service_report

    n = desk.z1()
    record_service_report(
        actor=desk.technician.user,
        notification=n,
        technician=desk.technician,
        work_done="更换锁芯",
        materials_used="100056 ×1",
        accepted_by_customer="申总",
    )
    shown = "100056 活动柜锁 ×1"  # the material's number with its catalogue name
    page = client_for(desk.assistant).get(f"/notifications/{n.pk}/").content.decode()
    assert f"<div data-materials>使用物料：{shown}</div>" in page
    plan = client_for(desk.assistant).get(f"/notifications/work-plan/?id={n.pk}").content.decode()
    assert f"<div data-materials>使用物料：{shown}</div>" in plan
