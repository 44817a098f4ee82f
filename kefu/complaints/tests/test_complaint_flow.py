"""The complaint flow of seeds 001/003 through the one engine: every step, its owner and its clock."""

from datetime import timedelta

import pytest

from kefu.complaints.models import Complaint, Escalation
from kefu.complaints.services import escalate_late, transition_complaint
from kefu.core.errors import ConcurrentUpdate, PermissionDenied, ValidationFailed
from kefu.timeline.models import TimelineEvent
from kefu.workflow.errors import TransitionNotAllowed

from .conftest import RECORD_INPUTS, sh

pytestmark = pytest.mark.django_db


def move(complaint, to, who, **inputs):
    transition_complaint(complaint, to, actor=who.user, inputs=inputs, expected_version=complaint.version)
    complaint.refresh_from_db()
    return complaint


def test_receipt_starts_the_10_minute_recording_clock(frozen_clock, make_complaint):
    frozen_clock.set(sh(2026, 11, 23, 20, 0))  # a Monday evening: the 10 minutes are real time
    complaint = make_complaint(received_at=sh(2026, 11, 23, 19, 57))
    assert complaint.status.code == "KSSL"
    assert complaint.number.startswith("KS")
    assert complaint.step_deadline == sh(2026, 11, 23, 20, 7)
    from kefu.complaints.queries import step_clock

    assert step_clock(complaint).minutes_left == 7
    assert TimelineEvent.objects.filter(object_id=complaint.pk, event_type="complaints.created").exists()


def test_the_whole_flow_step_by_step(frozen_clock, make_complaint, people, org):
    frozen_clock.set(sh(2026, 11, 23, 9, 0))
    c = make_complaint()
    c = move(c, "KSJL", people["specialist"], **RECORD_INPUTS)  # 1 记录投诉内容
    assert c.recorded_at == sh(2026, 11, 23, 9, 0) and c.stage == "in_process"
    assert c.step_deadline == sh(2026, 11, 23, 10, 0)  # 60 business minutes to judge
    c = move(c, "KSCL", people["supervisor"])  # 2 判断投诉是否成立
    assert c.is_valid is True
    c = move(c, "KSBM", people["specialist"], handling_department=org.logistics)  # 3 确定处理部门
    assert c.handling_department == org.logistics
    frozen_clock.set(sh(2026, 11, 23, 11, 0))
    c = move(
        c, "KSFA", people["specialist"], cause_analysis="承运商装卸不当", proposed_plan="上门更换锁具"
    )  # 4+5
    # 240 business minutes from 11:00: 11:00–12:00 (60) + 13:00–16:00 (180)
    assert c.step_deadline == sh(2026, 11, 23, 16, 0)
    c = move(c, "KSPS", people["director"], director_decision="同意,三日内完成")  # 6 主管领导批示
    assert c.decided_by == people["director"].user
    c = move(
        c, "KSCZ", people["supervisor"], handling_actions="已电话联系客户并上门更换", handled_via="phone"
    )  # 7
    c = move(
        c,
        "KSJA",
        people["specialist"],
        closing_summary="锁具质量问题,已反馈品管",
        evaluation="处理及时",
        satisfaction="4",
    )  # 8 总结评价
    assert (c.is_open, c.stage, c.step_deadline) == (False, "completed", None)
    assert c.closed_at == sh(2026, 11, 23, 11, 0)
    codes = list(
        TimelineEvent.objects.filter(object_id=c.pk, event_type="workflow.transition")
        .order_by("id")
        .values_list("data__to", flat=True)
    )
    assert codes == ["KSJL", "KSCL", "KSBM", "KSFA", "KSPS", "KSCZ", "KSJA"]


def test_not_valid_closes_with_a_reason(make_complaint, people):
    c = move(make_complaint(), "KSJL", people["specialist"], **RECORD_INPUTS)
    with pytest.raises(ValidationFailed) as info:
        move(c, "KSBC", people["specialist"])
    assert "validity_reason" in info.value.fields
    c = move(c, "KSBC", people["specialist"], validity_reason="非我司产品")
    assert c.is_valid is False and not c.is_open


