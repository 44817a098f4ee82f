"""Complaints and accidents API: the same services, scope, masking and filters as the pages."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from kefu.api.pagination import LIMIT, OFFSET, Page, page
from kefu.api.schemas import InputSchema
from kefu.complaints import queries, services
from kefu.complaints.filtersets import AccidentFilterSet, ComplaintFilterSet
from kefu.complaints.forms import CustomerNumberField, transition_form_class
from kefu.complaints.models import Accident, Complaint
from kefu.core.errors import ValidationFailed
from kefu.core.scoping import access, require_perm
from kefu.org.models import SalesOffice
from kefu.workflow.engine import available_transitions

router = Router(tags=["complaints"])


class ClockOut(Schema):
    deadline: datetime | None
    minutes_left: int | None
    overdue: bool
    text: str


class ComplaintOut(Schema):
    id: int
    number: str
    subject: str
    status: str = Field(validation_alias="status_code")
    status_label: str = Field(validation_alias="status")
    is_open: bool
    received_at: datetime
    customer_number: str
    customer: str
    is_key_account: bool
    contact_name: str
    contact_phone: str
    sales_office: str
    owner: str
    content_class: str = Field(validation_alias="content_class_code")
    content_class_label: str = Field(validation_alias="content_class")
    cause_class: str = Field(validation_alias="cause_class_code")
    cause_class_label: str = Field(validation_alias="cause_class")
    severity: str = Field(validation_alias="severity_code")
    severity_label: str = Field(validation_alias="severity")
    handling_department: str
    material_code: str
    deadline: datetime | None
    minutes_left: int | None
    overdue: bool
    time_left: str
    escalation_level: int
    version: int


class ComplaintDetailOut(ComplaintOut):
    description: str
    is_valid: bool | None
    validity_reason: str
    cause_analysis: str
    proposed_plan: str
    director_decision: str
    handling_actions: str
    closing_summary: str
    evaluation: str
    satisfaction: str
    allowed: list[str]


class ComplaintIn(InputSchema):
    customer_number: str
    subject: str
    received_at: datetime | None = None
    received_via: str = "hotline"
    contact_name: str = ""
    contact_phone: str = ""
    severity: str = "normal"
    sales_document: str = ""
    shipment: str = ""
    description: str = ""


class ComplaintTransitionIn(InputSchema):
    to: str
    version: int
    inputs: dict = {}


class FollowUpIn(InputSchema):
    note: str
    via: str = "phone"


def _detail(complaint: Complaint, user) -> dict:
    row = queries.present_complaints([complaint], user)[0]
    return {
        **row.__dict__,
        "description": complaint.description,
        "is_valid": complaint.is_valid,
        "validity_reason": complaint.validity_reason,
        "cause_analysis": complaint.cause_analysis,
        "proposed_plan": complaint.proposed_plan,
        "director_decision": complaint.director_decision,
        "handling_actions": complaint.handling_actions,
        "closing_summary": complaint.closing_summary,
        "evaluation": complaint.evaluation,
        "satisfaction": complaint.satisfaction,
        "allowed": [t.to_status.code for t in available_transitions(complaint, user)]
        if complaint.is_open
        else [],
    }


def _require(request, perm: str) -> None:
    require_perm(request.user, perm)


def _complaint(request, complaint_id: int) -> Complaint:
    _require(request, "complaints.view_complaint")
    return access(Complaint.objects.select_related(*queries.LIST_RELATED), request.user, complaint_id)


def _step_inputs(obj, user, to: str, data: dict) -> dict:
    """Validate step inputs with the same form the page uses (choices, lookups, types)."""
    target = obj.workflow_profile().statuses.filter(code=to.strip().upper()).first()
    code = target.code if target else to
    form = transition_form_class(type(obj), code, [])(
        data={**data, "version": obj.version}, instance=obj, user=user
    )
    if not form.is_valid():
        raise ValidationFailed(fields={k: v for k, v in form.errors.items()})
    return {k: v for k, v in form.inputs().items() if k in data}


@router.get(
    "/", response=Page[ComplaintOut], summary="Complaints (scoped; key accounts and urgent steps first)"
)
def list_complaints(request, limit: int = LIMIT, offset: int = OFFSET):
    _require(request, "complaints.view_complaint")
    params = request.GET.copy()
    filterset = ComplaintFilterSet(params, queryset=queries.complaints_for(request.user))
    if not filterset.is_valid():
        raise ValidationFailed(fields={k: list(v) for k, v in filterset.errors.items()})
    return page(
        filterset.qs,
        limit=limit,
        offset=offset,
        present=lambda rows: [r.__dict__ for r in queries.present_complaints(rows, request.user)],
    )


@router.post(
    "/", response={201: ComplaintDetailOut}, summary="Receive a complaint (starts the 10-minute clock)"
)
def create_complaint(request, payload: ComplaintIn):
    _require(request, "complaints.add_complaint")
    field = CustomerNumberField()
    field.user = request.user
    from django.core.exceptions import ValidationError

    try:
        customer = field.clean(payload.customer_number)
    except ValidationError as exc:
        raise ValidationFailed(fields={"customer_number": exc.messages}) from exc
    data = payload.dict()
    data.pop("customer_number")
    complaint = services.create_complaint(actor=request.user, customer=customer, **data)
    return Status(201, _detail(_complaint(request, complaint.pk), request.user))


@router.get(
    "/{int:complaint_id}", response=ComplaintDetailOut, summary="One complaint with its allowed steps"
)
def get_complaint(request, complaint_id: int):
    return _detail(_complaint(request, complaint_id), request.user)


@router.post(
    "/{int:complaint_id}/transitions", response=ComplaintDetailOut, summary="Move a complaint one step"
)
def transition_complaint(request, complaint_id: int, payload: ComplaintTransitionIn):
    complaint = _complaint(request, complaint_id)
    inputs = _step_inputs(complaint, request.user, payload.to, payload.inputs)
    services.transition_complaint(
        complaint, payload.to, actor=request.user, inputs=inputs, expected_version=payload.version
    )
    return _detail(_complaint(request, complaint_id), request.user)


@router.post("/{int:complaint_id}/follow-ups", response={201: dict}, summary="Record a follow-up")
def add_follow_up(request, complaint_id: int, payload: FollowUpIn):
    complaint = _complaint(request, complaint_id)
    follow_up = services.add_follow_up(complaint, actor=request.user, note=payload.note, via=payload.via)
    return Status(201, {"id": follow_up.pk, "at": follow_up.at.isoformat(), "note": follow_up.note})


# --- accidents -----------------------------------------------------------------------------
class AccidentOut(Schema):
    id: int
    number: str
    kind: str = Field(validation_alias="kind_code")
    kind_label: str = Field(validation_alias="kind")
    status: str = Field(validation_alias="status_code")
    status_label: str = Field(validation_alias="status")
    is_open: bool
    occurred_at: datetime
    place: str
    shipment: str
    carrier: str
    customer: str
    sales_office: str
    is_insured: bool
    estimated_loss: Decimal
    final_loss: Decimal | None
    responsibility: str
    severity: str = Field(validation_alias="severity_code")
    severity_label: str = Field(validation_alias="severity")
    handling_method: str
    amount_claimed: Decimal
    amount_recovered: Decimal
    report_due_at: datetime | None
    reported_at: datetime | None
    deadline: datetime | None
    minutes_left: int | None
    overdue: bool
    time_left: str
    version: int


class AccidentIn(InputSchema):
    kind: str
    occurred_at: datetime
    place: str
    description: str
    sales_office: str
    shipment: str = ""
    carrier_code: str = ""
    is_insured: bool = False
    insurer: str = ""
    estimated_loss: Decimal = Decimal("0.00")
    responsibility: str = "undetermined"


class AccidentActionIn(InputSchema):
    method: str
    amount_claimed: Decimal = Decimal("0")
    amount_recovered: Decimal = Decimal("0")
    counterparty: str = ""
    note: str = ""


def _accident(request, accident_id: int) -> Accident:
    _require(request, "complaints.view_accident")
    return access(
        Accident.objects.select_related("status", "carrier", "customer", "sales_office", "owner"),
        request.user,
        accident_id,
    )


@router.get("/accidents/", response=Page[AccidentOut], summary="Service accidents (scoped)")
def list_accidents(request, limit: int = LIMIT, offset: int = OFFSET):
    _require(request, "complaints.view_accident")
    filterset = AccidentFilterSet(request.GET.copy(), queryset=queries.accidents_for(request.user))
    if not filterset.is_valid():
        raise ValidationFailed(fields={k: list(v) for k, v in filterset.errors.items()})
    return page(
        filterset.qs,
        limit=limit,
        offset=offset,
        present=lambda rows: [r.__dict__ for r in queries.present_accidents(rows)],
    )


@router.post(
    "/accidents/", response={201: AccidentOut}, summary="Register an accident (30-minute report clock)"
)
def create_accident(request, payload: AccidentIn):
    _require(request, "complaints.add_accident")
    from kefu.complaints.models import Carrier

    data = payload.dict()
    office = SalesOffice.objects.filter(code=data.pop("sales_office")).first()
    carrier_code = data.pop("carrier_code")
    carrier = Carrier.objects.filter(code=carrier_code).first() if carrier_code else None
    if carrier_code and carrier is None:
        raise ValidationFailed(fields={"carrier_code": [_("No carrier with this code.")]})
    with transaction.atomic():
        accident = services.create_accident(actor=request.user, sales_office=office, carrier=carrier, **data)
    return Status(201, queries.present_accidents([_accident(request, accident.pk)])[0].__dict__)


@router.get("/accidents/{int:accident_id}", response=AccidentOut, summary="One accident")
def get_accident(request, accident_id: int):
    return queries.present_accidents([_accident(request, accident_id)])[0].__dict__


@router.post(
    "/accidents/{int:accident_id}/transitions", response=AccidentOut, summary="Move an accident one step"
)
def transition_accident(request, accident_id: int, payload: ComplaintTransitionIn):
    accident = _accident(request, accident_id)
    inputs = _step_inputs(accident, request.user, payload.to, payload.inputs)
    services.transition_accident(
        accident, payload.to, actor=request.user, inputs=inputs, expected_version=payload.version
    )
    return queries.present_accidents([_accident(request, accident_id)])[0].__dict__


@router.post("/accidents/{int:accident_id}/actions", response=AccidentOut, summary="Record a handling action")
def add_action(request, accident_id: int, payload: AccidentActionIn):
    accident = _accident(request, accident_id)
    services.add_accident_action(accident, actor=request.user, **payload.dict())
    return queries.present_accidents([_accident(request, accident_id)])[0].__dict__
