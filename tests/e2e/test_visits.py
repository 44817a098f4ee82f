"""Issue 11 through the browser: the relationship supervisor plans and records a return visit whose
problem becomes a service notification; a customer rates a closed service from the mailed link."""

import importlib

import pytest
from django.apps import apps

from kefu.core.testing.factories import PASSWORD
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def care(org, staff_factory):
    # Transactional tests flush the database between tests: put the default configuration back.
    from kefu.complaints.workflows import install as install_complaints
    from kefu.core import buffer
    from kefu.customers.models import Customer
    from kefu.customers.services import reindex
    from kefu.org.roles import sync_roles
    from kefu.surveys.templates_data import install as install_surveys
    from kefu.tickets.workflows import install as install_tickets
    from kefu.visits.workflows import install as install_visits
    from kefu.visits.workflows import install_rules

    sync_roles()
    install_tickets(apps)
    install_complaints(apps)
    install_visits(apps)
    install_rules(apps)
    install_surveys(apps)
    importlib.import_module("kefu.catalog.migrations.0002_default_catalogues").load(apps, None)
    importlib.import_module("kefu.worktime.migrations.0002_default_calendar").create_default(apps, None)
    buffer.clear()
    relation = staff_factory(roles=["relationship_supervisor"], username="sunlihua", name="孙丽华")
    technician = staff_factory(
        roles=["technician"], offices=[org.office_a], work_centres=[org.wc_a], name="王敏"
    )
    customer = Customer.objects.create(
        number="2110050007",
        name="申齐保健食品有限公司",
        phone="13812345678",
        email="zhang@shenqi.example",
        sales_office=org.office_a,
        responsible=technician,
    )
    reindex([customer])
    return {"relation": relation, "technician": technician, "customer": customer}


def test_supervisor_records_a_visit_that_creates_a_notification(page, care):
    login(page, "sunlihua", PASSWORD)
    page.goto(f"{page.base_url}/customers/{care['customer'].pk}/")
    page.locator("#customer-story").wait_for()
    page.goto(f"{page.base_url}/visits/customers/{care['customer'].pk}/story/")
    page.click("#quick-visit")
    assert page.input_value("#id_customer") == "2110050007"  # prefilled from the customer's page
    page.fill("#id_due_at", "2026-12-30T17:00")
    page.select_option("#id_method", value="on_site")
    page.fill("#id_reason", "季度上门回访")
    page.click("#submit")
    page.wait_for_selector("#record-form")
    assert page.inner_text("#visit-status") == "待回访"

    page.fill("#id_contact_person", "张经理")
    page.fill("#id_summary", "客户反映会议桌抽屉滑轨损坏,其余满意。")
    page.select_option("#id_satisfaction", value="4")
    page.select_option("#id_fu1_kind", value="notification")
    page.fill("#id_fu1_description", "会议桌抽屉滑轨损坏")
    page.select_option("#id_fu1_owner", value=str(care["technician"].pk))
    page.click("#submit")
    page.wait_for_selector("#visit-summary")
    assert page.inner_text("#visit-status") == "已回访"
    link = page.locator("#follow-ups a.follow-up-link")
    number = link.inner_text()
    assert number
    link.click()
    page.wait_for_selector("#notification-number")
    assert page.inner_text("#notification-number") == number
    assert "申齐保健食品有限公司" in page.content()

    # The customer's whole story lists the visit and the notification it made.
    page.goto(f"{page.base_url}/visits/customers/{care['customer'].pk}/story/")
    kinds = page.locator("#story .story-item").evaluate_all("els => els.map(e => e.dataset.kind)")
    assert "visit" in kinds and "notification" in kinds
    assert kinds[0] == "notification"  # open work first


def test_customer_rates_a_closed_service_from_the_mailed_link(page, care):
    from kefu.complaints.services import create_complaint
    from kefu.surveys.models import Rating
    from kefu.surveys.services import send_closing_mail

    complaint = create_complaint(actor=care["relation"].user, customer=care["customer"], subject="桌面开裂")
    send_closing_mail(complaint, actor=care["relation"].user)
    from kefu.channels.models import OutboundMail

    mail = OutboundMail.objects.get(to=["zhang@shenqi.example"])
    url = next(line for line in mail.body.splitlines() if "/surveys/rate/" in line)
    path = url[url.index("/surveys/rate/") :]

    page.goto(f"{page.base_url}{path}")  # no login
    assert complaint.number in page.inner_text("#rating-form")
    page.check("#stars-4")
    page.fill("#id_comment", "师傅很专业")
    page.click("#submit-rating")
    page.wait_for_selector("#rating-done")
    rating = Rating.objects.get()
    assert (rating.stars, rating.comment) == (4, "师傅很专业")

    page.goto(f"{page.base_url}{path}")  # the same link again
    assert page.locator("#rating-closed").get_attribute("data-code") == "rating_link_used"
    page.goto(f"{page.base_url}{path[:-3]}xyz/")  # altered
    assert page.locator("#rating-closed").get_attribute("data-code") == "rating_link_invalid"
    assert Rating.objects.get().stars == 4
