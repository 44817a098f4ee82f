"""Service accidents: loss thresholds at their boundaries, the 30-minute report clock, handling, closing."""

from decimal import Decimal

import pytest

from kefu.complaints.models import Accident, AccidentReport, Escalation
from kefu.complaints.services import (
    add_accident_action,
    create_accident,
    escalate_late,
    save_carrier,
    severity_for,
    transition_accident,
    update_accident,
)
from kefu.core.errors import ValidationFailed

from .conftest import sh

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("loss", "severity"),
    [
        ("0.00", "general"),
        ("999.99", "general"),
        ("1000.00", "general"),  # "over 1,000" (超过) is strictly greater
        ("1000.01", "major"),
        ("10000.00", "major"),
        ("10000.01", "severe"),
    ],
)
def test_severity_thresholds_at_their_boundaries(loss, severity):
    assert severity_for(Decimal(loss))[0] == severity


@pytest.fixture
def register(org, people):
    def make(loss="500.00", **kwargs):
        kwargs.setdefault("occurred_at", sh(2026, 11, 23, 10, 0))
        return create_accident(
            actor=people["assistant"].user,
            kind="damage",
            place="北京朝阳仓",
            description="运输途中破损",
            sales_office=org.office_a,
            estimated_loss=Decimal(loss),
            **kwargs,
        )

    return make


@pytest.mark.parametrize(
    ("loss", "reports"),
    [
        ("999.99", []),
        ("1000.00", []),
        ("1000.01", ["major"]),
        ("10000.00", ["major"]),
        ("10000.01", ["major", "severe"]),
    ],
)
def test_loss_reports_follow_the_thresholds(frozen_clock, register, loss, reports, org):
    frozen_clock.set(sh(2026, 11, 23, 10, 5))
    accident = register(loss)
    got = list(
        AccidentReport.objects.filter(accident=accident)
        .order_by("severity")
        .values_list("severity", flat=True)
    )
    assert got == sorted(reports)
    if "major" in reports:  # the next management level: headquarters
        assert AccidentReport.objects.get(accident=accident, severity="major").department == org.hq


def test_thirty_minute_report_clock_runs_from_the_accident(frozen_clock, register, people):
    frozen_clock.set(sh(2026, 11, 23, 10, 12))
    accident = register(occurred_at=sh(2026, 11, 23, 10, 0))
    assert accident.report_due_at == sh(2026, 11, 23, 10, 30)
    assert accident.step_deadline == sh(2026, 11, 23, 10, 30)
    frozen_clock.set(sh(2026, 11, 23, 10, 30))
    assert escalate_late() == 1
    assert Escalation.objects.get(accident=accident).recipients == ["刘洋"]
    assert escalate_late() == 0


def test_reporting_in_time_stops_the_clock_and_names_the_unit_head(frozen_clock, register, people):
    frozen_clock.set(sh(2026, 11, 23, 10, 20))
    accident = register()
    transition_accident(
        accident, "SGBG", actor=people["assistant"].user, inputs={"initial_measures": "拍照取证"}
    )
    accident.refresh_from_db()
    assert accident.reported_at == sh(2026, 11, 23, 10, 20)
    assert accident.reported_to == people["supervisor"]
    frozen_clock.set(sh(2026, 11, 23, 10, 31))
    assert escalate_late() == 0


def test_raising_the_estimate_makes_the_report_due_once(register, people):
    accident = register("800.00")
    update_accident(
        accident,
        actor=people["assistant"].user,
        expected_version=accident.version,
        estimated_loss=Decimal("1500.00"),
    )
    accident.refresh_from_db()
    assert accident.severity == "major"
    update_accident(
        accident,
        actor=people["assistant"].user,
        expected_version=accident.version,
        estimated_loss=Decimal("1600.00"),
    )
    assert AccidentReport.objects.filter(accident=accident).count() == 1


def test_handling_actions_sum_claims_and_recoveries(register, people):
    accident = register("5000.00")
    add_accident_action(
        accident,
        actor=people["assistant"].user,
        method="third_party_claim",
        amount_claimed=Decimal("5000"),
        amount_recovered=Decimal("3000"),
        counterparty="顺达物流",
    )
    add_accident_action(
        accident,
        actor=people["assistant"].user,
        method="insurance",
        amount_claimed=Decimal("2000"),
        amount_recovered=Decimal("2000"),
    )
    accident.refresh_from_db()
    assert (accident.amount_claimed, accident.amount_recovered) == (Decimal("7000.00"), Decimal("5000.00"))
    assert accident.handling_method == "third_party_claim"
    with pytest.raises(ValidationFailed) as info:
        add_accident_action(
            accident,
            actor=people["assistant"].user,
            method="apology",
            amount_claimed=Decimal("10"),
            amount_recovered=Decimal("20"),
        )
    assert "amount_recovered" in info.value.fields


