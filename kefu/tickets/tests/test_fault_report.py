"""故障报告制度 (seed 004): a major fault (Z3) is reported at once with time, place, symptom and
plan to the responsible managers (in-app notices), who file it and inform top management (the
headquarters mailbox), then track it to the end — all through the one workflow engine."""

import pytest

from kefu.channels.models import Notice, OutboundMail
from kefu.core.errors import ValidationFailed
from kefu.tickets.models import NotificationType
from kefu.tickets.services import change_status
from kefu.tickets.tests.factories import create_z

pytestmark = pytest.mark.django_db


def move(n, to, who, **inputs):
    from django.test import TestCase

    # Follow-ups (notices, mail) run after commit, as in production.
    with TestCase.captureOnCommitCallbacks(execute=True):
        change_status(actor=who.user, notification=n, to=to, inputs=inputs)
    n.refresh_from_db()
    return n


def test_the_fault_report_type_is_seeded_with_its_profile():
    z3 = NotificationType.objects.get(code="Z3")
    assert z3.name == "重大故障报告" and z3.profile.code == "Z3"
    codes = (
        set(z3.profile.statuses.values_list("code", flat=True)) if hasattr(z3.profile, "statuses") else None
    )
    assert codes is None or {"GZDJ", "GZBG", "GZBA", "GZGZ", "NOCO"} <= codes


def test_a_major_fault_is_reported_filed_and_top_management_informed(desk):
    n = create_z(desk, "Z3", description="仓库货架倒塌")
    assert n.status.code == "GZDJ"
    # Time, place, symptom and plan are all required, and the time must be a time.
    with pytest.raises(ValidationFailed) as missing:
        move(n, "GZBG", desk.technician, fault_place="北京仓", symptom="货架倒塌", plan="封锁现场")
    assert "fault_time" in missing.value.fields
    with pytest.raises(ValidationFailed) as bad:
        move(
            n,
            "GZBG",
            desk.technician,
            fault_time="昨天",
            fault_place="北京仓",
            symptom="货架倒塌",
            plan="封锁",
        )
    assert "fault_time" in bad.value.fields
    move(
        n,
        "GZBG",
        desk.technician,
        fault_time="2026-12-04 09:30",
        fault_place="北京仓 3 号库",
        symptom="货架倒塌，两套办公桌受损",
        plan="封锁现场，联系厂商更换货架",
    )
    assert n.status.code == "GZBG"
    assert "北京仓 3 号库" in n.long_text and "封锁现场" in n.long_text and "2026-12-04 09:30" in n.long_text
    # The responsible managers hear at once: the centre's supervisor and the department manager,
    # urgent notices on the record; a supervisor of another centre does not.
    told = set(Notice.objects.filter(urgent=True, object_id=n.pk).values_list("recipient_id", flat=True))
    assert told == {desk.supervisor.user.pk, desk.manager.user.pk}
    # The manager files it and top management (headquarters) gets the mail.
    move(n, "GZBA", desk.manager, note="已备案，报总经理")
    assert n.status.code == "GZBA"
    hq_mail = OutboundMail.objects.filter(object_id=n.pk).order_by("-id").first()
    assert hq_mail is not None and any(addr.startswith("hq@") for addr in hq_mail.to)
    move(n, "GZGZ", desk.supervisor, note="厂商明日到场")
    move(n, "NOCO", desk.manager, note="货架已更换")
    assert (n.status.code, n.stage) == ("NOCO", "completed")


def test_only_the_managers_file_a_fault(desk):
    from kefu.core.errors import PermissionDenied
    from kefu.workflow.errors import TransitionNotAllowed

    n = create_z(desk, "Z3", description="机房断电")
    move(
        n,
        "GZBG",
        desk.technician,
        fault_time="2026-12-04T08:00",
        fault_place="机房",
        symptom="断电",
        plan="启用备用电源",
    )
    with pytest.raises((PermissionDenied, TransitionNotAllowed)):
        move(n, "GZBA", desk.technician, note="我来备案")
