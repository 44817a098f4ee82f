from decimal import Decimal

import pytest

from kefu.core.testing.scope import client_for
from kefu.customers import services
from kefu.customers.models import Customer

pytestmark = pytest.mark.django_db


def test_edit_form_refuses_a_stale_version_with_a_message(make_customer, manager):
    customer = make_customer()
    client = client_for(manager)
    form = {
        "name": "改名一",
        "nature": "organisation",
        "sales_office": customer.sales_office_id,
        "channel": "end_user",
        "relation": "transactional",
        "maturity": "actual",
        "volume": "0",
        "is_active": "on",
        "version": customer.version,
    }
    assert client.post(f"/customers/{customer.pk}/edit/", form).status_code == 302
    stale = client.post(f"/customers/{customer.pk}/edit/", {**form, "name": "改名二"})
    assert stale.status_code == 200
    assert "其他人" in stale.content.decode() or "Someone else" in stale.content.decode()
    assert Customer.objects.get(pk=customer.pk).name == "改名一"


def test_create_form_names_bad_fields(org, manager):
    response = client_for(manager).post(
        "/customers/new/",
        {
            "name": "某公司",
            "nature": "organisation",
            "sales_office": org.office_a.pk,
            "mobile": "123",
            "channel": "end_user",
            "relation": "transactional",
            "maturity": "actual",
            "volume": "0",
        },
    )
    assert response.status_code == 200
    assert 'data-field="mobile"' in response.content.decode()
    assert Customer.objects.count() == 0


def test_pyramid_page_shows_tiers_and_strategies(make_customer, manager):
    for i in range(10):
        make_customer(name=f"客户{i}", value_amount=Decimal(i * 100))
    client = client_for(manager)
    assert client.post("/customers/recompute/", {"what": "all"}).status_code == 302
    page = client.get("/customers/pyramid/").content.decode()
    assert "echarts.min.js" in page and "重要客户" in page and "优先处理" in page
    assert Customer.objects.filter(tier="key").count() == 1


def test_grade_override_from_the_page(make_customer, manager):
    customer = make_customer()
    client = client_for(manager)
    client.post(
        f"/customers/{customer.pk}/grade/", {"grade": "A", "reason": "战略客户", "version": customer.version}
    )
    customer.refresh_from_db()
    assert customer.grade == "A" and customer.grade_override_reason == "战略客户"


def test_warnings_page_lists_flagged_customers_and_who_acts(make_customer, manager, assistant):
    customer = make_customer(responsible=assistant)
    for _ in range(5):
        services.note_complaint(customer)
    services.recompute_anomalies(actor=None)
    page = client_for(manager).get("/customers/warnings/").content.decode()
    assert customer.number in page and assistant.name in page


def test_contacts_and_addresses_pages(make_customer, manager):
    customer = make_customer()
    client = client_for(manager)
    response = client.post(
        f"/customers/{customer.pk}/contacts/new/", {"name": "钱七", "mobile": "13512345678"}
    )
    assert response.status_code == 302 and customer.contacts.get().name == "钱七"
    response = client.post(f"/customers/{customer.pk}/addresses/new/", {"name": "仓库", "address": ""})
    assert response.status_code == 200 and customer.service_addresses.count() == 0
    detail = client.get(f"/customers/{customer.pk}/").content.decode()
    assert "钱七" in detail and "customer.contact_added" in detail
