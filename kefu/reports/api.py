"""Management reports API: the cockpit's figures, scorecards (compute, rate, sign off), the archive
and weekly reports, with the same scope, services and "—" rule as the pages."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.urls import reverse
from ninja import Query, Router, Schema

from kefu.api.pagination import LIMIT, OFFSET, Page, page
from kefu.api.schemas import Day, InputSchema
from kefu.core.errors import ValidationFailed
from kefu.core.scoping import access, require_perm
from kefu.reports import queries, services
from kefu.reports.forms import MonthForm, PeriodForm

router = Router(tags=["reports"])


def _month(value: str) -> date:
    form = MonthForm({"period": value})
    if not form.is_valid():
        raise ValidationFailed(form.errors["period"][0], fields={"period": form.errors["period"]})
    return form.cleaned_data["period"]


@router.get("/cockpit", response=dict, summary="The manager's cockpit: figures with their list URLs")
def cockpit(request, start: Day | None = None, end: Day | None = None):
    require_perm(request.user, "reports.view_cockpit")
    default_start, default_end = queries.default_period()
    form = PeriodForm({"start": start or default_start, "end": end or default_end})
    if not form.is_valid():
        raise ValidationFailed(fields={k: list(v) for k, v in form.errors.items()})
    data = queries.cockpit(request.user, form.cleaned_data["start"], form.cleaned_data["end"])
    return queries.jsonable(data)


class LineOut(Schema):
    indicator: str
    indicator_label: str
    kind: str
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    weight: Decimal
    points: Decimal | None


class CardOut(Schema):
    id: int
    period: str
    sales_office: str
    personnel_number: str | None
    staff: str | None
    status: str
    status_label: str
    score: Decimal | None
    grade: str
    version: int
    signed_at: datetime | None
    url: str


class CardDetailOut(CardOut):
    lines: list[LineOut]
    supervisor_comment: str
    staff_comment: str


def _card(card) -> dict:
    return {
        "id": card.pk,
        "period": f"{card.period_start:%Y-%m}",
        "sales_office": card.sales_office.code,
        "personnel_number": card.staff.personnel_number if card.staff_id else None,
        "staff": card.staff.name if card.staff_id else None,
        "status": card.status,
        "status_label": str(card.get_status_display()),
        "score": card.score,
        "grade": card.grade,
        "version": card.version,
        "signed_at": card.signed_at,
        "url": reverse("reports:scorecard_detail", args=[card.pk]),
    }


def _detail(card) -> dict:
    return {
        **_card(card),
        "supervisor_comment": card.supervisor_comment,
        "staff_comment": card.staff_comment,
        "lines": [
            {
                "indicator": line.indicator.code,
                "indicator_label": line.indicator.display_name,
                "kind": line.indicator.kind,
                "value": line.value,
                "numerator": line.numerator,
                "denominator": line.denominator,
                "weight": line.weight,
                "points": line.points,
            }
            for line in queries.card_lines(card)
        ],
    }


def _scorecard(request, card_id: int):
    require_perm(request.user, "reports.view_scorecard")
    return access(queries.scorecards_for(request.user), request.user, card_id)


@router.get("/scorecards", response=Page[CardOut], summary="Scorecards of a month (own and in scope)")
def list_scorecards(
    request,
    period: str = Query(..., max_length=7, description="YYYY-MM"),
    limit: int = LIMIT,
    offset: int = OFFSET,
):
    require_perm(request.user, "reports.view_scorecard")
    cards = queries.scorecards_for(request.user).filter(period_start=_month(period))
    return page(cards, limit=limit, offset=offset, present=lambda rows: [_card(c) for c in rows])


@router.get("/scorecards/{int:card_id}", response=CardDetailOut, summary="One scorecard with its lines")
def get_scorecard(request, card_id: int):
    return _detail(_scorecard(request, card_id))


class ComputeIn(InputSchema):
    period: str


@router.post("/scorecards/compute", response=dict, summary="Compute (recompute) a month's scorecards")
def compute_scorecards(request, payload: ComputeIn):
    require_perm(request.user, "reports.rate_scorecard")
    from kefu.org.scope import scope_for

    scope = scope_for(request.user)
    offices = None if scope.company_wide else sorted(scope.office_ids)
    count = services.compute_period(_month(payload.period), actor=request.user, offices=offices)
    return {"computed": count}


class RateIn(InputSchema):
    points: dict[str, Decimal | None]
    comment: str = ""
    version: int | None = None


@router.post("/scorecards/{int:card_id}/rating", response=CardDetailOut, summary="Rate attitude and ability")
def rate_scorecard(request, card_id: int, payload: RateIn):
    card = _scorecard(request, card_id)
    require_perm(request.user, "reports.rate_scorecard")
    services.rate_scorecard(
        card,
        actor=request.user,
        points=payload.points,
        comment=payload.comment,
        expected_version=payload.version,
    )
    return _detail(_scorecard(request, card_id))


class SignIn(InputSchema):
    comment: str = ""
    version: int | None = None


@router.post("/scorecards/{int:card_id}/sign-off", response=CardDetailOut, summary="Sign off one's own card")
def sign_scorecard(request, card_id: int, payload: SignIn):
    card = _scorecard(request, card_id)
    services.sign_scorecard(
        card, actor=request.user, comment=payload.comment, expected_version=payload.version
    )
    return _detail(_scorecard(request, card_id))


class ArchiveOut(Schema):
    id: int
    period: str
    generated_at: datetime
    mailed_at: datetime | None
    size: int
    url: str


@router.get("/archive", response=Page[ArchiveOut], summary="Archived service supervision reports")
def list_archive(request, limit: int = LIMIT, offset: int = OFFSET):
    require_perm(request.user, "reports.view_supervisionreport")
    return page(
        queries.archive_for(request.user),
        limit=limit,
        offset=offset,
        present=lambda rows: [
            {
                "id": r.pk,
                "period": f"{r.period_start:%Y-%m}",
                "generated_at": r.updated_at,
                "mailed_at": r.mailed_at,
                "size": r.size,
                "url": reverse("reports:archive_download", args=[r.pk]),
            }
            for r in rows
        ],
    )


class WeeklyOut(Schema):
    id: int
    week_start: date
    personnel_number: str
    staff: str
    sales_office: str
    status: str
    status_label: str
    figures: dict
    done: str
    problems: str
    plan: str
    submitted_at: datetime | None


@router.get("/weekly", response=Page[WeeklyOut], summary="Weekly reports (own and in scope)")
def list_weekly(request, limit: int = LIMIT, offset: int = OFFSET):
    require_perm(request.user, "reports.view_weeklyreport")
    return page(
        queries.weekly_reports_for(request.user),
        limit=limit,
        offset=offset,
        present=lambda rows: [
            {
                "id": r.pk,
                "week_start": r.week_start,
                "personnel_number": r.staff.personnel_number,
                "staff": r.staff.name,
                "sales_office": r.sales_office.code,
                "status": r.status,
                "status_label": str(r.get_status_display()),
                "figures": r.figures,
                "done": r.done,
                "problems": r.problems,
                "plan": r.plan,
                "submitted_at": r.submitted_at,
            }
            for r in rows
        ],
    )
