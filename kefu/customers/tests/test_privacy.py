import io

import pytest
from openpyxl import load_workbook

from kefu.core.testing.queries import assert_max_queries
from kefu.core.testing.scope import api_client_for, client_for, probe_scoped_record
from kefu.customers.models import Customer, PersonalDataAccess

pytestmark = pytest.mark.django_db

PHONE, MOBILE, EMAIL, ADDRESS = "010-65881234", "13801015678", "zhangwei@shenqi.cn", "北京市朝阳区建国路88号"
CONTACT_MOBILE = "13912345678"


@pytest.fixture
def customer(make_customer):
    return make_customer(
        number="2110050007",
        phone=PHONE,
        mobile=MOBILE,
        email=EMAIL,
        address=ADDRESS,
        id_number="110105199001011234",
        contacts=[{"name": "张伟", "mobile": CONTACT_MOBILE, "email": "zw@shenqi.cn"}],
        addresses=[{"name": "仓库", "address": "北京市朝阳区酒仙桥路10号", "contact_phone": "13700001111"}],
    )


SECRETS = [PHONE, MOBILE, EMAIL, ADDRESS, CONTACT_MOBILE, "110105199001011234", "13700001111", "65881234"]


def assert_no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"unmasked {secret!r} leaked"


def test_masked_role_never_receives_unmasked_phone_ui_api_export(customer, assistant):
    ui = client_for(assistant)
    for url in ["/customers/", f"/customers/?q={MOBILE[-4:]}", f"/customers/{customer.pk}/"]:
        response = ui.get(url)
        assert response.status_code == 200
        assert_no_secret(response.content.decode())
    assert "138****5678" in ui.get(f"/customers/{customer.pk}/").content.decode()
    form = ui.get(f"/customers/{customer.pk}/edit/")
    assert form.status_code == 200 and 'placeholder="138****5678"' in form.content.decode()
    assert_no_secret(form.content.decode())  # personal fields are write-only for this role

    api = api_client_for(assistant)
    for url in [
        "/api/v1/customers/",
        f"/api/v1/customers/{customer.pk}",
        f"/api/v1/customers/{customer.pk}/contacts",
        f"/api/v1/customers/{customer.pk}/addresses",
    ]:
        response = api.get(url)
        assert response.status_code == 200, response.content
        assert_no_secret(response.content.decode())
    assert api.get(f"/api/v1/customers/{customer.pk}").json()["mobile"] == "138****5678"

    export = ui.get("/customers/export.xlsx")
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    cells = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)
    assert "申齐保健食品有限公司" in cells
    assert_no_secret(cells)
    assert PersonalDataAccess.objects.filter(user=assistant.user, action="export").exists()