def test_director_can_send_the_plan_back_and_the_clock_restarts(frozen_clock, make_complaint, people, org):
    frozen_clock.set(sh(2026, 11, 23, 9, 0))
    c = move(make_complaint(), "KSJL", people["specialist"], **RECORD_INPUTS)
    c = move(c, "KSCL", people["specialist"])
    c = move(c, "KSBM", people["specialist"], handling_department=org.quality)
    c = move(c, "KSFA", people["specialist"], cause_analysis="原因", proposed_plan="方案")
    seq = c.step_seq
    c = move(c, "KSBM", people["director"], director_decision="方案不充分,补充赔偿标准")
    assert c.status.code == "KSBM" and c.step_seq == seq + 1 and c.escalation_level == 0


def test_missing_required_fields_are_named_and_nothing_changes(make_complaint, people):
    c = make_complaint()
    version = c.version
    with pytest.raises(ValidationFailed) as info:
        transition_complaint(
            c,
            "KSJL",
            actor=people["specialist"].user,
            inputs={"content_class": "quality"},
            expected_version=version,
        )
    assert {"cause_class", "description"} <= set(info.value.fields)
    c.refresh_from_db()
    assert (c.status.code, c.version, c.content_class) == ("KSSL", version, "")


def test_bad_choice_is_refused_with_the_field(make_complaint, people):
    c = make_complaint()
    with pytest.raises(ValidationFailed) as info:
        transition_complaint(
            c, "KSJL", actor=people["specialist"].user, inputs={**RECORD_INPUTS, "content_class": "weather"}
        )
    assert "content_class" in info.value.fields
    c.refresh_from_db()
    assert c.status.code == "KSSL"


def test_refused_transitions_change_nothing(make_complaint, people):
    c = make_complaint()
    with pytest.raises(TransitionNotAllowed):
        transition_complaint(c, "KSJA", actor=people["specialist"].user)
    c = move(c, "KSJL", people["specialist"], **RECORD_INPUTS)
    c = move(c, "KSCL", people["specialist"])
    c = (
        move(c, "KSBM", people["specialist"], handling_department_id=None, handling_department=None)
        if False
        else c
    )
    with pytest.raises(PermissionDenied):  # only the director (or manager) decides the plan
        c2 = move(c, "KSBM", people["specialist"], handling_department=c.sales_office.department)
        c2 = move(c2, "KSFA", people["specialist"], cause_analysis="x", proposed_plan="y")
        transition_complaint(
            c2, "KSPS", actor=people["specialist"].user, inputs={"director_decision": "同意"}
        )
    c.refresh_from_db()
    assert c.status.code == "KSFA"


def test_a_stale_version_is_a_conflict(make_complaint, people):
    c = make_complaint()
    stale = c.version
    transition_complaint(
        c, "KSJL", actor=people["specialist"].user, inputs=RECORD_INPUTS, expected_version=stale
    )
    with pytest.raises(ConcurrentUpdate):
        transition_complaint(c, "KSCL", actor=people["specialist"].user, expected_version=stale)


def test_major_severity_has_its_own_shorter_limit(frozen_clock, make_complaint, people):
    frozen_clock.set(sh(2026, 11, 23, 9, 0))
    c = move(make_complaint(), "KSJL", people["specialist"], **RECORD_INPUTS, severity="major")
    assert c.step_deadline == sh(2026, 11, 23, 9, 30)


def test_key_account_complaints_come_first(make_complaint, key_customer, people):
    from kefu.complaints.queries import complaints_for

    ordinary = make_complaint()
    key = make_complaint(cust=key_customer)
    if not key.is_key_account:
        Complaint.objects.filter(pk=key.pk).update(is_key_account=True)
    ids = list(complaints_for(people["specialist"].user).values_list("pk", flat=True))
    assert ids.index(key.pk) < ids.index(ordinary.pk)


