"""Writes stay in scope: a centre user creates, changes and assigns only inside their centres."""

import pytest

from kefu.core.testing.scope import api_client_for, client_for
from kefu.tickets.models import Notification
from kefu.tickets.tests.test_api import SEED

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "field, value", [("work_centre", "S4003"), ("sales_office", "4003"), ("responsible", "OUT")]
)
def test_api_create_into_another_centre_is_refused_naming_the_field(desk, field, value):
    if value == "OUT":
        value = desk.outsider_tech.personnel_number
    response = api_client_for(desk.assistant).post(
        "/api/v1/notifications/", {**SEED, field: value}, content_type="application/json"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]
    assert not Notification.objects.exists()


def test_handing_work_to_another_centres_technician_is_refused(desk):
    n = desk.z1()
    api = api_client_for(desk.assistant)
    response = api.patch(
        f"/api/v1/notifications/{n.pk}",
        {"responsible": desk.outsider_tech.personnel_number, "version": n.version},
        content_type="application/json",
    )
    assert response.status_code == 400 and "responsible" in response.json()["error"]["fields"]
    n.refresh_from_db()
    assert n.responsible == desk.technician
    # ... and the other centre's technician still cannot read it.
    assert client_for(desk.outsider_tech).get(f"/notifications/{n.pk}/").status_code == 404


def test_the_form_offers_only_people_and_centres_the_user_may_use(desk, staff_factory):
    admin = staff_factory(roles=["administrator"], offices=[desk.org.office_a], name="系统管理员")
    page = client_for(desk.assistant).get("/notifications/new/").content.decode()
    assert desk.technician.name in page
    assert desk.outsider_tech.name not in page and admin.name not in page
    assert "S4003" not in page


def test_api_reads_need_the_view_permission_like_the_pages(desk, staff_factory):
    n = desk.z1()
    nobody = staff_factory(roles=[], offices=[desk.org.office_a], work_centres=[desk.org.wc_a])
    assert client_for(nobody).get(f"/notifications/{n.pk}/").status_code == 403
    api = api_client_for(nobody)
    for url in [
        "/api/v1/notifications/",
        f"/api/v1/notifications/{n.pk}",
        f"/api/v1/notifications/{n.pk}/items",
    ]:
        response = api.get(url)
        assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"


def test_a_bad_filter_value_is_an_error_never_the_whole_list(desk):
    n = desk.z1()
    page = client_for(desk.assistant).get("/notifications/?created_from=garbage&stage=outstanding")
    body = page.content.decode()
    assert page.status_code == 200 and 'id="filter-errors"' in body and n.number not in body
    api = api_client_for(desk.assistant).get("/api/v1/notifications/?created_from=garbage")
    assert api.status_code == 400 and "created_from" in api.json()["error"]["fields"]
    export = client_for(desk.assistant).get("/notifications/export/?created_from=garbage")
    assert export.status_code == 302  # back to the worklist, which names the field


def test_unknown_fields_and_control_characters_are_refused_naming_the_field(desk):
    n = desk.z1()
    api = api_client_for(desk.manager)
    response = api.patch(
        f"/api/v1/notifications/{n.pk}",
        {"value_amount": "1", "version": n.version},
        content_type="application/json",
    )
    assert response.status_code == 400 and "value_amount" in response.json()["error"]["fields"]
    response = api.patch(
        f"/api/v1/notifications/{n.pk}",
        f'{{"description": "lock\\u0000x", "version": {n.version}}}',
        content_type="application/json",
    )
    assert response.status_code == 400 and "description" in response.json()["error"]["fields"]
    response = api.patch(
        f"/api/v1/notifications/{n.pk}",
        f'{{"description": "\\ud800", "version": {n.version}}}',
        content_type="application/json",
    )
    assert response.status_code == 400
    n.refresh_from_db()
    assert n.description == "活动柜锁"


def test_api_errors_are_json_even_without_a_route_and_the_slash_is_optional(desk, settings):
    api = api_client_for(desk.assistant)
    missing = api.get("/api/v1/no-such-thing/")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    created = api.post("/api/v1/notifications", SEED, content_type="application/json")
    assert created.status_code == 201 and Notification.objects.count() == 1
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    too_big = api.post(
        "/api/v1/notifications/", {**SEED, "description": "锁" * 2000}, content_type="application/json"
    )
    assert too_big.status_code == 413 and too_big.json()["error"]["code"] == "too_large"


