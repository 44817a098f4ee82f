"""The sales-value feed 销售额: idempotent per customer and month, the value it drives, the pyramid,
seed 004's key-account rule (≥ 2,000 yuan a month), the value-drop warning and key-first order."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kefu.core.errors import ConcurrentUpdate, PermissionDenied, ValidationFailed
from kefu.customers import services
from kefu.customers.importing import import_upload
from kefu.customers.models import AnomalyRule, Customer, CustomerWarning, MonthlySales, ValuePolicy
from kefu.timeline.models import TimelineEvent

TODAY = dt.date(2026, 12, 4)  # window: 2025-12 … 2026-11


def months_back(n: int) -> str:
    """'YYYY-MM' n months before November 2026 (0 = 2026-11)."""
    index = 2026 * 12 + 10 - n
    return f"{index // 12}-{index % 12 + 1:02d}"


def feed(customer, monthly: list[Decimal | int], actor=None):
    """Feed the last len(monthly) months, oldest first, ending November 2026."""
    for i, amount in enumerate(monthly):
        services.record_sales(customer, actor=actor, period=months_back(len(monthly) - 1 - i), amount=amount)


def test_the_same_customer_and_month_twice_updates_never_duplicates(make_customer, manager):
    customer = make_customer()
    row, created = services.record_sales(customer, actor=manager.user, period="2026-11", amount="1200.50")
    assert created
    again, created_again = services.record_sales(
        customer, actor=manager.user, period="2026年11月", amount=Decimal("1800")
    )
    assert not created_again and again.pk == row.pk
    assert MonthlySales.objects.filter(customer=customer).count() == 1
    assert MonthlySales.objects.get(customer=customer).amount == Decimal("1800.00")
    # the same value a third time changes nothing and records nothing
    events = TimelineEvent.objects.filter(event_type="customer.sales_recorded", object_id=customer.pk)
    before = events.count()
    services.record_sales(customer, actor=manager.user, period="2026-11-01", amount="1800.00")
    assert events.count() == before == 2


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [("period", {"period": "2026-13", "amount": "1"}), ("amount", {"period": "2026-11", "amount": "12万"})],
)
def test_bad_month_or_amount_names_the_field_and_saves_nothing(make_customer, manager, field, kwargs):
    customer = make_customer()
    with pytest.raises(ValidationFailed) as exc:
        services.record_sales(customer, actor=manager.user, **kwargs)
    assert field in exc.value.fields
    assert not MonthlySales.objects.exists()


def test_feeding_needs_the_feed_permission(make_customer, org, staff_factory):
    technician = staff_factory(roles=["technician"], offices=[org.office_a])
    with pytest.raises(PermissionDenied):
        services.record_sales(make_customer(), actor=technician.user, period="2026-11", amount=1)


def test_value_is_the_average_over_the_window_and_quarters_are_summed(make_customer):
    customer = make_customer()
    feed(customer, [1000] * 6 + [3000] * 6)  # 2025-12 … 2026-11
    MonthlySales.objects.create(customer=customer, period=dt.date(2024, 1, 1), amount=99999)  # outside
    services.recompute_values(today=TODAY)
    customer.refresh_from_db()
    assert customer.value_amount == Decimal("2000.00")
    assert customer.sales_quarter == Decimal("9000.00")
    assert customer.sales_quarter_previous == Decimal("9000.00")
    assert customer.sales_through == dt.date(2026, 11, 1)
    # running again writes no row
    assert services.recompute_values(today=TODAY) == 0
    # whole yuan amounts keep their fen in the average (no integer division)
    services.record_sales(customer, actor=None, period="2026-11", amount=3001)
    customer.refresh_from_db()
    assert customer.value_amount == Decimal("2000.08")


@pytest.mark.parametrize(("monthly", "is_key"), [("2000.00", True), ("1999.99", False)])
def test_key_account_rule_boundary_2000_yuan(make_customer, monthly, is_key):
    customer = make_customer()
    feed(customer, [Decimal(monthly)] * 12)
    services.recompute_values(today=TODAY)
    services.recompute_key_customers()
    customer.refresh_from_db()
    assert customer.key_by_sales is is_key
    assert customer.is_key is is_key


def test_key_account_rule_is_data(make_customer):
    customer = make_customer()
    feed(customer, [1500] * 12)
    services.recompute_values(today=TODAY)
    policy = ValuePolicy.current()
    policy.key_account_min_average = Decimal(1500)
    policy.save()
    services.recompute_key_customers()
    customer.refresh_from_db()
    assert customer.key_by_sales


def test_feed_moves_the_pyramid_and_key_customers_follow_their_tier(org):
    customers = [
        services.create_customer(actor=None, name=f"客户{i}", sales_office=org.office_a) for i in range(100)
    ]
    for i, c in enumerate(customers):
        MonthlySales.objects.create(customer=c, period=dt.date(2026, 11, 1), amount=10 * (i + 1))
    services.recompute_value_classification(today=TODAY)
    tiers = dict(Customer.objects.values_list("pk", "tier"))
    assert tiers[customers[-1].pk] == "key" and tiers[customers[0].pk] == "small"
    assert set(Customer.objects.filter(is_key=True).values_list("tier", flat=True)) == {"key", "major"}
    assert Customer.objects.filter(is_key=True).count() == 20
    # the smallest customer's sales jump: it climbs to the top, the old top one drops out of "key"
    services.record_sales(customers[0], actor=None, period="2026-11", amount=1_000_000)
    services.recompute_value_classification(today=TODAY)
    top = Customer.objects.get(pk=customers[0].pk)
    assert (top.tier, top.is_key) == ("key", True)
    assert Customer.objects.get(pk=customers[-1].pk).tier == "major"


def test_value_drop_warning_threshold_last_quarter_vs_previous(make_customer, manager):
    rule = AnomalyRule.objects.get(kind="value_drop")
    rule.threshold = Decimal(30)
    rule.save()
    customer = make_customer(key_account_manager=None, responsible=manager)
    exactly = make_customer(name="刚好30%", responsible=manager)
    slight = make_customer(name="只降29%", responsible=manager)
    feed(customer, [0] * 6 + [1000] * 3 + [500] * 3)  # −50 %
    feed(exactly, [0] * 6 + [1000] * 3 + [700] * 3)  # −30 %: at the threshold
    feed(slight, [0] * 6 + [1000] * 3 + [710] * 3)  # −29 %
    result = services.recompute_value_classification(today=TODAY)
    assert result["warned"] == 2
    warned = set(CustomerWarning.objects.filter(kind="value_drop").values_list("customer_id", flat=True))
    assert warned == {customer.pk, exactly.pk}
    assert CustomerWarning.objects.get(customer=customer).assignee == manager
    # idempotent: a second run raises nothing new
    assert services.recompute_value_classification(today=TODAY)["warned"] == 0
    assert CustomerWarning.objects.count() == 2


def test_acknowledge_with_a_note_leaves_the_open_list_and_the_timeline_keeps_it(make_customer, manager):
    customer = make_customer()
    warning = services.raise_warning(customer, kind="low_rating", source_key="rating:1", message="2 星")
    assert services.raise_warning(customer, kind="low_rating", source_key="rating:1", message="2 星") is None
    with pytest.raises(ValidationFailed) as exc:
        services.acknowledge_warning(warning, actor=manager.user, note=" ")
    assert "note" in exc.value.fields
    services.acknowledge_warning(warning, actor=manager.user, note="已电话致歉并安排回访")
    warning.refresh_from_db()
    assert not warning.is_open and warning.acknowledged_by == manager.user
    with pytest.raises(ConcurrentUpdate):
        services.acknowledge_warning(warning, actor=manager.user, note="再次确认")
    codes = list(
        TimelineEvent.objects.filter(
            object_id=customer.pk, event_type__startswith="customer.warning"
        ).values_list("event_type", flat=True)
    )
    assert sorted(codes) == ["customer.warning_acknowledged", "customer.warning_raised"]


def test_warning_notifies_who_must_act_in_app_and_by_mail_after_commit(
    make_customer, staff_factory, org, smtp_server, django_capture_on_commit_callbacks
):
    from kefu.channels.models import Notice

    kam = staff_factory(roles=["key_account"], offices=[org.office_a], email="kam@example.com")
    customer = make_customer(is_key_account=True, key_account_manager=kam)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.raise_warning(customer, kind="satisfaction", source_key="survey:1", message="满意度异常")
    # nothing is sent before the commit
    assert not Notice.objects.filter(recipient=kam.user).exists() and not smtp_server
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    assert Notice.objects.filter(recipient=kam.user, message__contains="满意度异常").exists()
    assert len(smtp_server) == 1 and smtp_server[0]["X-Envelope-To"] == "kam@example.com"


def _csv(rows: list[str]) -> SimpleUploadedFile:
    return SimpleUploadedFile("sales.csv", ("\n".join(rows) + "\n").encode("gbk"), "text/csv")


def test_import_with_chinese_headers_is_idempotent_and_reports_row_and_column(make_customer, manager):
    a = make_customer(number="2110050007")
    b = make_customer(number="2110050008", name="乙公司")
    good = [
        "客户编号,月份,销售额",
        "2110050007,2026-10,1500",
        "2110050007,2026-11,2500",
        "2110050008,2026/11,800",
    ]
    result = import_upload(actor=manager.user, kind="sales", upload=_csv(good), mode="all_or_nothing")
    assert (result.error_count, result.created) == (0, 3)
    result = import_upload(actor=manager.user, kind="sales", upload=_csv(good), mode="all_or_nothing")
    assert MonthlySales.objects.count() == 3
    changed = ["客户编号,月份,销售额", "2110050007,2026-11,3000"]
    import_upload(actor=manager.user, kind="sales", upload=_csv(changed), mode="all_or_nothing")
    assert MonthlySales.objects.get(customer=a, period=dt.date(2026, 11, 1)).amount == Decimal(3000)
    bad = [
        "客户编号,月份,销售额",
        "2110050008,2026-09,100",
        "9999999999,2026-11,1",
        "2110050008,2026-13,1",
        "2110050008,2026-08,abc",
        "2110050008,2026-09,200",
    ]
    result = import_upload(actor=manager.user, kind="sales", upload=_csv(bad), mode="all_or_nothing")
    assert result.created == 0
    assert {(e.row, e.field) for e in result.errors} == {
        (3, "客户"),
        (4, "月份"),
        (5, "销售额（元）"),
        (6, "月份"),
    }
    assert not MonthlySales.objects.filter(customer=b, period=dt.date(2026, 9, 1)).exists()


def test_key_customers_come_first_in_the_complaint_worklist_from_their_tier(org, manager):
    from kefu.complaints import queries as complaint_queries
    from kefu.complaints.models import Complaint

    small = services.create_customer(actor=None, name="小客户", sales_office=org.office_a)
    big = services.create_customer(actor=None, name="大客户", sales_office=org.office_a)
    others = [
        services.create_customer(actor=None, name=f"客户{i}", sales_office=org.office_a) for i in range(8)
    ]
    for i, c in enumerate([small, *others]):
        MonthlySales.objects.create(customer=c, period=dt.date(2026, 11, 1), amount=10 + i)
    MonthlySales.objects.create(customer=big, period=dt.date(2026, 11, 1), amount=900)
    services.recompute_value_classification(today=TODAY)
    from kefu.complaints.services import create_complaint

    first = create_complaint(actor=manager.user, customer=small, subject="送货晚点")
    second = create_complaint(actor=manager.user, customer=big, subject="家具破损")
    assert Complaint.objects.get(pk=second.pk).is_key_account  # from the tier, no hand-set flag
    order = list(complaint_queries.complaints_for(manager.user).filter(pk__in=[first.pk, second.pk]))
    assert [c.pk for c in order] == [second.pk, first.pk]
    # the tier moves: the open complaint follows on the next recompute
    MonthlySales.objects.filter(customer=big).update(amount=1)
    services.recompute_value_classification(today=TODAY)
    assert not Complaint.objects.get(pk=second.pk).is_key_account


def test_api_put_and_post_are_idempotent_per_customer_and_month(client, make_customer, manager):

    customer = make_customer(number="2110050007")
    client.force_login(manager.user)
    url = f"/api/v1/customers/{customer.pk}/sales/2026-11"
    first = client.put(url, {"amount": "2500"}, content_type="application/json")
    assert first.status_code == 201, first.content
    again = client.put(url, {"amount": "2600"}, content_type="application/json")
    assert again.status_code == 200 and again.json()["amount"] == "2600.00"
    posted = client.post(
        "/api/v1/customers/sales",
        {"customer": "2110050007", "period": "2026-11", "amount": "2700"},
        content_type="application/json",
    )
    assert posted.status_code == 200 and posted.json()["created"] is False
    assert MonthlySales.objects.filter(customer=customer).count() == 1
    bad = client.put(url, {"amount": "-1e99"}, content_type="application/json")
    assert bad.status_code == 400 and "amount" in bad.json()["error"]["fields"]
    missing = client.post(
        "/api/v1/customers/sales",
        {"customer": "2999999999", "period": "2026-11", "amount": "1"},
        content_type="application/json",
    )
    assert missing.status_code == 404
    listed = client.get(f"/api/v1/customers/{customer.pk}/sales")
    assert [r["period"] for r in listed.json()] == ["2026-11"]


def test_api_acknowledge_route(client, make_customer, manager):

    customer = make_customer(responsible=manager)
    warning = services.raise_warning(customer, kind="value_drop", source_key="x", message="销售额下降")
    client.force_login(manager.user)
    listed = client.get("/api/v1/customers/warnings")
    assert [w["id"] for w in listed.json()["items"]] == [warning.pk]
    url = f"/api/v1/customers/warnings/{warning.pk}/acknowledge"
    assert client.post(url, {"note": ""}, content_type="application/json").status_code == 400
    done = client.post(url, {"note": "已联系客户"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["is_open"] is False
    assert client.post(url, {"note": "再次"}, content_type="application/json").status_code == 409
    assert client.get("/api/v1/customers/warnings").json()["items"] == []


def test_page_acknowledge_action(client, make_customer, manager):

    customer = make_customer(responsible=manager)
    warning = services.raise_warning(customer, kind="value_drop", source_key="x", message="销售额下降")
    client.force_login(manager.user)
    page = client.get("/customers/warnings/")
    assert f'id="warning-{warning.pk}"' in page.content.decode()
    client.post(f"/customers/warnings/{warning.pk}/acknowledge/", {"note": "已处理"})
    assert not CustomerWarning.objects.get(pk=warning.pk).is_open
    assert f'id="warning-{warning.pk}"' not in client.get("/customers/warnings/").content.decode()
