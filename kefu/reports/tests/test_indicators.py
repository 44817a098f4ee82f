"""Each indicator against values computed by hand on a small, fixed month (November 2026).

The records are made through the services, then their times are set to fixed instants (the
services stamp "now"), so every figure below can be checked with pencil and paper.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType

from kefu.complaints.models import Complaint
from kefu.reports import formulas as fx
from kefu.reports import services
from kefu.reports.models import Indicator, Scorecard
from kefu.reports.queries import bounds
from kefu.reports.tests.conftest import sh
from kefu.tickets.models import Notification
from kefu.timeline.models import TimelineEvent
from kefu.workflow.choices import Stage
from kefu.workflow.events import TRANSITION
from kefu.workflow.models import Status

pytestmark = pytest.mark.django_db
NOV = bounds(date(2026, 11, 1), date(2026, 11, 30))


def _set(n, **fields):
    Notification.objects.filter(pk=n.pk).update(**fields)


def _transition(n, at, *, from_code="", to_code=""):
    TimelineEvent.objects.create(
        content_type=ContentType.objects.get_for_model(Notification),
        object_id=n.pk,
        event_type=TRANSITION,
        occurred_at=at,
        data={"from": from_code, "to": to_code},
    )


@pytest.fixture
def month(desk):
    """Technician 王敏's November: five notifications and three complaints (see each comment)."""
    tech = desk.technician
    done = Status.objects.filter(stage=Stage.COMPLETED).values_list("code", flat=True).first()
    opened = Status.objects.filter(stage=Stage.IN_PROCESS).values_list("code", flat=True).first()
    n1, n2, n3, n4, n5 = (desk.z1() for _ in range(5))
    TimelineEvent.objects.filter(event_type=TRANSITION).delete()  # only the instants set below
    # n1: created 11-01 08:00, first response 10:00 (2 h), completed 11-05 on its required end.
    _set(
        n1,
        created_at=sh(2026, 11, 1, 8),
        stage=Stage.COMPLETED,
        completed_at=sh(2026, 11, 5, 10),
        required_end=date(2026, 11, 5),
    )
    _transition(n1, sh(2026, 11, 1, 10))
    # ...and reopened on 11-06 (completed status → open status).
    _transition(n1, sh(2026, 11, 6, 9), from_code=done, to_code=opened)
    # n2: created 11-02 08:00, response 14:00 (6 h); completed 11-11 00:30 Beijing time, one day
    # after its required end 11-10 (in UTC it is still 11-10: the local date must decide).
    _set(
        n2,
        created_at=sh(2026, 11, 2, 8),
        stage=Stage.COMPLETED,
        completed_at=sh(2026, 11, 11, 0, 30),
        required_end=date(2026, 11, 10),
    )
    _transition(n2, sh(2026, 11, 2, 14))
    # n3: created 11-05, no response recorded; completed 11-20 without a required end.
    _set(
        n3,
        created_at=sh(2026, 11, 5, 9),
        stage=Stage.COMPLETED,
        completed_at=sh(2026, 11, 20, 9),
        required_end=None,
    )
    # n4: completed 10-31 23:59 Beijing time: October's, not November's.
    _set(
        n4,
        created_at=sh(2026, 10, 20, 9),
        stage=Stage.COMPLETED,
        completed_at=sh(2026, 10, 31, 23, 59),
        required_end=date(2026, 11, 1),
    )
    _transition(n4, sh(2026, 10, 20, 10))
    # n5: created 11-03 09:00, response next day 09:00 (24 h), still open.
    _set(n5, created_at=sh(2026, 11, 3, 9), stage=Stage.IN_PROCESS, required_end=date(2026, 11, 30))
    _transition(n5, sh(2026, 11, 4, 9))

    from kefu.complaints.services import create_complaint

    def complaint(received, closed, satisfaction):
        c = create_complaint(
            actor=desk.complaints.user, customer=desk.customer, subject="活动柜锁坏", owner=tech
        )
        Complaint.objects.filter(pk=c.pk).update(
            received_at=received,
            closed_at=closed,
            is_open=closed is None,
            satisfaction=satisfaction,
            sales_office=desk.org.office_a,
        )
        return c

    complaint(sh(2026, 11, 1, 9), sh(2026, 11, 2, 9), "5")  # 24 h, very satisfied
    complaint(sh(2026, 11, 10, 8), sh(2026, 11, 11, 20), "")  # 36 h, not rated
    complaint(sh(2026, 11, 12, 8), None, "")  # open
    return tech


def test_each_formula_against_hand_computed_values(month):
    subject = fx.Subject(staff_id=month.pk)
    m = {code: fx.measure(code, subject, *NOV) for code in fx.FORMULAS}
    assert m["notifications_closed"].value == Decimal("3")  # n1, n2, n3
    assert (m["on_time_rate"].numerator, m["on_time_rate"].denominator) == (1, 2)  # n1 of n1, n2
    assert m["on_time_rate"].value == Decimal("50.00")
    assert m["first_response_hours"].value == Decimal("6.00")  # median of 2, 6, 24
    assert m["first_response_hours"].denominator == 3
    assert m["complaint_handling_hours"].value == Decimal("30.00")  # (24 + 36) / 2
    assert m["reopen_rate"].value == Decimal("33.33")  # 1 reopened / 3 completed
    assert m["satisfaction_rate"].value == Decimal("100.00")  # 1 satisfied of 1 rated
    assert m["evaluation_rate"].value == Decimal("50.00")  # 1 rated of 2 closed


