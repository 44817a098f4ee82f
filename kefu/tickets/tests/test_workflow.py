"""Every transition of Z1 and Z2, the refused ones, and two users at once."""

import pytest

from kefu.core.errors import ConcurrentUpdate, PermissionDenied, ValidationFailed
from kefu.tickets.errors import CloseBlocked
from kefu.tickets.models import Notification
from kefu.tickets.services import change_status, update_notification
from kefu.timeline.queries import events_for
from kefu.workflow.engine import available_transitions
from kefu.workflow.errors import TransitionNotAllowed


def move(n, to, who, **inputs):
    change_status(actor=who.user, notification=n, to=to, inputs=inputs)
    n.refresh_from_db()
    return n


def state(n):
    fresh = Notification.objects.select_related("status").get(pk=n.pk)
    return fresh.status.code, fresh.stage, fresh.version, fresh.long_text


def test_z1_happy_path_survey_approval_reply_close(desk):
    n = desk.z1()
    assert (n.status.code, n.stage) == ("TZJL", "outstanding")
    move(n, "KCJS", desk.technician, survey_result="活动柜被反锁,抽屉打不开。抽屉锁缺货、请购。")
    assert (n.status.code, n.stage) == ("KCJS", "in_process")
    assert "抽屉锁缺货" in n.long_text and "王敏" in n.long_text
    move(n, "ZGPZ", desk.supervisor)
    assert n.status.code == "ZGPZ"
    approval = next(
        e for e in events_for(n) if e.event_type == "workflow.transition" and e.data["to"] == "ZGPZ"
    )
    assert approval.actor == desk.supervisor.user and approval.data["approval"] is True
    move(n, "ZBHF", desk.assistant, reply="区物流:配件三日内到货")
    assert n.status.code == "ZBHF" and "配件三日内到货" in n.long_text
    move(n, "NOCO", desk.assistant)
    assert (n.status.code, n.stage) == ("NOCO", "completed") and n.completed_at


def test_z1_refusal_needs_a_reason_and_then_closes(desk):
    n = desk.z1()
    move(n, "KCWB", desk.technician, survey_result="已勘察")  # KCWB is the seed's alias of KCJS
    assert n.status.code == "KCJS"
    before = state(n)
    with pytest.raises(ValidationFailed) as exc:
        move(n, "BPZ", desk.supervisor)
    assert "reason" in exc.value.fields
    assert state(n) == before
    move(n, "BPZ", desk.supervisor, reason="超出保修范围")
    assert n.status.code == "BPZ" and "超出保修范围" in n.long_text
    move(n, "NOCO", desk.assistant)
    assert n.stage == "completed"


def test_z1_postpone_and_resume(desk):
    n = desk.z1()
    move(n, "TCCL", desk.assistant, reason="客户出差")
    assert (n.status.code, n.stage) == ("TCCL", "postponed")
    move(n, "TZJL", desk.assistant)
    assert (n.status.code, n.stage) == ("TZJL", "outstanding")
    move(n, "KCJS", desk.technician, survey_result="已勘察")
    move(n, "TCCL", desk.supervisor, reason="等配件")
    assert n.stage == "postponed"


def test_z2_every_transition(desk):
    n = desk.z2(actor=desk.complaints.user)
    assert n.type.code == "Z2" and n.number.startswith("2")
    move(n, "HFYY", desk.complaints, reply="已回复营业")
    move(n, "DDKH", desk.complaints, delivered_on="2001-03-09")
    assert "2001-03-09" in n.long_text
    move(n, "THCS", desk.complaints, returned_on="2001-03-12")
    move(n, "NOCO", desk.assistant)
    assert (n.status.code, n.stage) == ("NOCO", "completed")
    other = desk.z2()
    move(other, "HFYY", desk.assistant, reply="r")
    move(other, "DDKH", desk.assistant, delivered_on="2001-03-09")
    move(other, "NOCO", desk.complaints)
    assert other.stage == "completed"
    third = desk.z2()
    move(third, "TCCL", desk.assistant, reason="等厂商")
    move(third, "TZJL", desk.assistant)
    assert third.stage == "outstanding"


