"""The customer's story: each kind shows by its own permission and scope, open work first."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group, Permission

from kefu.complaints.services import create_accident, create_complaint
from kefu.org.choices import DataScope
from kefu.org.models import Role
from kefu.visits.story import customer_story

SH = ZoneInfo("Asia/Shanghai")


def _story_kinds(customer, user):
    return [item.kind for item in customer_story(customer, user)]


def _accident(org, people, customer):
    return create_accident(
        actor=people["assistant"].user,
        kind="damage",
        occurred_at=datetime(2026, 11, 23, 10, tzinfo=SH),
        place="北京朝阳仓",
        description="运输途中破损",
        sales_office=org.office_a,
        estimated_loss=Decimal("500.00"),
        customer=customer,
    )


def test_story_shows_complaints_and_accidents_in_scope(org, people, customer):
    create_complaint(actor=people["assistant"].user, customer=customer, subject="活动柜锁坏")
    accident = _accident(org, people, customer)
    kinds = _story_kinds(customer, people["assistant"].user)
    assert kinds.count("complaint") == 1 and kinds.count("accident") == 1
    titles = [item.title for item in customer_story(customer, people["assistant"].user)]
    assert any(title.startswith(accident.number) for title in titles)
    assert "accident" not in _story_kinds(customer, people["outsider"].user)  # another centre


def test_accidents_show_by_their_own_permission_not_the_complaints_one(org, people, staff_factory, customer):
    create_complaint(actor=people["assistant"].user, customer=customer, subject="活动柜锁坏")
    _accident(org, people, customer)
    group = Group.objects.create(name="物流专员")  # a centre role that sees accidents, not complaints
    group.permissions.add(Permission.objects.get(codename="view_accident"))
    Role.objects.create(group=group, code="logistics", data_scope=DataScope.CENTRE)
    logistics = staff_factory(roles=["logistics"], offices=[org.office_a], name="物流专员")
    user = type(logistics.user).objects.get(pk=logistics.user.pk)
    assert not user.has_perm("complaints.view_complaint")
    kinds = _story_kinds(customer, user)
    assert "accident" in kinds and "complaint" not in kinds
