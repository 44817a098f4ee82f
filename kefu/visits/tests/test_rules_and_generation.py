"""Return-visit rules → idempotent task generation (seeds 003 and 004)."""

from datetime import date

import pytest

from kefu.visits import services
from kefu.visits.choices import Method, Trigger, VisitStatus
from kefu.visits.models import Visit, VisitRule
from kefu.visits.testing import sh

pytestmark = pytest.mark.django_db


def _rule(**kw):
    return VisitRule(**{"name": "r", "every_months": 1, **kw})


@pytest.mark.parametrize(
    ("since", "month", "expected"),
    [
        (date(2026, 6, 15), date(2026, 7, 1), True),  # first month after delivery
        (date(2026, 6, 15), date(2026, 6, 1), False),  # the delivery month itself
        (date(2025, 12, 1), date(2026, 11, 1), True),  # 11 months: still the first year
        (date(2025, 12, 1), date(2026, 12, 1), False),  # 12 months: the first-year rule stops
    ],
)
def test_first_year_monthly_rule(since, month, expected):
    rule = _rule(min_months=0, max_months=12)
    assert services.rule_matches(rule, tier="", grade="", since=since, month=month) is expected


@pytest.mark.parametrize(
    ("month", "expected"), [(date(2026, 12, 1), True), (date(2027, 1, 1), False), (date(2027, 3, 1), True)]
)
def test_after_first_year_quarterly_rule(month, expected):
    rule = _rule(min_months=12, every_months=3)
    assert services.rule_matches(rule, tier="", grade="", since=date(2025, 12, 1), month=month) is expected


def test_tier_and_grade_must_match():
    rule = _rule(tier="key", grade="A")
    assert services.rule_matches(rule, tier="key", grade="A", since=None, month=date(2026, 5, 1))
    assert not services.rule_matches(rule, tier="major", grade="A", since=None, month=date(2026, 5, 1))
    assert not services.rule_matches(rule, tier="key", grade="B", since=None, month=date(2026, 5, 1))


def test_generation_is_idempotent_and_key_customers_are_visited_on_site(frozen_clock, make_customer, people):
    frozen_clock.set(sh(2026, 12, 1, 9))
    key = make_customer(tier="key", is_key_account=True, key_account_manager=people["keyaccount"])
    young = make_customer(cooperation_since=date(2026, 6, 1))
    old = make_customer(cooperation_since=date(2024, 3, 1))  # 33 months: a quarter month
    old_off = make_customer(cooperation_since=date(2024, 4, 1))  # 32 months: not this month
    make_customer(cooperation_since=date(2026, 6, 1), is_active=False)

    first = services.generate_visits()
    second = services.generate_visits()

    assert first.created == 3 and second.created == 0
    assert Visit.objects.count() == 3
    by_customer = {v.customer_id: v for v in Visit.objects.all()}
    assert set(by_customer) == {key.pk, young.pk, old.pk}
    assert old_off.pk not in by_customer
    assert by_customer[key.pk].method == Method.ON_SITE and by_customer[key.pk].is_key
    assert by_customer[key.pk].owner == people["keyaccount"]  # key-account manager owns it
    assert by_customer[young.pk].owner == people["technician"]  # the responsible staff
    # Due on the work calendar: 10 work days from Tue 1 Dec 08:30 end on Mon 14 Dec at 17:30.
    assert by_customer[young.pk].due_at == sh(2026, 12, 14, 17, 30)


def test_generation_skips_inactive_rules(frozen_clock, make_customer):
    frozen_clock.set(sh(2026, 12, 1, 9))
    make_customer(cooperation_since=date(2026, 6, 1))
    VisitRule.objects.update(is_active=False)
    assert services.generate_visits().created == 0