def test_full_accident_flow_and_closing_needs_the_final_loss(register, people):
    accident = register("500.00")
    # Seed 003: report to the unit head *and* take first measures; an empty report is refused.
    with pytest.raises(ValidationFailed) as info:
        transition_accident(accident, "SGBG", actor=people["assistant"].user)
    assert "initial_measures" in info.value.fields
    accident.refresh_from_db()
    assert accident.status.code == "SGDJ" and accident.reported_at is None
    transition_accident(
        accident, "SGBG", actor=people["assistant"].user, inputs={"initial_measures": "隔离受损货物"}
    )
    with pytest.raises(ValidationFailed) as info:
        transition_accident(
            accident, "SGCL", actor=people["assistant"].user, inputs={"responsibility": "internal"}
        )
    assert "handling_method" in info.value.fields
    transition_accident(
        accident,
        "SGCL",
        actor=people["assistant"].user,
        inputs={"handling_method": "compensation", "responsibility": "third_party"},
    )
    with pytest.raises(ValidationFailed) as info:
        transition_accident(
            accident, "SGJA", actor=people["supervisor"].user, inputs={"closing_note": "结案"}
        )
    assert "final_loss" in info.value.fields
    transition_accident(
        accident,
        "SGJA",
        actor=people["supervisor"].user,
        inputs={"closing_note": "已依约赔偿", "final_loss": Decimal("1200.00")},
    )
    accident.refresh_from_db()
    assert (accident.is_open, accident.severity) == (False, "major")  # the final loss decides
    assert AccidentReport.objects.filter(accident=accident, severity="major").exists()


def test_an_accident_in_another_centre_is_refused(org, people):
    with pytest.raises(ValidationFailed) as info:
        create_accident(
            actor=people["assistant"].user,
            kind="loss",
            place="天津",
            description="丢失",
            sales_office=org.office_b,
            occurred_at=sh(2026, 11, 23, 9),
        )
    assert "sales_office" in info.value.fields
    assert not Accident.objects.exists()


def test_carrier_archive_counts_accidents(register, people):
    carrier = save_carrier(
        actor=people["manager"].user, code="CY001", name="顺达物流有限公司", status="active"
    )
    register(carrier=carrier)
    register(carrier=carrier)
    from kefu.complaints.queries import carriers_for

    row = carriers_for(people["manager"].user).get(pk=carrier.pk)
    assert row.accident_count == 2


def test_carrier_page_says_contract_and_appraisal_period(client, register, people):
    """Catalogues merge into one: the carrier's "Contract" is its 合同 (not customers' 合同型 or the
    合同投诉 category), an accident's "Responsibility" is 责任 (customers' card says 负责)."""
    from django.urls import reverse

    carrier = save_carrier(actor=people["manager"].user, code="CY002", name="顺达物流", status="active")
    accident = register(carrier=carrier)
    client.force_login(people["manager"].user)
    page = client.get(
        reverse("complaints:carrier_detail", args=[carrier.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "合同</dt>" in page and "合同型" not in page and "合同投诉" not in page
    assert "<th>考核期间</th>" in page
    detail = client.get(
        reverse("complaints:accident_detail", args=[accident.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "责任</dt>" in detail


def test_writes_to_another_centres_accident_or_links_outside_the_scope_are_refused(
    frozen_clock, org, people, register
):
    """The services hold every caller to the scope: another centre's accident is not found, and a
    customer of another centre cannot be linked to one's own accident."""
    from kefu.core.errors import NotFound, ValidationFailed
    from kefu.customers.models import Customer

    frozen_clock.set(sh(2026, 11, 23, 10, 5))
    accident = register()
    outsider = people["outsider"].user
    with pytest.raises(NotFound):
        update_accident(accident, actor=outsider, expected_version=accident.version, place="天津")
    with pytest.raises(NotFound):
        add_accident_action(accident, actor=outsider, method="apology", note="致歉")
    foreign = Customer.objects.create(number="2110060001", name="天津客户", sales_office=org.office_b)
    with pytest.raises(ValidationFailed) as info:
        update_accident(
            accident, actor=people["assistant"].user, expected_version=accident.version, customer=foreign
        )
    assert "customer" in info.value.fields
    accident.refresh_from_db()
    assert (accident.place, accident.customer_id, accident.actions.count()) == ("北京朝阳仓", None, 0)


def test_writes_to_another_centres_complaint_are_refused(make_complaint, people):
    from kefu.complaints.services import transition_complaint, update_complaint
    from kefu.core.errors import NotFound

    c = make_complaint()
    outsider = people["outsider"].user
    with pytest.raises(NotFound):
        update_complaint(c, actor=outsider, expected_version=c.version, subject="改")
    with pytest.raises(NotFound):
        transition_complaint(c, "KSJL", actor=outsider, inputs={}, expected_version=c.version)
    c.refresh_from_db()
    assert c.subject == "活动柜锁坏"


def test_a_follow_up_on_another_centres_complaint_is_refused(make_complaint, people):
    """Mail and WeChat intake add follow-ups through the service: it holds them to the scope."""
    from kefu.complaints.services import add_follow_up
    from kefu.core.errors import NotFound

    c = make_complaint()
    with pytest.raises(NotFound):
        add_follow_up(c, actor=people["outsider"].user, note="别的中心的跟进")
    assert c.follow_ups.count() == 0
