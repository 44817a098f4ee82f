"""Surveys as data: seed templates, satisfaction = perceived − expected per factor, results by factor/tier."""

from datetime import date

import pytest
from django.urls import reverse

from kefu.core.errors import ValidationFailed
from kefu.surveys import queries, services
from kefu.surveys.models import SurveyTemplate
from kefu.visits.testing import sh

pytestmark = pytest.mark.django_db


def test_seed_templates_are_installed():
    codes = set(SurveyTemplate.objects.values_list("code", flat=True))
    assert {"XQDC", "MYDC", "XNXQ"} <= codes
    factors = set(
        SurveyTemplate.objects.get(code="MYDC").questions.exclude(factor="").values_list("factor", flat=True)
    )
    assert factors == {"enterprise", "product", "marketing_service", "communication", "care"}


@pytest.mark.parametrize(("expected", "perceived", "gap"), [(5, 3, -2), (3, 5, 2), (4, 4, 0), (1, 5, 4)])
def test_satisfaction_is_perceived_minus_expected(expected, perceived, gap):
    assert services.satisfaction(expected, perceived) == gap


def test_results_by_factor_and_tier(frozen_clock, make_customer, people):
    frozen_clock.set(sh(2026, 12, 2, 10))
    template = SurveyTemplate.objects.get(code="MYDC")
    key = make_customer(tier="key")
    small = make_customer(tier="small")
    actor = people["relation"].user
    services.record_response(
        actor=actor,
        template=template,
        customer=key,
        answers={"F1": {"expected": 5, "perceived": 3}, "F2": {"expected": 4, "perceived": 5}},
    )
    services.record_response(
        actor=actor,
        template=template,
        customer=small,
        answers={"F1": {"expected": 3, "perceived": 4}, "C1": {"text": "希望更快"}},
    )
    by_factor = {r["factor"]: r for r in queries.factor_results(actor, date(2026, 12, 1), date(2026, 12, 31))}
    assert by_factor["enterprise"]["gap"] == -0.5  # (-2 + 1) / 2
    assert by_factor["enterprise"]["expected"] == 4.0 and by_factor["enterprise"]["perceived"] == 3.5
    assert by_factor["product"]["gap"] == 1.0
    assert by_factor["care"]["n"] == 0 and by_factor["care"]["gap"] is None
    tiers = {
        r["name"]: r["gap"]
        for r in queries.gap_by(actor, date(2026, 12, 1), date(2026, 12, 31), group="tier")
    }
    assert tiers == {"重要客户": -0.5, "小客户": 1.0}  # key: (-2 + 1) / 2


def test_bad_scores_are_refused_naming_the_question(customer, people):
    template = SurveyTemplate.objects.get(code="MYDC")
    with pytest.raises(ValidationFailed) as exc:
        services.record_response(
            actor=people["relation"].user,
            template=template,
            customer=customer,
            answers={"F1": {"expected": 9, "perceived": 3}},
        )
    assert "answers.F1" in exc.value.fields
    from kefu.surveys.models import SurveyResponse

    assert not SurveyResponse.objects.exists()


def test_results_page_and_respond_page(client, customer, people):
    client.force_login(people["relation"].user)
    assert client.get(reverse("surveys:results")).status_code == 200
    response = client.post(
        reverse("surveys:respond", args=["MYDC"]),
        {"customer": customer.number, "collected": "phone", "F1_expected": "4", "F1_perceived": "5"},
    )
    assert response.status_code == 302
    client.force_login(people["assistant"].user)
    assert client.get(reverse("surveys:results")).status_code == 403


def test_a_poor_survey_raises_a_satisfaction_warning_once_for_who_must_act(make_customer, people):
    """h-value: mean perceived − expected at or below −2 (the rule's threshold) → a warning."""
    from kefu.customers.models import CustomerWarning

    template = SurveyTemplate.objects.get(code="MYDC")
    actor = people["relation"].user
    unhappy = make_customer(key_account_manager=people["keyaccount"], is_key_account=True)
    fine = make_customer()
    poor = services.record_response(
        actor=actor,
        template=template,
        customer=unhappy,
        answers={"F1": {"expected": 5, "perceived": 2}, "F2": {"expected": 5, "perceived": 4}},  # −2
    )
    services.record_response(
        actor=actor, template=template, customer=fine, answers={"F1": {"expected": 5, "perceived": 4}}
    )
    services.record_response(  # −1.5: above the threshold
        actor=actor,
        template=template,
        customer=fine,
        answers={"F1": {"expected": 5, "perceived": 3}, "F2": {"expected": 5, "perceived": 4}},
    )
    warning = CustomerWarning.objects.get()
    assert (warning.customer_id, warning.kind) == (unhappy.pk, "satisfaction")
    assert warning.assignee == people["keyaccount"] and warning.source_key == f"survey:{poor.pk}"
