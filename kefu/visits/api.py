"""Return visits and receptions API: the same services, scope and rules as the pages."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from kefu.api.pagination import LIMIT, OFFSET, Page, page
from kefu.api.schemas import Day, InputSchema
from kefu.core.errors import ValidationFailed
from kefu.core.scoping import access, require_perm
from kefu.visits import queries, services
from kefu.visits.choices import VisitStatus
from kefu.visits.models import Reception, Visit
from kefu.workflow.engine import available_transitions
from kefu.worktime import clock

router = Router(tags=["visits"])


class VisitOut(Schema):
    id: int
    customer_id: int
    customer_number: str
    customer: str
    is_key: bool
    owner: str
    sales_office: str
    trigger: str
    trigger_label: str
    method: str
    method_label: str
    status: str
    status_label: str
    reason: str
    due_at: datetime
    performed_at: datetime | None
    minutes_left: int | None
    overdue: bool
    time_left: str
    version: int


class FollowUpOut(Schema):
    kind: str
    description: str
    owner: str
    number: str


class VisitDetailOut(VisitOut):
    contact_person: str
    summary: str
    needs: str
    satisfaction: int | None
    card: dict
    follow_ups: list[FollowUpOut]


class VisitFollowUpIn(InputSchema):
    kind: str
    description: str
    owner: str = ""  # personnel number of the problem's owner


class RecordIn(InputSchema):
    version: int
    summary: str
    performed_at: datetime | None = None
    method: str = ""
    contact_person: str = ""
    needs: str = ""
    satisfaction: int | None = None
    card: dict[str, str] = {}
    follow_ups: list[VisitFollowUpIn] = []


class PlanIn(InputSchema):
    customer_number: str
    due_at: datetime
    method: str = "phone"
    owner: str = ""
    reason: str = ""


class GenerateOut(Schema):
    period: str
    considered: int
    created: int
    after_complaints: int


class RuleOut(Schema):
    id: int
    name: str
    trigger: str
    tier: str
    grade: str
    segment_id: int | None
    min_months: int | None
    max_months: int | None
    every_months: int
    method: str
    due_workdays: int
    owner_from: str
    order: int
    is_active: bool


class ReportRowOut(Schema):
    name: str
    due: int
    done: int
    on_time: int
    on_site: int
    open: int
    overdue: int
    follow_ups: int
    rate: float | None


class ReportOut(Schema):
    start: date
    end: date
    rows: list[ReportRowOut]
    totals: ReportRowOut


class QuestionOut(Schema):
    id: int
    question: str
    deadline: date
    answer: str
    answered_at: datetime | None


class ReceptionOut(Schema):
    id: int
    number: str
    customer_number: str
    customer: str
    purpose: str
    purpose_label: str
    status: str
    status_label: str
    started_at: datetime
    ended_at: datetime | None
    visitors: str
    attendees: str
    conversation: str
    answers: str
    contacts_confirmed: bool
    cost: Decimal
    review_note: str
    questions: list[QuestionOut]
    allowed: list[str]
    version: int


class QuestionIn(InputSchema):
    question: str
    deadline: date


class ReceptionIn(InputSchema):
    customer_number: str
    purpose: str
    started_at: datetime
    visitors: str
    conversation: str
    ended_at: datetime | None = None
    attendees: str = ""
    answers: str = ""
    contacts_confirmed: bool = False
    cost: Decimal = Decimal("0")
    questions: list[QuestionIn] = []


class VisitTransitionIn(InputSchema):
    to: str
    version: int
    review_note: str = ""


def _customer(user, number: str):
    from kefu.customers.models import Customer

    customer = Customer.objects.visible_to(user).filter(number=(number or "").strip()).first()
    if customer is None:
        raise ValidationFailed(fields={"customer_number": [_("No customer with this number in your scope.")]})
    return customer


def _staff(user, number: str, field: str):
    if not number:
        return None
    from kefu.org.scope import assignable_staff

    staff = assignable_staff(user).filter(personnel_number=number.strip()).first()
    if staff is None:
        raise ValidationFailed(fields={field: [_("No one with this personnel number you may assign.")]})
    return staff


def _visit(request, visit_id: int) -> Visit:
    require_perm(request.user, "visits.view_visit")
    return access(Visit.objects.select_related(*queries.LIST_RELATED), request.user, visit_id)


def _visit_detail(visit: Visit, user=None) -> dict:
    row = queries.present_visits([visit])[0].__dict__
    follow_ups = [
        {
            "kind": f.kind,
            "description": f.description,
            "owner": f.owner.name if f.owner else "",
            "number": f.notification.number
            if f.notification
            else (f.complaint.number if f.complaint else ""),
        }
        for f in visit.follow_ups.select_related("owner", "notification", "complaint")
    ]
    return {
        **row,
        "contact_person": visit.contact_person,
        "summary": visit.summary,
        "needs": visit.needs,
        "satisfaction": visit.satisfaction,
        "card": services.present_card(visit.card, user, visit.customer),
        "follow_ups": follow_ups,
    }


def _rows(rows) -> list[dict]:
    return [r.__dict__ for r in queries.present_visits(rows)]


@router.get(
    "/mine", response=Page[VisitOut], summary="My visits due (key customers first, earliest due first)"
)
def my_visits(request, limit: int = LIMIT, offset: int = OFFSET):
    require_perm(request.user, "visits.view_visit")
    return page(queries.my_visits_due(request.user), limit=limit, offset=offset, present=_rows)


@router.get("/", response=Page[VisitOut], summary="Return visits in scope")
def list_visits(request, status: str = "", limit: int = LIMIT, offset: int = OFFSET):
    require_perm(request.user, "visits.view_visit")
    qs = queries.visits_for(request.user)
    if status:
        if status not in VisitStatus.values:
            raise ValidationFailed(fields={"status": [_("Choose one of the allowed values.")]})
        qs = qs.filter(status=status)
    return page(qs, limit=limit, offset=offset, present=_rows)


@router.post("/", response={201: VisitDetailOut}, summary="Plan a return visit by hand")
def plan_visit(request, payload: PlanIn):
    require_perm(request.user, "visits.add_visit")
    visit = services.plan_visit(
        actor=request.user,
        customer=_customer(request.user, payload.customer_number),
        due_at=payload.due_at,
        method=payload.method,
        owner=_staff(request.user, payload.owner, "owner"),
        reason=payload.reason,
    )
    return Status(201, _visit_detail(_visit(request, visit.pk), request.user))


@router.post(
    "/generate", response=GenerateOut, summary="Plan this month's visits from the rules (idempotent)"
)
def generate(request):
    require_perm(request.user, "visits.add_visit")
    result = services.generate_visits()
    after = services.plan_after_closed_complaints()
    return {
        "period": result.period,
        "considered": result.considered,
        "created": result.created,
        "after_complaints": after,
    }


@router.get("/rules", response=list[RuleOut], summary="Return-visit rules")
def rules(request):
    require_perm(request.user, "visits.view_visitrule")
    return list(queries.rules())


def _period(start: date | None, end: date | None) -> tuple[date, date]:
    today = clock.now().astimezone(queries.SH).date()
    start, end = start or today.replace(day=1), end or today
    for name, value in (("start", start), ("end", end)):
        if not 1900 <= value.year <= 2199:
            raise ValidationFailed(fields={name: [_("Enter a date between 1900 and 2199.")]})
    if end < start:
        raise ValidationFailed(fields={"end": [_("The end must not be before the start.")]})
    return max(start, end - timedelta(days=731)), end


@router.get("/report", response=ReportOut, summary="Visit work report per person for a period")
def report(request, start: Day | None = None, end: Day | None = None):
    require_perm(request.user, "visits.view_visit_report")
    return queries.work_report(request.user, *_period(start, end))


@router.get("/{int:visit_id}", response=VisitDetailOut, summary="One return visit with its follow-ups")
def get_visit(request, visit_id: int):
    return _visit_detail(_visit(request, visit_id), request.user)


@router.post(
    "/{int:visit_id}/record",
    response=VisitDetailOut,
    summary="Record a visit; each problem becomes a notification or complaint owned by its owner",
)
def record_visit(request, visit_id: int, payload: RecordIn):
    visit = _visit(request, visit_id)
    require_perm(request.user, "visits.change_visit")
    follow_ups = [
        {
            "kind": f.kind,
            "description": f.description,
            "owner": _staff(request.user, f.owner, f"follow_ups.{i}.owner"),
        }
        for i, f in enumerate(payload.follow_ups)
    ]
    services.record_visit(
        visit,
        actor=request.user,
        expected_version=payload.version,
        performed_at=payload.performed_at,
        method=payload.method,
        contact_person=payload.contact_person,
        summary=payload.summary,
        needs=payload.needs,
        satisfaction=payload.satisfaction,
        card=payload.card,
        follow_ups=follow_ups,
    )
    return _visit_detail(_visit(request, visit_id), request.user)


# --- receptions -----------------------------------------------------------------------------
def _reception(request, reception_id: int) -> Reception:
    require_perm(request.user, "visits.view_reception")
    return access(queries.receptions_for(request.user), request.user, reception_id)


def _reception_out(r: Reception, user) -> dict:
    return {
        "id": r.pk,
        "number": r.number,
        "customer_number": r.customer.number,
        "customer": r.customer.name,
        "purpose": r.purpose,
        "purpose_label": str(r.get_purpose_display()),
        "status": r.status.code,
        "status_label": r.status.display_name,
        "started_at": r.started_at,
        "ended_at": r.ended_at,
        "visitors": r.visitors,
        "attendees": r.attendees,
        "conversation": r.conversation,
        "answers": r.answers,
        "contacts_confirmed": r.contacts_confirmed,
        "cost": r.cost,
        "review_note": r.review_note,
        "questions": list(r.questions.all()),
        "allowed": [t.to_status.code for t in available_transitions(r, user)]
        if user.has_perm("visits.change_reception")
        else [],
        "version": r.version,
    }


@router.get("/receptions/", response=Page[ReceptionOut], summary="Reception records in scope")
def list_receptions(request, limit: int = LIMIT, offset: int = OFFSET):
    require_perm(request.user, "visits.view_reception")
    return page(
        queries.receptions_for(request.user),
        limit=limit,
        offset=offset,
        present=lambda rows: [_reception_out(r, request.user) for r in rows],
    )


@router.post("/receptions/", response={201: ReceptionOut}, summary="Record a customer's visit to the company")
def create_reception(request, payload: ReceptionIn):
    require_perm(request.user, "visits.add_reception")
    data = payload.dict()
    customer = _customer(request.user, data.pop("customer_number"))
    questions = data.pop("questions")
    reception = services.create_reception(actor=request.user, customer=customer, questions=questions, **data)
    return Status(201, _reception_out(_reception(request, reception.pk), request.user))


@router.get("/receptions/{int:reception_id}", response=ReceptionOut, summary="One reception record")
def get_reception(request, reception_id: int):
    return _reception_out(_reception(request, reception_id), request.user)


@router.post(
    "/receptions/{int:reception_id}/transitions",
    response=ReceptionOut,
    summary="Submit, review or return a reception record",
)
def transition_reception(request, reception_id: int, payload: VisitTransitionIn):
    reception = _reception(request, reception_id)
    services.transition_reception(
        reception,
        payload.to,
        actor=request.user,
        inputs={"review_note": payload.review_note},
        expected_version=payload.version,
    )
    return _reception_out(_reception(request, reception_id), request.user)