def test_masked_role_edits_without_seeing_or_losing_personal_data(customer, assistant):
    ui = client_for(assistant)
    form = ui.get(f"/customers/{customer.pk}/edit/").context["form"]
    data = {name: form.initial.get(name) for name in form.fields}
    data = {k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items() if v not in (None, "")}
    data.update(industry="食品", version=customer.version)
    response = ui.post(f"/customers/{customer.pk}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors
    customer.refresh_from_db()
    assert (customer.industry, customer.mobile, customer.email) == ("食品", MOBILE, EMAIL)

    data.update(mobile="13900002222", version=customer.version)
    assert ui.post(f"/customers/{customer.pk}/edit/", data).status_code == 302
    customer.refresh_from_db()
    assert (customer.mobile, customer.phone) == ("13900002222", PHONE)  # typed replaces, empty keeps


def test_masked_role_edits_a_contact_without_seeing_or_losing_its_mobile(customer, assistant):
    ui = client_for(assistant)
    contact = customer.contacts.get()
    url = f"/customers/{customer.pk}/contacts/{contact.pk}/"
    page = ui.get(url).content.decode()
    assert 'placeholder="139****5678"' in page
    assert_no_secret(page)
    version = Customer.objects.get(pk=customer.pk).version  # the hidden field the page carries
    response = ui.post(
        url,
        {
            "name": "张伟",
            "position": "采购经理",
            "mobile": "",
            "email": "",
            "is_primary": "on",
            "version": version,
        },
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.position, contact.mobile, contact.email) == ("采购经理", CONTACT_MOBILE, "zw@shenqi.cn")


def test_history_of_a_phone_change_is_masked_for_masked_roles(customer, manager, assistant):
    from kefu.customers import services

    services.update_customer(
        customer, actor=manager.user, expected_version=customer.version, phone="010-65889999"
    )
    page = client_for(assistant).get(f"/customers/{customer.pk}/").content.decode()
    assert "010-65889999" not in page and PHONE not in page
    page = client_for(manager).get(f"/customers/{customer.pk}/").content.decode()
    assert PHONE in page and "010-65889999" in page


def test_reveal_needs_a_reason_and_is_logged(customer, org, staff_factory, manager):
    key_account = staff_factory(roles=["key_account"], offices=[org.office_a])
    client = client_for(key_account)
    refused = client.post(f"/customers/{customer.pk}/reveal/", {"reason": ""})
    assert refused.status_code == 400 and MOBILE not in refused.content.decode()
    shown = client.post(f"/customers/{customer.pk}/reveal/", {"reason": "回访确认送货地址"})
    assert shown.status_code == 200 and MOBILE in shown.content.decode()
    entry = PersonalDataAccess.objects.get(action="reveal")
    assert (entry.user, entry.customer, entry.reason) == (key_account.user, customer, "回访确认送货地址")
    log = client_for(manager).get("/customers/access-log/")
    assert log.status_code == 200 and "回访确认送货地址" in log.content.decode()
    assert client.get("/customers/access-log/").status_code == 403


def test_assistant_cannot_reveal(customer, assistant):
    response = client_for(assistant).post(f"/customers/{customer.pk}/reveal/", {"reason": "想看看"})
    assert response.status_code == 403
    assert not PersonalDataAccess.objects.exists()


def test_unmasked_views_are_logged(customer, manager):
    page = client_for(manager).get(f"/customers/{customer.pk}/").content.decode()
    assert MOBILE in page
    assert PersonalDataAccess.objects.filter(user=manager.user, customer=customer, action="view").exists()


def test_key_account_manager_sees_own_accounts_unmasked(make_customer, org, staff_factory):
    kam = staff_factory(roles=["key_account"], offices=[org.office_a])
    own = make_customer(mobile=MOBILE, is_key_account=True, key_account_manager=kam)
    other = make_customer(name="别人的客户", mobile="13911112222")
    api = api_client_for(kam)
    assert api.get(f"/api/v1/customers/{own.pk}").json()["mobile"] == MOBILE
    assert api.get(f"/api/v1/customers/{other.pk}").json()["mobile"] == "139****2222"


def test_scope(customer, assistant, outsider, manager):
    probe_scoped_record(
        page_url=f"/customers/{customer.pk}/",
        api_url=f"/api/v1/customers/{customer.pk}",
        insider=assistant,
        outsider=outsider,
        company_wide=manager,
        missing_page_url="/customers/999999/",
        missing_api_url="/api/v1/customers/999999",
    )
    assert Customer.objects.visible_to(outsider.user).count() == 0


def test_list_and_detail_query_counts(make_customer, manager):
    for i in range(30):
        make_customer(name=f"客户{i}", contacts=[{"name": f"联系人{i}"}])
    client = client_for(manager)
    client.get("/customers/")  # warm caches (content types, permissions)
    with assert_max_queries(15):
        assert client.get("/customers/?grade=&ordering=-value").status_code == 200
    pk = Customer.objects.first().pk
    client.get(f"/customers/{pk}/")
    with assert_max_queries(20):
        assert client.get(f"/customers/{pk}/").status_code == 200


def test_a_masked_reader_cannot_rebuild_or_confirm_a_hidden_number_by_searching(customer, assistant, manager):
    api = api_client_for(assistant)

    def found(term: str) -> bool:
        return api.get(f"/api/v1/customers/?q={term}").json()["count"] == 1

    assert found(MOBILE[-4:])  # what the mask shows (138****5678) finds the customer
    assert found(customer.number[:6])  # customer numbers are not personal
    assert not found(MOBILE[:4])  # a prefix plus one hidden digit
    assert not found(MOBILE)  # a guessed full number is not confirmed
    assert not found("65881234")  # landline digits the mask hides
    assert not found(CONTACT_MOBILE[3:7])  # hidden middle digits of a contact's mobile
    page = client_for(assistant).get(f"/customers/?q={MOBILE}").content.decode()
    assert customer.name not in page
    assert PersonalDataAccess.objects.filter(user=assistant.user, action="search").count() >= 6
    # A reader who sees the numbers finds by any fragment, as before.
    assert api_client_for(manager).get(f"/api/v1/customers/?q={MOBILE[:7]}").json()["count"] == 1


def test_the_masked_four_digit_lookup_is_answered_by_the_mobile_tail_index(customer, assistant):
    """An expression index serves only the identical SQL, and SQLite takes a bound parameter for
    a different expression: the last four digits are looked up through `search.Tail`, which
    writes the length into the SQL text as the index does (Django's Right() sent it as a
    parameter, and a million customers were read: 0.5 s). Fewer digits search the number only."""
    from django.db import connection

    from kefu.customers.queries import customer_picks, search_customers

    picks = customer_picks(assistant.user, MOBILE[-4:], 20)
    assert [p["value"] for p in picks] == [customer.number]
    assert customer_picks(assistant.user, MOBILE[-3:], 20) == []
    from kefu.core.search import Tail
    from kefu.customers.models import MOBILE_TAIL

    lookup = Customer.objects.alias(tail=Tail("mobile", MOBILE_TAIL)).filter(tail=MOBILE[-4:])
    sql, params = lookup.values("pk").query.sql_with_params()
    tail_sql = sql[sql.index("WHERE ") + 6 : sql.rindex("=")].strip()
    searched, _ = search_customers(
        Customer.objects.all(), MOBILE[-4:], user=assistant.user
    ).query.sql_with_params()
    assert tail_sql in searched  # the masked search asks exactly this expression
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table: ask whether it can
        cursor.execute(("EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ") + sql, params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "cust_mobile_tail" in plan, plan
