"""Recording a visit: the record, the customer data card and follow-ups owned by the problem's owner."""

import pytest

from kefu.core.errors import ConcurrentUpdate, ValidationFailed
from kefu.visits import services
from kefu.visits.choices import VisitStatus
from kefu.visits.errors import VisitNotPlanned
from kefu.visits.testing import sh

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(frozen_clock, customer, people):
    frozen_clock.set(sh(2026, 12, 2, 10))
    return services.plan_visit(
        actor=people["relation"].user, customer=customer, due_at=sh(2026, 12, 4, 17), reason="季度回访"
    )


def test_visit_creates_a_linked_notification_owned_by_the_problem_owner(visit, people):
    from kefu.tickets.models import Notification
    from kefu.timeline.models import TimelineEvent

    services.record_visit(
        visit,
        actor=people["relation"].user,
        expected_version=visit.version,
        contact_person="张经理",
        summary="客户反映会议桌抽屉滑轨损坏,其余满意。",
        satisfaction=4,
        card={"contact_name": "张经理", "volume_outlook": "明年增加20%", "junk": "x"},
        follow_ups=[
            {"kind": "notification", "description": "会议桌抽屉滑轨损坏", "owner": people["technician"]}
        ],
    )
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DONE
    assert visit.card == {"contact_name": "张经理", "volume_outlook": "明年增加20%"}
    follow_up = visit.follow_ups.get()
    notification = Notification.objects.get(pk=follow_up.notification_id)
    assert notification.customer_id == visit.customer_id
    assert notification.responsible == people["technician"]
    assert "会议桌抽屉滑轨损坏" in notification.long_text
    codes = set(TimelineEvent.objects.filter(object_id=visit.pk).values_list("event_type", flat=True))
    assert {"visits.recorded", "visits.follow_up"} <= codes
    visit.customer.refresh_from_db()
    assert visit.customer.last_contact_at is not None


def test_visit_can_raise_a_complaint(visit, people):
    services.record_visit(
        visit,
        actor=people["keyaccount"].user,
        expected_version=visit.version,
        summary="客户投诉送货延迟",
        follow_ups=[{"kind": "complaint", "description": "送货比约定晚了两天"}],
    )
    assert visit.follow_ups.get().complaint.subject == "送货比约定晚了两天"


def test_nothing_half_saved_when_a_follow_up_is_refused(visit, people):
    """The information specialist may not create notifications: the visit stays planned."""
    from kefu.core.testing.factories import make_staff

    info = make_staff(roles=["information_specialist"], name="信息员")
    # grant the visit permission only, so the follow-up's own check is what refuses
    from django.contrib.auth.models import Permission

    info.user.user_permissions.add(Permission.objects.get(codename="change_visit"))
    info.user = type(info.user).objects.get(pk=info.user.pk)
    with pytest.raises(Exception) as exc:
        services.record_visit(
            visit,
            actor=info.user,
            expected_version=visit.version,
            summary="x",
            follow_ups=[{"kind": "notification", "description": "坏了"}],
        )
    assert getattr(exc.value, "status", None) == 403
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED and not visit.follow_ups.exists()


def test_twice_or_stale_is_refused(visit, people):
    actor = people["relation"].user
    stale = visit.version
    services.record_visit(visit, actor=actor, expected_version=stale, summary="ok")
    with pytest.raises(VisitNotPlanned):
        services.record_visit(visit, actor=actor, expected_version=visit.version, summary="again")
    other = services.plan_visit(actor=actor, customer=visit.customer, due_at=sh(2026, 12, 9, 17))
    with pytest.raises(ConcurrentUpdate):
        services.record_visit(other, actor=actor, expected_version=other.version + 1, summary="x")


def test_summary_is_required_and_named(visit, people):
    with pytest.raises(ValidationFailed) as exc:
        services.record_visit(
            visit, actor=people["relation"].user, expected_version=visit.version, summary=" "
        )
    assert "summary" in exc.value.fields


def test_the_data_card_is_written_back_to_the_customer_versioned(visit, people, frozen_clock):
    """h-value: contact, position, phone and needs of the card reach the archive, in its history."""
    from kefu.customers.models import Contact
    from kefu.timeline.models import TimelineEvent

    customer = visit.customer
    version = customer.version
    services.record_visit(
        visit,
        actor=people["relation"].user,
        expected_version=visit.version,
        summary="客户计划明年扩建仓库",
        needs="明年新增两处仓库的货架安装",
        card={
            "contact_name": "王主任",
            "position": "行政部主任",
            "contact_phone": "13912345678",
            "volume_outlook": "明年增加20%",
        },
    )
    customer.refresh_from_db()
    contact = Contact.objects.get(customer=customer, name="王主任")
    assert (contact.position, contact.mobile) == ("行政部主任", "13912345678")
    assert customer.needs.startswith("2026-12-02 ") and "明年新增两处仓库的货架安装" in customer.needs
    assert "明年增加20%" in customer.needs
    assert customer.version > version
    codes = set(TimelineEvent.objects.filter(object_id=customer.pk).values_list("event_type", flat=True))
    assert {"customer.contact_added", "customer.changed"} <= codes
    # a later visit with the same contact updates it, never a second one
    frozen_clock.set(sh(2026, 12, 3, 10))
    second = services.plan_visit(
        actor=people["relation"].user, customer=customer, due_at=sh(2026, 12, 4, 17), reason="跟进"
    )
    services.record_visit(
        second,
        actor=people["relation"].user,
        expected_version=second.version,
        summary="跟进",
        card={"contact_name": "王主任", "position": "副总经理"},
    )
    assert Contact.objects.filter(customer=customer, name="王主任").get().position == "副总经理"


def test_a_bad_phone_on_the_card_names_the_field_and_saves_nothing(visit, people):
    from kefu.customers.models import Contact

    with pytest.raises(ValidationFailed) as exc:
        services.record_visit(
            visit,
            actor=people["relation"].user,
            expected_version=visit.version,
            summary="回访",
            card={"contact_name": "王主任", "contact_phone": "12345"},
        )
    assert "card.contact_phone" in exc.value.fields
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED
    assert not Contact.objects.filter(name="王主任").exists()


def test_the_card_phone_stays_masked_for_who_may_not_see_it(visit, people):
    services.record_visit(
        visit,
        actor=people["relation"].user,
        expected_version=visit.version,
        summary="回访",
        card={"contact_name": "王主任", "contact_phone": "13912345678"},
    )
    visit.refresh_from_db()
    shown = services.present_card(visit.card, people["assistant"].user)
    assert shown["contact_phone"] != "13912345678" and shown["contact_phone"].endswith("5678")
