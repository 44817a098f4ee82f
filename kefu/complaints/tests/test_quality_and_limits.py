"""Quality feedback (recurring complaints per material) and time limits per customer tier/grade."""

import pytest

from kefu.complaints.errors import NotAQualityComplaint
from kefu.complaints.flows import limit_for
from kefu.complaints.models import Complaint, StepTimeLimit
from kefu.complaints.queries import recurring_materials
from kefu.complaints.services import mark_quality_resolved, send_to_quality, transition_complaint
from kefu.workflow.models import Status

from .conftest import RECORD_INPUTS, sh

pytestmark = pytest.mark.django_db


def quality_complaint(make_complaint, people, code="100056", name="活动柜锁"):
    c = make_complaint()
    transition_complaint(
        c,
        "KSJL",
        actor=people["specialist"].user,
        inputs={**RECORD_INPUTS, "is_product_quality": True, "material_code": code, "material_name": name},
    )
    c.refresh_from_db()
    return c


def test_recurring_complaints_on_one_material_are_grouped(frozen_clock, make_complaint, people):
    frozen_clock.set(sh(2026, 11, 23, 9))
    for _ in range(3):
        quality_complaint(make_complaint, people)
    quality_complaint(make_complaint, people, code="200310", name="办公桌面板")
    rows = recurring_materials(people["specialist"].user)
    assert [(r["material_code"], r["count"], r["still_recurring"]) for r in rows] == [("100056", 3, True)]
    assert rows[0]["name"] == "活动柜锁"
    assert recurring_materials(people["outsider"].user) == []  # scoped


def test_pass_to_quality_and_mark_the_problem_stopped(
    make_complaint, people, django_capture_on_commit_callbacks
):
    from kefu.channels.models import OutboundMail

    c = quality_complaint(make_complaint, people)
    with django_capture_on_commit_callbacks(execute=True):
        send_to_quality(c, actor=people["specialist"].user, note="请品管分析来料")
    c.refresh_from_db()
    assert c.quality_feedback == "sent" and c.quality_feedback_at is not None
    mail = OutboundMail.objects.get()
    assert mail.to == ["quality@example.com"] and "100056" in mail.subject
    assert mark_quality_resolved(actor=people["specialist"].user, material_code="100056") == 1
    c.refresh_from_db()
    assert c.quality_feedback == "resolved"


def test_only_quality_complaints_with_a_material_go_to_quality(make_complaint, people):
    c = make_complaint()
    with pytest.raises(NotAQualityComplaint):
        send_to_quality(c, actor=people["specialist"].user)
    assert Complaint.objects.get(pk=c.pk).quality_feedback == ""


def test_the_most_specific_time_limit_wins():
    status = Status.objects.get(profile__code="KS", code="KSBM")
    assert limit_for(status).minutes == 240
    assert limit_for(status, tier="key").minutes == 120
    assert limit_for(status, severity="major", tier="key").minutes == 60  # severity beats tier
    StepTimeLimit.objects.create(status=status, severity="major", customer_tier="key", minutes=30)
    assert limit_for(status, severity="major", tier="key").minutes == 30
    StepTimeLimit.objects.create(status=status, customer_grade="A", minutes=90)
    assert limit_for(status, grade="A").minutes == 90


def test_key_customer_tier_gets_its_shorter_limit(frozen_clock, make_complaint, people, org):
    frozen_clock.set(sh(2026, 11, 23, 9, 0))
    c = make_complaint()
    Complaint.objects.filter(pk=c.pk).update(customer_tier="key")
    c.refresh_from_db()
    for to, inputs in [("KSJL", RECORD_INPUTS), ("KSCL", {}), ("KSBM", {"handling_department": org.quality})]:
        transition_complaint(c, to, actor=people["specialist"].user, inputs=inputs)
        c.refresh_from_db()
    assert c.step_deadline == sh(2026, 11, 23, 11, 0)  # 120 business minutes instead of 240


def test_the_customer_archive_counts_open_and_recent_complaints(make_complaint, people, customer):
    from kefu.complaints.services import recount_customer_complaints

    c = make_complaint()
    customer.refresh_from_db()
    assert customer.open_complaints == 1
    transition_complaint(c, "KSJL", actor=people["specialist"].user, inputs=RECORD_INPUTS)
    transition_complaint(c, "KSBC", actor=people["specialist"].user, inputs={"validity_reason": "非我司问题"})
    customer.refresh_from_db()
    assert customer.open_complaints == 0
    assert recount_customer_complaints() == 1
    customer.refresh_from_db()
    assert customer.complaints_90d == 1


def test_key_account_and_major_complaints_are_announced(
    make_complaint, key_customer, people, django_capture_on_commit_callbacks
):
    from kefu.channels.models import Notice
    from kefu.customers.models import Customer

    Customer.objects.filter(pk=key_customer.pk).update(key_account_manager=people["specialist"])
    key_customer.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        c = make_complaint(cust=key_customer, severity="major")
    assert c.is_key_account
    assert Notice.objects.filter(recipient=people["specialist"].user).count() == 1  # the key-account manager
    assert Notice.objects.filter(recipient=people["manager"].user).count() == 1  # major: the manager


def test_marking_a_material_resolved_touches_only_complaints_in_the_actors_scope(make_complaint, people):
    """A desk of another centre marking the same material never closes centre A's quality feedback."""
    c = quality_complaint(make_complaint, people)
    send_to_quality(c, actor=people["specialist"].user)
    assert mark_quality_resolved(actor=people["outsider"].user, material_code="100056") == 0
    c.refresh_from_db()
    assert c.quality_feedback == "sent"
    assert mark_quality_resolved(actor=people["specialist"].user, material_code="100056") == 1


def test_a_material_code_with_a_nul_is_a_field_error_not_a_crash(make_complaint, people):
    from kefu.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as exc:
        mark_quality_resolved(actor=people["specialist"].user, material_code="100\x00056")
    assert "material" in exc.value.fields