@pytest.mark.parametrize(
    ("setup", "to", "who", "inputs", "error"),
    [
        ([], "ZGPZ", "supervisor", {}, TransitionNotAllowed),  # skipping the survey
        ([], "NOCO", "assistant", {}, TransitionNotAllowed),  # closing before the survey
        ([], "HFYY", "assistant", {"reply": "x"}, Exception),  # a Z2 status on a Z1
        ([], "KCJS", "technician", {}, ValidationFailed),  # the survey result is required
        ([], "KCJS", "complaints", {"survey_result": "x"}, PermissionDenied),  # wrong role
        ([("KCJS", "technician", {"survey_result": "x"})], "ZGPZ", "assistant", {}, PermissionDenied),
        ([("KCJS", "technician", {"survey_result": "x"})], "ZGPZ", "technician", {}, PermissionDenied),
        ([("KCJS", "technician", {"survey_result": "x"})], "BPZ", "supervisor", {}, ValidationFailed),
        (
            [("KCJS", "technician", {"survey_result": "x"}), ("ZGPZ", "supervisor", {})],
            "ZBHF",
            "assistant",
            {},
            ValidationFailed,
        ),
        (
            [("KCJS", "technician", {"survey_result": "x"}), ("ZGPZ", "supervisor", {})],
            "ZBHF",
            "technician",
            {"reply": "x"},
            PermissionDenied,
        ),
        (
            [("TCCL", "assistant", {"reason": "x"})],
            "KCJS",
            "technician",
            {"survey_result": "x"},
            TransitionNotAllowed,
        ),
    ],
)
def test_refused_z1_transitions_change_nothing(desk, setup, to, who, inputs, error):
    n = desk.z1()
    for step_to, step_who, step_inputs in setup:
        move(n, step_to, getattr(desk, step_who), **step_inputs)
    before = state(n)
    events_before = len(events_for(n, limit=None))
    with pytest.raises(error):
        move(n, to, getattr(desk, who), **inputs)
    assert state(n) == before
    assert len(events_for(n, limit=None)) == events_before


@pytest.mark.parametrize(
    ("setup", "to", "who", "inputs", "error"),
    [
        ([], "DDKH", "complaints", {"delivered_on": "2001-03-09"}, TransitionNotAllowed),
        ([], "HFYY", "complaints", {}, ValidationFailed),
        ([], "HFYY", "technician", {"reply": "x"}, PermissionDenied),
        (
            [("HFYY", "complaints", {"reply": "x"})],
            "DDKH",
            "complaints",
            {"delivered_on": "kein datum"},
            ValidationFailed,
        ),
        ([("HFYY", "complaints", {"reply": "x"})], "NOCO", "complaints", {}, TransitionNotAllowed),
        ([], "KCJS", "assistant", {"survey_result": "x"}, Exception),
    ],
)
def test_refused_z2_transitions_change_nothing(desk, setup, to, who, inputs, error):
    n = desk.z2()
    for step_to, step_who, step_inputs in setup:
        move(n, step_to, getattr(desk, step_who), **step_inputs)
    before = state(n)
    with pytest.raises(error):
        move(n, to, getattr(desk, who), **inputs)
    assert state(n) == before


def test_buttons_show_only_what_the_user_may_do(desk):
    n = desk.z1()
    assert [t.to_status.code for t in available_transitions(n, desk.technician.user)] == ["KCJS"]
    move(n, "KCJS", desk.technician, survey_result="x")
    supervisor_moves = {t.to_status.code for t in available_transitions(n, desk.supervisor.user)}
    assert {"ZGPZ", "BPZ"} <= supervisor_moves
    assert not {"ZGPZ", "BPZ"} & {t.to_status.code for t in available_transitions(n, desk.assistant.user)}


def test_two_users_at_once_the_second_is_refused(desk):
    n = desk.z1()
    first = Notification.objects.get(pk=n.pk)
    second = Notification.objects.get(pk=n.pk)
    seen = first.version
    update_notification(
        actor=desk.assistant.user, notification=first, expected_version=seen, description="活动柜锁坏"
    )
    with pytest.raises(ConcurrentUpdate):
        update_notification(
            actor=desk.supervisor.user, notification=second, expected_version=seen, priority="1"
        )
    fresh = Notification.objects.get(pk=n.pk)
    assert fresh.description == "活动柜锁坏" and fresh.priority == "3"
    # A status change made on a stale screen is refused too, and the first change survives.
    with pytest.raises(ConcurrentUpdate):
        change_status(
            actor=desk.technician.user,
            notification=second,
            to="KCJS",
            inputs={"survey_result": "x"},
            expected_version=seen,
        )
    assert Notification.objects.get(pk=n.pk).status.code == "TZJL"


def test_close_refused_while_an_accepted_quote_has_no_service_report(desk):
    from kefu.billing.models import Invoice
    from kefu.billing.services import create_quotation, decide_quotation, record_service_report

    n = desk.z1()
    move(n, "KCJS", desk.technician, survey_result="需更换锁芯,有费服务")
    q = create_quotation(
        actor=desk.assistant.user,
        notification=n,
        lines=[
            {"kind": "labour", "description": "上门维修", "quantity": 1, "unit_price": "80"},
            {"kind": "parts", "material": "100056", "quantity": 1},
            {"kind": "travel", "description": "交通费", "quantity": 1, "unit_price": "30.5"},
        ],
    )
    assert str(q.total) == "195.50"
    decide_quotation(actor=desk.assistant.user, quotation=q, accepted=True, customer_person="申总")
    before = state(n)
    with pytest.raises(CloseBlocked):
        move(n, "NOCO", desk.assistant)
    assert state(n) == before
    record_service_report(
        actor=desk.technician.user,
        notification=n,
        technician=desk.technician,
        work_done="更换锁芯",
        materials_used="100056 ×1",
        accepted_by_customer="申总",
        quotation=q,
    )
    move(n, "NOCO", desk.assistant)
    assert n.stage == "completed"
    invoice = Invoice.objects.get(notification=n)
    assert invoice.amount == q.total and invoice.number != q.number
