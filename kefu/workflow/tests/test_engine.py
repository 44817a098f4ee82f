"""The engine with the Z1/Z2 profiles as data: aliases, any-status moves, guards, follow-ups,
stale versions, and a type an administrator adds without code."""

import pytest

from kefu.core.errors import ConcurrentUpdate, PermissionDenied
from kefu.tickets.models import NotificationType
from kefu.tickets.tests.factories import make_desk
from kefu.workflow import engine
from kefu.workflow.errors import UnknownStatus
from kefu.workflow.models import Status, StatusProfile, Transition


@pytest.fixture
def desk(org, staff_factory):
    return make_desk(org, staff_factory)


def test_profiles_are_data_with_aliases_and_initial_status(db):
    z1 = StatusProfile.objects.get(code="Z1")
    assert engine.initial_status(z1).code == "TZJL"
    assert engine.resolve_status(z1, "kcwb").code == "KCJS"
    with pytest.raises(UnknownStatus):
        engine.resolve_status(z1, "HFYY")
    z2 = StatusProfile.objects.get(code="Z2")
    assert [s.code for s in z2.statuses.order_by("order")] == ["TZJL", "HFYY", "DDKH", "THCS", "TCCL", "NOCO"]
    zgpz = Transition.objects.get(profile=z1, to_status__code="ZGPZ")
    assert zgpz.is_approval and zgpz.notify_department_kind == "regional_logistics"
    assert {r.code for r in zgpz.allowed_roles.all()} == {"supervisor"}


def test_followups_run_after_commit_with_the_actor(desk, django_capture_on_commit_callbacks):
    seen = []
    engine.register_followup(lambda obj, t, inputs, actor: seen.append((obj.pk, t.to_status.code, actor)))
    try:
        n = desk.z1()
        with django_capture_on_commit_callbacks(execute=True):
            engine.transition(n, "KCJS", actor=desk.technician.user, inputs={"survey_result": "ok"})
        assert seen == [(n.pk, "KCJS", desk.technician.user)]
    finally:
        engine._followups.pop()


def test_department_mail_followup_resolves_regional_logistics(
    desk, smtp_server, django_capture_on_commit_callbacks
):
    n = desk.z1()
    engine.transition(n, "KCJS", actor=desk.technician.user, inputs={"survey_result": "需总部报价"})
    with django_capture_on_commit_callbacks(execute=True):
        engine.transition(n, "ZGPZ", actor=desk.supervisor.user)
    assert [m["X-Envelope-To"] for m in smtp_server] == ["logistics.bj@example.com"]
    assert "需总部报价" in smtp_server[0].get_content()


def test_stale_version_and_superuser(desk, staff_factory):
    n = desk.z1()
    with pytest.raises(ConcurrentUpdate):
        engine.transition(
            n,
            "KCJS",
            actor=desk.technician.user,
            inputs={"survey_result": "x"},
            expected_version=n.version + 5,
        )
    root = staff_factory(roles=[], superuser=True)
    assert engine.can_make(Transition.objects.get(profile__code="Z1", to_status__code="ZGPZ"), root.user)


def test_an_administrator_adds_a_type_with_its_own_profile_without_code(desk):
    profile = StatusProfile.objects.create(code="ZX", name="咨询状态参数文件")
    new = Status.objects.create(
        profile=profile, code="ZXJL", name="咨询建立", stage="outstanding", is_initial=True
    )
    done = Status.objects.create(profile=profile, code="ZXDF", name="已答复", stage="completed", order=9)
    answer = Transition.objects.create(
        profile=profile, from_status=new, to_status=done, name="答复", required_fields=["reply"]
    )
    answer.allowed_roles.set([desk.assistant.user.groups.get().role])
    NotificationType.objects.create(
        code="Z9", name="咨询", profile=profile, number_range="tickets.Z9", number_start=9000001
    )
    n = desk.z1(type=NotificationType.objects.get(code="Z9"))
    assert n.number == "9000001" and n.status.code == "ZXJL"
    with pytest.raises(PermissionDenied):
        engine.transition(n, "ZXDF", actor=desk.technician.user, inputs={"reply": "x"})
    engine.transition(n, "ZXDF", actor=desk.assistant.user, inputs={"reply": "已电话答复"})
    n.refresh_from_db()
    assert n.stage == "completed" and "已电话答复" in n.long_text