class TestEscalation:
    def test_late_step_goes_to_supervisor_then_manager_once(
        self, frozen_clock, make_complaint, people, django_capture_on_commit_callbacks
    ):
        frozen_clock.set(sh(2026, 11, 23, 9, 0))
        c = make_complaint()  # deadline 09:10, manager at 09:30 (real time)
        assert escalate_late() == 0
        frozen_clock.set(sh(2026, 11, 23, 9, 10))  # exactly at the deadline: late
        with django_capture_on_commit_callbacks(execute=True):
            assert escalate_late() == 1
        assert escalate_late() == 0  # idempotent
        c.refresh_from_db()
        assert c.escalation_level == 1
        esc = Escalation.objects.get(complaint=c)
        assert (esc.level, esc.status_code, esc.recipients) == (1, "KSSL", ["刘洋"])
        frozen_clock.set(sh(2026, 11, 23, 9, 31))
        with django_capture_on_commit_callbacks(execute=True):
            assert escalate_late() == 1
        assert escalate_late() == 0
        assert list(
            Escalation.objects.filter(complaint=c).order_by("level").values_list("level", flat=True)
        ) == [1, 2]
        assert Escalation.objects.get(complaint=c, level=2).recipients == ["李建国"]
        events = TimelineEvent.objects.filter(object_id=c.pk, event_type="complaints.escalated")
        assert events.count() == 2
        from kefu.channels.models import Notice

        assert Notice.objects.filter(recipient=people["supervisor"].user).count() == 1
        assert Notice.objects.filter(recipient=people["manager"].user).count() == 1

    def test_after_downtime_both_levels_are_escalated_in_one_run(self, frozen_clock, make_complaint):
        frozen_clock.set(sh(2026, 11, 23, 9, 0))
        c = make_complaint()
        frozen_clock.set(sh(2026, 11, 24, 9, 0))  # the consumer was down for a day
        assert escalate_late() == 2
        assert escalate_late() == 0
        c.refresh_from_db()
        assert c.escalation_level == 2

    def test_a_step_finished_in_time_is_never_escalated(self, frozen_clock, make_complaint, people):
        frozen_clock.set(sh(2026, 11, 23, 9, 0))
        c = make_complaint()
        frozen_clock.advance(minutes=9)
        move(c, "KSJL", people["specialist"], **RECORD_INPUTS)
        frozen_clock.advance(minutes=5)
        assert escalate_late() == 0

    def test_a_new_step_can_be_escalated_again(self, frozen_clock, make_complaint, people):
        frozen_clock.set(sh(2026, 11, 23, 9, 0))
        c = make_complaint()
        frozen_clock.set(sh(2026, 11, 23, 9, 15))
        assert escalate_late() == 1
        c.refresh_from_db()
        c = move(c, "KSJL", people["specialist"], **RECORD_INPUTS)  # deadline 10:15 business
        assert c.escalation_level == 0
        frozen_clock.set(sh(2026, 11, 23, 10, 15) + timedelta(seconds=1))
        assert escalate_late() == 1
        assert Escalation.objects.filter(complaint=c).count() == 2

    def test_the_huey_task_runs_the_same_sweep(self, frozen_clock, make_complaint):
        from kefu.complaints.tasks import escalate_late_steps

        frozen_clock.set(sh(2026, 11, 23, 9, 0))
        make_complaint()
        frozen_clock.set(sh(2026, 11, 23, 9, 20))
        escalate_late_steps.call_local()
        escalate_late_steps.call_local()
        assert Escalation.objects.count() == 1


def test_step_owners_follow_seed_001(people, make_complaint):
    """营销总监 alone decides the plan; key-account staff do not close the handling step."""
    from kefu.workflow.models import Transition

    def owners(src, dst):
        t = Transition.objects.get(profile__code="KS", from_status__code=src, to_status__code=dst)
        return set(t.allowed_roles.values_list("code", flat=True))

    assert owners("KSFA", "KSPS") == {"marketing_director"}
    assert owners("KSFA", "KSBM") == {"marketing_director"}
    assert "key_account" not in owners("KSPS", "KSCZ")
    assert owners("KSSL", "KSJL") >= {"supervisor", "manager", "complaint_specialist"}


def test_escalations_name_their_step(frozen_clock, make_complaint, people):
    """The escalation list shows the step's name beside its code, never the bare code."""
    from kefu.core.testing.scope import client_for

    frozen_clock.set(sh(2026, 11, 23, 9, 0))
    c = make_complaint()
    frozen_clock.set(sh(2026, 11, 24, 9, 0))
    assert escalate_late() == 2
    page = client_for(people["manager"]).get(f"/complaints/{c.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "KSSL 已受理" in page.content.decode()