def test_long_text_and_scores_are_bounded(desk):
    from kefu.core.errors import ValidationFailed
    from kefu.customers.services import update_customer
    from kefu.tickets.services import add_text

    n = desk.z1()
    with pytest.raises(ValidationFailed) as refused:
        add_text(actor=desk.assistant.user, notification=n, text="锁" * 2_000_000)
    assert "text" in refused.value.fields
    customer = desk.customer
    with pytest.raises(ValidationFailed) as refused:
        update_customer(
            customer, actor=desk.manager.user, expected_version=customer.version, satisfaction=999999999999
        )
    assert "satisfaction" in refused.value.fields


def test_out_of_range_paging_and_years_are_400_not_500(desk):
    api = api_client_for(desk.manager)
    response = api.get("/api/v1/notifications/?offset=100000000000000000000")
    assert response.status_code == 400
    response = api.get("/api/v1/worktime/days?year=99999")
    assert response.status_code == 400 and "year" in response.json()["error"]["fields"]


@pytest.fixture
def group_b(desk):
    from kefu.org.models import SalesGroup

    return SalesGroup.objects.create(code="003", name="天津联络处", sales_office=desk.org.office_b)


def test_the_form_offers_only_sales_groups_of_usable_centres(desk, group_b):
    page = client_for(desk.assistant).get("/notifications/new/").content.decode()
    assert "朝阳联络处" in page and "天津联络处" not in page
    n = desk.z1()
    edit = client_for(desk.assistant).get(f"/notifications/{n.pk}/edit/").content.decode()
    assert "朝阳联络处" in edit and "天津联络处" not in edit
    assert "天津联络处" in client_for(desk.manager).get("/notifications/new/").content.decode()


