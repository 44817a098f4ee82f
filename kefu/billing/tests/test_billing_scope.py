"""Paid service is reached only through notifications the actor may see, and the technician on a
service report is one of the notification's centre whom the actor may hand work to."""

import pytest

from kefu.billing.choices import QuotationStatus
from kefu.billing.models import Quotation, ServiceReport
from kefu.billing.services import create_quotation, decide_quotation, record_service_report
from kefu.core.errors import NotFound, ValidationFailed
from kefu.core.testing.scope import client_for
from kefu.tickets.tests.factories import make_desk

pytestmark = pytest.mark.django_db
LINES = [{"kind": "labour", "description": "工时", "quantity": 1, "unit_price": "80"}]


@pytest.fixture
def desk(org, staff_factory):
    return make_desk(org, staff_factory)


@pytest.fixture
def quote(desk):
    n = desk.z1()
    return n, create_quotation(actor=desk.assistant.user, notification=n, lines=LINES)


def test_another_centre_cannot_quote_or_decide_by_id(desk, quote):
    n, q = quote
    with pytest.raises(NotFound):
        create_quotation(actor=desk.outsider.user, notification=n, lines=LINES)
    with pytest.raises(NotFound):
        decide_quotation(actor=desk.outsider.user, quotation=q, accepted=True, customer_person="申总")
    outsider = client_for(desk.outsider)
    assert outsider.post(f"/billing/notifications/{n.pk}/quotations/", {}).status_code == 404
    decision = {"accepted": "1", "customer_person": "申总", "version": q.version}
    assert outsider.post(f"/billing/quotations/{q.pk}/decision/", decision).status_code == 404
    assert outsider.post(f"/billing/notifications/{n.pk}/reports/", {}).status_code == 404
    q.refresh_from_db()
    assert q.status == QuotationStatus.OFFERED and Quotation.objects.count() == 1


def test_a_technician_reaches_only_his_own_work(desk, staff_factory, quote):
    n, q = quote
    colleague = staff_factory(
        roles=["technician"], offices=[desk.org.office_a], work_centres=[desk.org.wc_a], name="赵磊"
    )
    with pytest.raises(NotFound):
        decide_quotation(actor=colleague.user, quotation=q, accepted=True, customer_person="申总")
    with pytest.raises(NotFound):
        record_service_report(
            actor=colleague.user,
            notification=n,
            technician=colleague,
            work_done="更换锁芯",
            accepted_by_customer="申总",
        )
    decide_quotation(actor=desk.technician.user, quotation=q, accepted=True, customer_person="申总")


def test_the_report_technician_must_be_of_the_notifications_centre(desk, quote):
    n, q = quote
    report = {"work_done": "更换锁芯", "accepted_by_customer": "申总", "notification": n, "quotation": q}
    for actor in (desk.assistant, desk.manager):  # a centre user and a company-wide one
        with pytest.raises(ValidationFailed) as refused:
            record_service_report(actor=actor.user, technician=desk.outsider_tech, **report)
        assert "technician" in refused.value.fields
    assert not ServiceReport.objects.exists()
    made = record_service_report(actor=desk.assistant.user, technician=desk.technician, **report)
    assert made.technician == desk.technician


def test_the_page_refuses_a_report_for_an_outside_responsible(desk, quote):
    """The page takes the person responsible as technician; one set from outside is refused."""
    from kefu.tickets.models import Notification

    n, _q = quote
    Notification.objects.filter(pk=n.pk).update(responsible=desk.outsider_tech)
    client_for(desk.supervisor).post(
        f"/billing/notifications/{n.pk}/reports/", {"work_done": "更换锁芯", "accepted_by_customer": "申总"}
    )
    assert not ServiceReport.objects.exists()


def test_a_material_code_with_a_nul_is_a_line_error_not_a_crash(desk):
    """PostgreSQL refuses a NUL in a query: the code is refused before it is looked up."""
    n = desk.z1()
    with pytest.raises(ValidationFailed) as exc:
        create_quotation(
            actor=desk.assistant.user,
            notification=n,
            lines=[{"kind": "parts", "description": "锁", "material": "10\x0056", "unit_price": "1"}],
        )
    assert "lines.1.material" in exc.value.fields
    assert not Quotation.objects.exists()


def test_a_decision_with_a_bad_version_is_refused_not_a_crash(desk, quote):
    _n, q = quote
    client = client_for(desk.assistant)
    response = client.post(
        f"/billing/quotations/{q.pk}/decision/", {"accepted": "1", "customer_person": "申总", "version": "²"}
    )
    assert response.status_code == 302
    q.refresh_from_db()
    assert q.status == QuotationStatus.OFFERED