def test_closed_complaint_plans_one_visit(frozen_clock, customer, people):
    from kefu.complaints.models import Complaint

    frozen_clock.set(sh(2026, 12, 1, 9))
    from kefu.complaints.services import create_complaint

    complaint = create_complaint(actor=people["keyaccount"].user, customer=customer, subject="桌面开裂")
    Complaint.objects.filter(pk=complaint.pk).update(is_open=False, closed_at=sh(2026, 11, 30, 10))
    assert services.plan_after_closed_complaints() == 1
    assert services.plan_after_closed_complaints() == 0
    visit = Visit.objects.get(plan_key=f"complaint:{complaint.pk}")
    assert visit.trigger == Trigger.COMPLAINT_CLOSED and visit.status == VisitStatus.PLANNED


def test_rule_bounds_are_checked(people):
    from kefu.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as exc:
        services.save_rule(actor=people["relation"].user, name="x", min_months=12, max_months=6)
    assert "max_months" in exc.value.fields
    with pytest.raises(Exception) as denied:
        services.save_rule(actor=people["assistant"].user, name="x")
    assert getattr(denied.value, "status", None) == 403


def test_a_segment_condition_plans_visits_only_for_its_members(frozen_clock, make_customer, people):
    """客户分类 drives visit rules: a rule naming a segment visits that segment's customers only."""
    from kefu.customers.models import CustomerSegment, Segment, SegmentRun

    frozen_clock.set(sh(2026, 12, 1, 9))
    VisitRule.objects.update(is_active=False)
    member = make_customer(cooperation_since=date(2026, 6, 1))
    other = make_customer(cooperation_since=date(2026, 6, 1))
    run = SegmentRun.objects.create(status="done", k=2)
    wanted, unwanted = Segment.objects.create(run=run, number=0), Segment.objects.create(run=run, number=1)
    CustomerSegment.objects.create(run=run, segment=wanted, customer=member)
    CustomerSegment.objects.create(run=run, segment=unwanted, customer=other)
    services.save_rule(
        actor=people["relation"].user, name="高价值客户每月回访", segment=wanted, every_months=1
    )

    assert services.generate_visits().created == 1
    assert list(Visit.objects.values_list("customer_id", flat=True)) == [member.pk]
    rule = VisitRule.objects.get(segment=wanted)
    assert services.rule_matches(
        rule, tier="", grade="", since=None, month=date(2026, 12, 1), segments={wanted.pk}
    )
    assert not services.rule_matches(
        rule, tier="", grade="", since=None, month=date(2026, 12, 1), segments=set()
    )


def test_two_supervisors_changing_one_rule_do_not_lose_an_update(people):
    """Each change names the version it was made on: the second of two concurrent edits is refused."""
    from kefu.core.errors import ConcurrentUpdate

    actor = people["relation"].user
    rule = services.save_rule(actor=actor, name="关键客户季度回访", every_months=3)
    seen = rule.version
    first, second = VisitRule.objects.get(pk=rule.pk), VisitRule.objects.get(pk=rule.pk)
    services.save_rule(actor=actor, rule=first, expected_version=seen, every_months=1)
    with pytest.raises(ConcurrentUpdate):
        services.save_rule(actor=actor, rule=second, expected_version=seen, name="改名")
    rule.refresh_from_db()
    assert (rule.name, rule.every_months, rule.version) == ("关键客户季度回访", 1, seen + 1)


def test_the_rule_page_posts_the_version_it_showed(people):
    from kefu.core.testing.scope import client_for

    rule = services.save_rule(actor=people["relation"].user, name="月度回访", every_months=1)
    client = client_for(people["relation"])
    page = client.get(f"/visits/rules/{rule.pk}/edit/").content.decode()
    assert f'name="version" value="{rule.version}"' in page
    stale = {
        "name": "旧页面",
        "trigger": rule.trigger,
        "every_months": 2,
        "method": rule.method,
        "due_workdays": rule.due_workdays,
        "owner_from": rule.owner_from,
        "order": rule.order,
        "is_active": "on",
        "version": rule.version - 1 if rule.version > 1 else rule.version + 5,
    }
    response = client.post(f"/visits/rules/{rule.pk}/edit/", stale)
    assert response.status_code == 200
    rule.refresh_from_db()
    assert rule.name == "月度回访"