def test_a_sales_group_of_another_centre_is_refused_even_where_the_notification_is_visible(
    desk, group_b, staff_factory
):
    """Seeing centre B's work through its work centre is not a licence to regroup it."""
    from kefu.core.errors import ValidationFailed
    from kefu.tickets.services import update_notification

    helper = staff_factory(roles=["assistant"], offices=[desk.org.office_a], work_centres=[desk.org.wc_b])
    other = desk.z1(
        actor=desk.manager.user,
        customer=make_customer_b(desk),
        work_centre=desk.org.wc_b,
        sales_office=desk.org.office_b,
        sales_group=group_b,
        responsible=desk.outsider_tech,
    )
    Notification.objects.filter(pk=other.pk).update(sales_group=None)
    other.refresh_from_db()
    api = api_client_for(helper)
    response = api.patch(
        f"/api/v1/notifications/{other.pk}",
        {"sales_group": "003", "version": other.version},
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert "sales_group" in response.json()["error"]["fields"]
    other.refresh_from_db()
    assert other.sales_group is None
    with pytest.raises(ValidationFailed) as refused:
        update_notification(
            actor=helper.user, notification=other, expected_version=other.version, sales_group=group_b
        )
    assert "sales_group" in refused.value.fields
    other.refresh_from_db()
    # The company-wide manager may.
    update_notification(
        actor=desk.manager.user, notification=other, expected_version=other.version, sales_group=group_b
    )
    other.refresh_from_db()
    assert other.sales_group == group_b


def test_api_create_with_a_sales_group_of_another_centre_is_refused(desk, group_b):
    response = api_client_for(desk.assistant).post(
        "/api/v1/notifications/", {**SEED, "sales_group": "003"}, content_type="application/json"
    )
    assert response.status_code == 400 and "sales_group" in response.json()["error"]["fields"]
    assert not Notification.objects.exists()


def make_customer_b(desk):
    from kefu.tickets.tests.factories import make_customer

    return make_customer(desk.org.office_b, name="天津家具城")


@pytest.fixture
def other_branch_logistics(desk):
    from kefu.org.choices import DepartmentKind
    from kefu.org.models import Department, SalesOrganization

    branch = SalesOrganization.objects.create(code="F012", name="华东分公司")
    return Department.objects.create(
        code="LG012",
        name="上海区物流",
        kind=DepartmentKind.REGIONAL_LOGISTICS,
        mailbox="logistics.sh@example.com",
        sales_organization=branch,
    )


def test_mail_goes_only_to_departments_of_the_own_branch_or_company_wide(desk, other_branch_logistics):
    from kefu.core.errors import ValidationFailed
    from kefu.tickets.services import mail_to_department

    n = desk.z1()
    page = client_for(desk.assistant).get(f"/notifications/{n.pk}/").content.decode()
    assert "北京区物流" in page and "品管部" in page and "上海区物流" not in page
    with pytest.raises(ValidationFailed) as refused:
        mail_to_department(actor=desk.assistant.user, notification=n, department=other_branch_logistics)
    assert "department" in refused.value.fields
    response = api_client_for(desk.assistant).post(
        f"/api/v1/notifications/{n.pk}/mail",
        {"department": "LG012"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "department" in response.json()["error"]["fields"]


def test_every_notification_write_of_the_service_checks_the_actors_scope(desk):
    """Pages and the API load the record scoped; the services refuse another centre's record
    for every other caller too (imports, tasks, other apps), and nothing changes."""
    from kefu.core.errors import NotFound
    from kefu.tickets.services import add_item, change_status, remove_item, update_item, update_notification

    n = desk.z1()
    item = add_item(actor=desk.assistant.user, notification=n, quantity=1, reason_text="锁坏")
    outsider = desk.outsider.user
    with pytest.raises(NotFound):
        update_notification(actor=outsider, notification=n, expected_version=n.version, description="改")
    with pytest.raises(NotFound):
        add_item(actor=outsider, notification=n, quantity=2)
    with pytest.raises(NotFound):
        update_item(actor=outsider, item=item, quantity=5)
    with pytest.raises(NotFound):
        remove_item(actor=outsider, item=item)
    with pytest.raises(NotFound):
        change_status(actor=outsider, notification=n, to="TZJS", expected_version=n.version)
    n.refresh_from_db()
    item.refresh_from_db()
    assert (n.description, n.items.count(), item.quantity) == ("活动柜锁", 1, 1)


def test_services_refuse_text_files_and_mail_on_another_centres_notification(desk):
    """Mail and WeChat intake and other callers go through the services without a scoped page in
    front: the services themselves refuse another centre's notification (not found, as a read)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kefu.core.errors import NotFound
    from kefu.tickets import services

    n = desk.z1()
    before = (n.text_entries.count(), n.attachments.count())
    outsider = desk.outsider.user
    with pytest.raises(NotFound):
        services.add_text(actor=outsider, notification=n, text="别的中心写入")
    with pytest.raises(NotFound):
        services.add_attachment(
            actor=outsider, notification=n, upload=SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n")
        )
    with pytest.raises(NotFound):
        services.mail_to_department(actor=outsider, notification=n, to=["qa@huamei.example.com"])
    assert (n.text_entries.count(), n.attachments.count()) == before


def _form_post(**changes) -> dict:
    return {
        "customer": "2110050007",
        "description": "活动柜锁",
        "priority": "3",
        "payment_status": "paid",
        **changes,
    }


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"description": ""}, "description"),  # the form's own error
        ({"required_start": "2001-03-08", "required_end": "2001-03-01"}, "required_end"),  # the service's
    ],
)
def test_a_create_form_shown_again_offers_the_same_scoped_choices(desk, group_b, changes, field):
    """A post builds only the choices it needs; shown again with an error, the form offers the
    user's own people, centres and groups again, and still nothing outside them."""
    response = client_for(desk.assistant).post("/notifications/new/", _form_post(**changes))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'data-field="{field}"' in page
    assert desk.technician.name in page and "朝阳联络处" in page
    assert desk.outsider_tech.name not in page and "S4003" not in page and "天津联络处" not in page
    assert not Notification.objects.exists()


def test_the_create_form_refuses_a_customer_outside_the_users_scope(desk):
    from kefu.tickets.tests.factories import make_customer

    make_customer(desk.org.office_b, number="2110059999", name="别处客户")
    client = client_for(desk.assistant)
    for number in ("2110059999", "9999999999"):  # another centre's customer, no customer at all
        response = client.post("/notifications/new/", _form_post(customer=number))
        assert response.status_code == 200
        assert 'data-field="customer"' in response.content.decode()
    response = client.post("/notifications/new/", _form_post(sold_to="2110059999"))
    assert response.status_code == 200 and 'data-field="sold_to"' in response.content.decode()
    assert not Notification.objects.exists()
    # A posted customer of the user's scope is the one stored, with its defaults.
    assert client.post("/notifications/new/", _form_post(sold_to="2110050007")).status_code == 302
    n = Notification.objects.get()
    assert n.customer == desk.customer and n.sold_to == desk.customer and n.sales_office == desk.org.office_a


def test_a_create_posted_with_chosen_people_and_centres_checks_each_against_the_scope(desk):
    client = client_for(desk.assistant)
    response = client.post("/notifications/new/", _form_post(responsible=desk.outsider_tech.pk))
    assert response.status_code == 200 and 'data-field="responsible"' in response.content.decode()
    assert not Notification.objects.exists()
    chosen = _form_post(responsible=desk.technician.pk, work_centre=desk.org.wc_a.pk)
    assert client.post("/notifications/new/", chosen).status_code == 302
    assert Notification.objects.get().responsible == desk.technician
