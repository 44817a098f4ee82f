import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from kefu.core.errors import ConcurrentUpdate, PermissionDenied, ValidationFailed
from kefu.customers import services
from kefu.customers.errors import DuplicateNumber
from kefu.customers.models import Contact, Customer, GradeRule
from kefu.timeline.models import TimelineEvent

pytestmark = pytest.mark.django_db


def test_create_assigns_a_ten_digit_number_and_records_history(make_customer, assistant):
    customer = services.create_customer(
        actor=assistant.user,
        name="北京华盛科技有限公司",
        sales_office=assistant.sales_offices.first(),
        phone="010-65881234",
        contacts=[{"name": "张伟", "mobile": "13912345678"}],
    )
    assert len(customer.number) == 10 and customer.number.isdigit()
    assert customer.contacts.get().is_primary
    assert TimelineEvent.objects.filter(object_id=customer.pk, event_type="customer.created").exists()


def test_user_assigned_number_must_be_unique(make_customer):
    make_customer(number="2110050007")
    with pytest.raises(DuplicateNumber):
        make_customer(number="2110050007", name="另一家")
    assert Customer.objects.count() == 1


def test_every_invalid_field_is_named_and_nothing_is_saved(org):
    with pytest.raises(ValidationFailed) as caught:
        services.create_customer(
            actor=None,
            number="12ab",
            name="",
            sales_office=org.office_a,
            mobile="12345",
            email="not-mail",
            postal_code="1000",
            contacts=[{"name": "张三"}],
        )
    fields = caught.value.fields
    assert {"number", "name", "mobile", "email", "postal_code"} <= set(fields)
    assert fields["mobile"][0].startswith("手机") or "mobile" in fields["mobile"][0].lower()
    assert Customer.objects.count() == 0 and Contact.objects.count() == 0


def test_a_bad_contact_rolls_back_the_customer(org):
    with pytest.raises(ValidationFailed):
        services.create_customer(
            actor=None, name="某公司", sales_office=org.office_a, contacts=[{"name": ""}]
        )
    assert Customer.objects.count() == 0


def test_update_records_old_and_new_values(make_customer, manager):
    customer = make_customer(phone="010-65881234")
    services.update_customer(
        customer, actor=manager.user, expected_version=customer.version, phone="010-65889999"
    )
    event = TimelineEvent.objects.get(object_id=customer.pk, event_type="customer.changed")
    assert event.data["changes"]["phone"] == {"old": "010-65881234", "new": "010-65889999"}
    assert event.actor == manager.user


def test_second_concurrent_save_is_refused(make_customer, manager):
    customer = make_customer()
    seen = customer.version
    first = Customer.objects.get(pk=customer.pk)
    second = Customer.objects.get(pk=customer.pk)
    services.update_customer(first, actor=manager.user, expected_version=seen, name="新名称一")
    with pytest.raises(ConcurrentUpdate):
        services.update_customer(second, actor=manager.user, expected_version=seen, name="新名称二")
    assert Customer.objects.get(pk=customer.pk).name == "新名称一"


def test_user_without_permission_cannot_create(org, staff_factory):
    technician = staff_factory(roles=["technician"], offices=[org.office_a])
    with pytest.raises(PermissionDenied):
        services.create_customer(actor=technician.user, name="x", sales_office=org.office_a)


def test_cannot_file_customer_outside_own_centre(org, assistant):
    with pytest.raises(ValidationFailed) as caught:
        services.create_customer(actor=assistant.user, name="x", sales_office=org.office_b)
    assert "sales_office" in caught.value.fields


def test_one_primary_contact(make_customer, manager):
    customer = make_customer(contacts=[{"name": "甲"}])
    second = services.add_contact(customer, actor=manager.user, name="乙", is_primary=True)
    assert list(customer.contacts.filter(is_primary=True)) == [second]


def test_service_addresses_get_codes_and_one_default(make_customer, manager):
    customer = make_customer()
    first = services.add_service_address(
        customer, actor=manager.user, name="仓库", address="北京市朝阳区建国路1号"
    )
    second = services.add_service_address(
        customer, actor=manager.user, name="门店", address="北京市海淀区中关村2号"
    )
    assert (first.code, second.code) == ("FL-01", "FL-02")
    first.refresh_from_db()
    assert first.is_default and not second.is_default


def test_partner_links(make_customer, manager):
    sold_to = make_customer()
    ship_to = make_customer(name="送达方公司")
    services.add_partner(sold_to, actor=manager.user, function="SH", partner=ship_to)
    assert sold_to.partners.get().partner == ship_to


