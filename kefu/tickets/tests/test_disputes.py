"""跨部门协作制度 (seed 004): a disagreement between departments goes to the office, which rules;
the ruling is recorded and enforced on the notification (person responsible, mails, notice)."""

import pytest
from django.test import TestCase

from kefu.channels.models import Notice, OutboundMail
from kefu.core.errors import PermissionDenied, ValidationFailed
from kefu.core.testing.scope import client_for
from kefu.org.models import Department
from kefu.tickets import services
from kefu.tickets.models import Dispute, Notification
from kefu.tickets.tests.factories import ruling_inputs, submit_dispute
from kefu.workflow.errors import TransitionNotAllowed

pytestmark = pytest.mark.django_db


def test_the_office_rules_and_the_ruling_is_enforced(desk, office):
    dispute = submit_dispute(desk)
    assert dispute.status.code == "TJBG"
    n = dispute.notification
    assert n.responsible == desk.technician
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.rule_dispute(actor=office.user, dispute=dispute, to="YCJ", inputs=ruling_inputs(desk))
    dispute.refresh_from_db()
    assert dispute.status.code == "YCJ" and dispute.ruling.startswith("由区物流负责")
    assert dispute.responsible_department.code == "LG011" and dispute.responsible == desk.supervisor
    assert dispute.ruled_by == office.user and dispute.ruled_at is not None
    # Enforced: the ruled person now answers for the notification, told at once; the responsible
    # and the supervising departments have the ruling by mail.
    assert Notification.objects.get(pk=n.pk).responsible == desk.supervisor
    assert Notice.objects.filter(recipient=desk.supervisor.user, object_id=n.pk, urgent=True).exists()
    mailed = {addr for m in OutboundMail.objects.filter(object_id=n.pk) for addr in m.to}
    assert {"logistics.bj@example.com", "hq@example.com"} <= mailed


def test_only_the_office_rules_and_a_ruling_names_real_people(desk, office):
    dispute = submit_dispute(desk)
    ruling = {
        "ruling": "由品管负责",
        "responsible_department": "QA",
        "responsible": desk.supervisor.personnel_number,
    }
    with pytest.raises((PermissionDenied, TransitionNotAllowed)):
        services.rule_dispute(actor=desk.manager.user, dispute=dispute, to="YCJ", inputs=ruling)
    with pytest.raises(ValidationFailed) as bad:
        services.rule_dispute(
            actor=office.user, dispute=dispute, to="YCJ", inputs={**ruling, "responsible": "no-such"}
        )
    assert "responsible" in bad.value.fields
    with pytest.raises(ValidationFailed) as missing:
        services.rule_dispute(actor=office.user, dispute=dispute, to="YCJ", inputs={"ruling": "x"})
    assert missing.value.fields
    dispute.refresh_from_db()
    assert dispute.status.code == "TJBG" and dispute.ruling == "" and dispute.responsible is None


def test_a_submission_names_the_other_departments(desk):
    lg = Department.objects.get(code="LG011")
    with pytest.raises(ValidationFailed) as err:
        services.submit_dispute(
            actor=desk.assistant.user,
            notification=desk.z1(),
            requesting_department=lg,
            other_departments=[lg],
            issue="分歧",
            positions="意见",
        )
    assert "other_departments" in err.value.fields
    assert not Dispute.objects.exists()


def test_dispute_api_submit_list_rule_and_scope(desk, office):
    n = desk.z1()
    client = client_for(desk.assistant)
    body = {
        "requesting_department": "LG011",
        "other_departments": ["QA"],
        "issue": "责任不清",
        "positions": "各执一词",
    }
    made = client.post(f"/api/v1/notifications/{n.pk}/disputes", body, content_type="application/json")
    assert made.status_code == 201, made.content
    dispute_id = made.json()["id"]
    bad = client.post(
        f"/api/v1/notifications/{n.pk}/disputes",
        {**body, "other_departments": ["NOPE"]},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "other_departments" in bad.json()["error"]["fields"]
    listed = client_for(office).get("/api/v1/notifications/disputes?open=true").json()
    assert [d["id"] for d in listed["items"]] == [dispute_id]
    assert client_for(desk.outsider).get("/api/v1/notifications/disputes").json()["items"] == []
    assert (
        client_for(desk.outsider)
        .post(
            f"/api/v1/notifications/disputes/{dispute_id}/transitions",
            {"to": "YCH", "inputs": {"reason": "x"}},
            content_type="application/json",
        )
        .status_code
        == 404
    )
    ruled = client_for(office).post(
        f"/api/v1/notifications/disputes/{dispute_id}/transitions",
        {
            "to": "YCJ",
            "inputs": {
                "ruling": "区物流负责",
                "responsible_department": "LG011",
                "responsible": desk.supervisor.personnel_number,
            },
        },
        content_type="application/json",
    )
    assert ruled.status_code == 200, ruled.content
    assert ruled.json()["status"] == "YCJ" and ruled.json()["responsible"] == desk.supervisor.personnel_number
    assert client_for(desk.technician).get("/api/v1/notifications/disputes").status_code == 403
