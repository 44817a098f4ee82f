"""Satisfaction API: ratings in scope, the evaluation rate, survey results and survey answers."""

from __future__ import annotations

from datetime import date, datetime

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from kefu.api.pagination import LIMIT, OFFSET, Page, page
from kefu.api.schemas import Day, InputSchema
from kefu.core.errors import ValidationFailed
from kefu.core.scoping import require_perm
from kefu.surveys import queries, services
from kefu.surveys.models import SurveyTemplate
from kefu.visits.api import _customer, _period

router = Router(tags=["surveys"])


class RatingOut(Schema):
    id: int
    kind: str
    number: str
    customer: str
    sales_office: str
    staff: str
    issued_at: datetime
    expires_at: datetime
    stars: int | None
    comment: str
    rated_at: datetime | None


class RateRowOut(Schema):
    name: str
    issued: int
    rated: int
    low: int
    rate: float | None
    stars: float | None
    meets_target: bool


class EvaluationOut(Schema):
    start: date
    end: date
    target: int
    issued: int
    rated: int
    rate: float | None
    rows: list[RateRowOut]


class FactorOut(Schema):
    factor: str
    label: str
    n: int
    expected: float | None
    perceived: float | None
    gap: float | None


class GroupOut(Schema):
    name: str
    n: int
    gap: float | None


class ResultsOut(Schema):
    start: date
    end: date
    factors: list[FactorOut]
    tiers: list[GroupOut]
    centres: list[GroupOut]
    stars: list[int]


class ResponseIn(InputSchema):
    template: str
    customer_number: str
    collected: str = "visit"
    answers: dict[str, dict[str, int | str | None]]


class ResponseOut(Schema):
    id: int
    template: str
    customer: str
    answers: int


def _rating_row(r) -> dict:
    return {
        "id": r.pk,
        "kind": r.kind,
        "number": r.number,
        "customer": r.customer.name,
        "sales_office": str(r.sales_office),
        "staff": r.staff.name if r.staff else "",
        "issued_at": r.issued_at,
        "expires_at": r.expires_at,
        "stars": r.stars,
        "comment": r.comment,
        "rated_at": r.rated_at,
    }


@router.get("/ratings", response=Page[RatingOut], summary="Service ratings in scope (newest first)")
def list_ratings(request, limit: int = LIMIT, offset: int = OFFSET):
    require_perm(request.user, "surveys.view_rating")
    qs = queries.ratings_for(request.user).select_related("customer", "sales_office", "staff")
    return page(qs, limit=limit, offset=offset, present=lambda rows: [_rating_row(r) for r in rows])


@router.get("/evaluation-rate", response=EvaluationOut, summary="Evaluation rate per centre or person")
def evaluation_rate(request, start: Day | None = None, end: Day | None = None, by: str = "office"):
    require_perm(request.user, "surveys.view_satisfaction_reports")
    if by not in ("office", "staff"):
        raise ValidationFailed(fields={"by": [_("Choose one of the allowed values.")]})
    start, end = _period(start, end)
    rows = queries.evaluation_rate(request.user, start, end, by=by)
    issued, rated = sum(r["issued"] for r in rows), sum(r["rated"] for r in rows)
    return {
        "start": start,
        "end": end,
        "target": queries.TARGET_RATE,
        "issued": issued,
        "rated": rated,
        "rate": queries.rate(rated, issued),
        "rows": rows,
    }


@router.get("/results", response=ResultsOut, summary="Satisfaction by factor, tier and centre")
def results(request, start: Day | None = None, end: Day | None = None):
    require_perm(request.user, "surveys.view_satisfaction_reports")
    start, end = _period(start, end)
    user = request.user
    return {
        "start": start,
        "end": end,
        "factors": queries.factor_results(user, start, end),
        "tiers": queries.gap_by(user, start, end, group="tier"),
        "centres": queries.gap_by(user, start, end, group="office"),
        "stars": queries.stars_distribution(user, start, end),
    }


@router.post("/responses", response={201: ResponseOut}, summary="Enter one customer's survey answers")
def create_response(request, payload: ResponseIn):
    require_perm(request.user, "surveys.add_surveyresponse")
    template = SurveyTemplate.objects.filter(code=payload.template, is_active=True).first()
    if template is None:
        raise ValidationFailed(fields={"template": [_("No active survey with this code.")]})
    response = services.record_response(
        actor=request.user,
        template=template,
        customer=_customer(request.user, payload.customer_number),
        answers=payload.answers,
        collected=payload.collected,
    )
    return Status(
        201,
        {
            "id": response.pk,
            "template": template.code,
            "customer": response.customer.name,
            "answers": response.answers.count(),
        },
    )


# --- the December new-needs campaign 年度新需求调查 (h-value) --------------------------------------


class CampaignIn(InputSchema):
    template: str = "XNXQ"
    year: int | None = None


class CampaignOut(Schema):
    id: int
    code: str
    survey: str
    year: int
    started_at: datetime
    finished_at: datetime | None
    total: int
    sent: int
    without_email: int
    answered: int
    remaining: int
    done: bool


@router.get("/campaigns", response=list[CampaignOut], summary="Survey campaigns with their progress")
def list_campaigns(request):
    require_perm(request.user, "surveys.view_surveycampaign")
    return [queries.campaign_progress(c) for c in queries.campaigns()[:20]]


@router.post(
    "/campaigns",
    response={200: CampaignOut, 201: CampaignOut},
    summary="Start a survey's campaign for a year (201), or get the one already started (200)",
)
def start_campaign(request, payload: CampaignIn):
    from kefu.surveys.models import SurveyCampaign

    before = set(SurveyCampaign.objects.values_list("pk", flat=True))
    campaign = services.start_campaign(actor=request.user, template_code=payload.template, year=payload.year)
    campaign.refresh_from_db()
    return Status(200 if campaign.pk in before else 201, queries.campaign_progress(campaign))


@router.get("/campaigns/{campaign_id}", response=CampaignOut, summary="One campaign's progress")
def get_campaign(request, campaign_id: int):
    from kefu.core.errors import NotFound
    from kefu.surveys.models import SurveyCampaign

    require_perm(request.user, "surveys.view_surveycampaign")
    campaign = SurveyCampaign.objects.select_related("template").filter(pk=campaign_id).first()
    if campaign is None:
        raise NotFound()
    return queries.campaign_progress(campaign)