def test_no_data_is_a_dash_not_a_number(month, desk):
    subject = fx.Subject(staff_id=desk.outsider_tech.pk)
    m = {code: fx.measure(code, subject, *NOV) for code in fx.FORMULAS}
    assert m["notifications_closed"].value == Decimal("0")  # a count: zero is a figure
    for code in (
        "on_time_rate",
        "first_response_hours",
        "complaint_handling_hours",
        "reopen_rate",
        "satisfaction_rate",
        "evaluation_rate",
    ):
        assert m[code].value is None, code


def test_centre_figures_add_up_the_centre(month, desk):
    centre = fx.Subject(office_id=desk.org.office_a.pk)
    assert fx.notifications_closed(centre, *NOV).value == Decimal("3")
    assert fx.on_time_rate(centre, *NOV).value == Decimal("50.00")
    other = fx.Subject(office_id=desk.org.office_b.pk)
    assert fx.on_time_rate(other, *NOV).value is None


def test_scorecard_points_score_and_grade(month, desk):
    services.compute_period(date(2026, 11, 1))
    card = Scorecard.objects.get(period_start=date(2026, 11, 1), staff=month)
    points = {line.indicator.code: line.points for line in card.lines.select_related("indicator")}
    # closed 3 of 40 → 15 × 0.075 = 1.125 → 1.13; on time 50 % below 60 → 0; response 6 h between
    # 48 (0) and 2 (full) → 10 × 42/46 = 9.13; complaints 30 h between 240 and 24 → 10 × 210/216 =
    # 9.72; reopen 33.33 % above 20 → 0; satisfied 100 % → 10; rated items not yet rated → "—".
    assert points["closed"] == Decimal("1.13")
    assert points["on_time"] == Decimal("0.00")
    assert points["first_response"] == Decimal("9.13")
    assert points["complaint_hours"] == Decimal("9.72")
    assert points["reopen"] == Decimal("0.00")
    assert points["satisfaction"] == Decimal("10.00")
    assert points["att_teamwork"] is None
    assert card.score == Decimal("39.97")  # 29.98 points per 75 of weight with data → 39.97 of 100
    assert card.grade == "E"


def test_rerunning_a_period_gives_the_same_figures(month):
    services.compute_period(date(2026, 11, 1))

    def figures():
        return sorted(
            (
                c.staff_id or 0,
                c.sales_office_id,
                str(c.score),
                c.grade,
                tuple(
                    (line.indicator_id, str(line.value), str(line.points))
                    for line in c.lines.order_by("indicator_id")
                ),
            )
            for c in Scorecard.objects.filter(period_start=date(2026, 11, 1))
        )

    first = figures()
    services.compute_period(date(2026, 11, 1))
    assert figures() == first
    assert Scorecard.objects.filter(period_start=date(2026, 11, 1), staff=month).count() == 1


def test_rating_signing_and_signed_cards_stay(month, desk):
    from kefu.core.errors import PermissionDenied, ValidationFailed
    from kefu.reports.errors import CardLocked

    services.compute_period(date(2026, 11, 1))
    card = Scorecard.objects.get(period_start=date(2026, 11, 1), staff=month)
    rated = list(Indicator.objects.filter(kind="rated").values_list("code", flat=True))
    with pytest.raises(ValidationFailed) as bad:
        services.rate_scorecard(
            card, actor=desk.supervisor.user, points={rated[0]: Decimal("6")}, expected_version=card.version
        )
    assert rated[0] in bad.value.fields
    with pytest.raises(PermissionDenied):
        services.sign_scorecard(card, actor=desk.supervisor.user, expected_version=None)
    card = services.rate_scorecard(
        card, actor=desk.supervisor.user, points={c: Decimal(5) for c in rated}, expected_version=card.version
    )
    assert card.status == "rated"
    # 29.98 measured + 40 rated points per 75 + 40 weight → 60.85 of 100, grade D
    assert card.score == Decimal("60.85") and card.grade == "D"
    card = services.sign_scorecard(card, actor=month.user, comment="同意", expected_version=card.version)
    assert card.status == "signed"
    Notification.objects.filter(responsible=month).update(
        completed_at=sh(2026, 11, 15, 9), stage=Stage.COMPLETED
    )
    services.compute_period(date(2026, 11, 1))
    card.refresh_from_db()
    assert card.score == Decimal("60.85")  # signed: history, not recomputed
    with pytest.raises(CardLocked):
        services.rate_scorecard(card, actor=desk.supervisor.user, points={}, expected_version=None)


def test_a_stale_version_is_refused(month, desk):
    from kefu.core.errors import ConcurrentUpdate

    services.compute_period(date(2026, 11, 1))
    card = Scorecard.objects.get(period_start=date(2026, 11, 1), staff=month)
    stale = card.version
    services.rate_scorecard(card, actor=desk.supervisor.user, points={}, expected_version=stale)
    with pytest.raises(ConcurrentUpdate):
        services.rate_scorecard(card, actor=desk.supervisor.user, points={}, expected_version=stale)


def test_grouped_figures_equal_each_persons_own(month, desk):
    """The set-based figures (one grouped query for everybody) are each person's and centre's own."""
    people = [month.pk, desk.outsider_tech.pk]
    for code in fx.FORMULAS:
        everyone = fx.measure_all(code, fx.STAFF, *NOV)
        for pk in people:
            assert everyone[pk] == fx.measure(code, fx.Subject(staff_id=pk), *NOV), (code, pk)
        centres = fx.measure_all(code, fx.OFFICE, *NOV)
        for office in (desk.org.office_a, desk.org.office_b):
            assert centres[office.pk] == fx.measure(code, fx.Subject(office_id=office.pk), *NOV), code
    assert fx.measure_all("notifications_closed", fx.STAFF, *NOV)[month.pk].value == Decimal("3")
    assert fx.measure_all("on_time_rate", fx.STAFF, *NOV)[desk.outsider_tech.pk].value is None