def test_pyramid_splits_1_19_30_50(org):
    customers = [
        services.create_customer(
            actor=None, name=f"客户{i}", sales_office=org.office_a, value_amount=Decimal(i)
        )
        for i in range(1, 201)
    ]
    counts = services.recompute_pyramid(actor=None)
    assert {str(k): v for k, v in counts.items()} == {"key": 2, "major": 38, "ordinary": 60, "small": 100}
    top = Customer.objects.get(pk=customers[-1].pk)
    bottom = Customer.objects.get(pk=customers[0].pk)
    assert top.tier == "key" and bottom.tier == "small"
    assert Customer.objects.filter(tier="major").order_by("value_amount").first().value_amount == Decimal(161)


def test_grades_by_rules_and_manual_override_is_kept(make_customer, manager):
    GradeRule.objects.filter(grade="A").update(
        min_cooperation_years=3, min_volume=Decimal(1000), min_satisfaction=80, min_loyalty=None
    )
    old = timezone.localdate() - dt.timedelta(days=365 * 5)
    a = make_customer(cooperation_since=old, volume=Decimal(5000), satisfaction=90, loyalty=90)
    c = make_customer(name="新客户", cooperation_since=timezone.localdate(), volume=Decimal(0))
    services.set_grade_override(
        c, actor=manager.user, grade="B", reason="战略合作", expected_version=c.version
    )
    services.recompute_grades(actor=None)
    a.refresh_from_db()
    c.refresh_from_db()
    assert a.grade == "A"
    assert c.grade == "B" and c.grade_computed == "C" and c.grade_override_by == manager.user
    assert TimelineEvent.objects.filter(object_id=c.pk, event_type="customer.grade_overridden").exists()


def test_manual_grade_needs_a_reason(make_customer, manager):
    customer = make_customer()
    with pytest.raises(ValidationFailed) as caught:
        services.set_grade_override(customer, actor=manager.user, grade="A", reason="", expected_version=1)
    assert "reason" in caught.value.fields


def test_anomaly_flags_from_the_inputs_other_apps_feed(make_customer):
    quiet = make_customer(name="久未联系")
    services.note_contact(quiet, at=timezone.now() - dt.timedelta(days=200))
    dropped = make_customer(name="价值下降", value_previous=Decimal(1000), value_amount=Decimal(100))
    unhappy = make_customer(name="投诉多")
    for _ in range(3):
        services.note_complaint(unhappy)
    fine = make_customer(name="正常")
    services.note_contact(fine)
    assert services.recompute_anomalies(actor=None) == 3
    assert Customer.objects.get(pk=quiet.pk).anomaly_mask & 1
    assert Customer.objects.get(pk=dropped.pk).anomaly_mask & 2
    assert Customer.objects.get(pk=unhappy.pk).anomaly_mask & 4
    assert Customer.objects.get(pk=fine.pk).anomaly_mask == 0


def test_add_value_and_close_period(make_customer):
    customer = make_customer()
    services.add_value(customer, Decimal("12.50"))
    services.add_value(customer, Decimal("7.50"))
    assert customer.value_amount == Decimal("20.00")
    services.close_value_period()
    customer.refresh_from_db()
    assert (customer.value_previous, customer.value_amount) == (Decimal("20.00"), Decimal("0.00"))


def test_nightly_task_classifies(make_customer):
    from kefu.customers.tasks import classify_all

    make_customer(value_amount=Decimal(10))
    result = classify_all()
    assert result["graded"] == 1 and result["tiers"]["key"] == 1


def test_a_mobile_must_be_in_a_range_china_allocates_to_mobiles(org):
    """phonenumbers' plan of China: 140… looks like a mobile but is not one; 138… is."""
    from kefu.customers.models import phone_problem

    assert phone_problem("13812345678", mobile=True) is None
    assert phone_problem("+86 138 1234 5678", mobile=True) is None
    assert phone_problem("14012345678", mobile=True)
    assert phone_problem("1381234567", mobile=True)  # ten digits


def test_customer_dates_follow_the_project_clock(make_customer, assistant):
    """Grades, contacts and manual overrides are dated by the one project clock (a frozen clock in a
    test, a replayed day in a backfill), not the wall clock."""
    from kefu.worktime import clock

    customer = make_customer()
    at = timezone.make_aware(dt.datetime(2025, 3, 14, 10, 30), timezone.get_fixed_timezone(480))
    with clock.frozen(at):
        services.note_contact(customer)
    customer.refresh_from_db()
    assert customer.last_contact_at == at
