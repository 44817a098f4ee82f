"""Contacts and call-centre API: the CTI webhook, the call log, contacts, handovers, wrap-up,
the screen-pop cursor and the agent's outbound queue (same services, scope and masking as pages)."""

from __future__ import annotations

import json
from datetime import datetime, time

from django.db.models import Q
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from kefu.api.pagination import LIMIT, OFFSET, Page, page
from kefu.api.schemas import InputSchema
from kefu.contacts import cti, queries, services
from kefu.contacts.choices import AttemptOutcome, Classification, ListPurpose, Resolution
from kefu.contacts.models import CallTask
from kefu.core.errors import ValidationFailed
from kefu.core.scoping import access, require_perm

router = Router(tags=["contacts"])

EVENT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["event_id", "call_id", "kind", "at"],
                    "properties": {
                        "event_id": {
                            "type": "string",
                            "description": "Unique per event; a replay changes nothing",
                        },
                        "call_id": {"type": "string", "description": "The PBX's id of the call"},
                        "kind": {"type": "string", "enum": ["ring", "answer", "hangup"]},
                        "at": {"type": "string", "format": "date-time"},
                        "number": {"type": "string", "description": "Caller (inbound) or callee (outbound)"},
                        "direction": {"type": "string", "enum": ["in", "out"]},
                        "agent": {"type": "string", "description": "Agent login name or personnel number"},
                    },
                }
            }
        },
    },
    "parameters": [
        {"in": "header", "name": "X-Kefu-Key", "required": True, "schema": {"type": "string"}},
        {"in": "header", "name": "X-Kefu-Timestamp", "required": True, "schema": {"type": "string"}},
        {
            "in": "header",
            "name": "X-Kefu-Signature",
            "required": True,
            "schema": {"type": "string"},
            "description": 'sha256=hex(HMAC-SHA256(secret, timestamp + "." + body))',
        },
    ],
}


class EventOut(Schema):
    call_id: int
    contact_id: int
    new: bool
    outcome: str


@router.post(
    "/cti/events",
    auth=None,
    response=EventOut,
    summary="CTI webhook: one ring / answer / hang-up event from the PBX (HMAC-signed, idempotent)",
    openapi_extra=EVENT_BODY,
)
def cti_event(request):
    body = request.body
    source = cti.verify(
        request.headers.get("X-Kefu-Key", ""),
        request.headers.get("X-Kefu-Timestamp", ""),
        request.headers.get("X-Kefu-Signature", ""),
        body,
    )
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise ValidationFailed(_("The request body is not valid JSON.")) from None
    if not isinstance(payload, dict):
        raise ValidationFailed(_("The request body is not valid JSON."))
    call, new = services.ingest_event(source, payload)
    return {"call_id": call.pk, "contact_id": call.contact_id, "new": new, "outcome": call.outcome}


class ContactOut(Schema):
    id: int
    channel: str
    channel_label: str
    direction: str
    direction_label: str
    received_at: datetime
    customer_id: int | None
    customer_number: str
    customer: str
    person: str
    phone: str
    subject: str
    first_responsible: str
    owner: str
    is_open: bool
    answered_at: datetime | None
    closed_at: datetime | None
    classification: str
    classification_label: str
    resolution: str
    resolution_label: str
    note: str
    flag_unowned: bool
    flag_unanswered: bool
    repeat_of: int | None
    notification_id: int | None
    complaint_id: int | None
    version: int


class CallOut(Schema):
    id: int
    contact_id: int
    external_id: str
    direction: str
    direction_label: str
    number: str
    customer_id: int | None
    customer: str
    candidates: int
    agent: str
    ring_at: datetime | None
    answer_at: datetime | None
    end_at: datetime | None
    talk_seconds: int | None
    outcome: str
    outcome_label: str
    wrapped_up: bool


class HandoverIn(InputSchema):
    to_personnel_number: str
    reason: str
    due_at: datetime
    version: int | None = None


class WrapUpIn(InputSchema):
    classification: Classification
    resolution: Resolution
    steps: dict[str, bool] = {}
    subject: str = ""
    note: str = ""
    handover_to_personnel_number: str = ""
    handover_reason: str = ""
    handover_due: datetime | None = None
    version: int | None = None


class VersionIn(InputSchema):
    version: int | None = None


class PopOut(Schema):
    id: int
    call: int
    card: str


class PopsOut(Schema):
    cursor: int
    pops: list[PopOut]
    withdrawn: list[int] = []


class TaskOut(Schema):
    id: int
    call_list: str
    customer_number: str
    customer: str
    status: str
    attempts: int
    next_attempt_at: datetime | None
    last_outcome: str


class AttemptIn(InputSchema):
    outcome: AttemptOutcome
    note: str = ""
    retry_at: datetime | None = None


class CallListIn(InputSchema):
    purpose: ListPurpose
    sales_office: str
    agents: list[str]
    name: str = ""
    days: int = Field(default=7, ge=0, le=366)
    year: int | None = Field(default=None, ge=2000, le=2100)
    calling_from: time = time(9, 0)
    calling_until: time = time(18, 0)
    working_days_only: bool = True
    retry_minutes: int = Field(default=120, ge=5, le=10080)
    max_attempts: int = Field(default=3, ge=1, le=20)
    script: str = ""


class CountOut(Schema):
    code: str
    label: str
    count: int


class AgentProgressOut(Schema):
    agent: str
    total: int
    finished: int


class CallListOut(Schema):
    id: int
    name: str
    purpose: str
    purpose_label: str
    sales_office: str
    calling_from: time
    calling_until: time
    working_days_only: bool
    is_open: bool
    total: int
    finished: int
    percent: int
    statuses: list[CountOut]
    outcomes: list[CountOut]
    agents: list[AgentProgressOut]


class NextOut(Schema):
    task: TaskOut | None
    waiting: int


def _contact(request, record_id: int):
    require_perm(request.user, "contacts.view_contact")
    return access(queries.contacts_for(request.user), request.user, record_id)


def _staff_by_number(number: str, field: str):
    from kefu.org.models import Staff

    staff = Staff.objects.filter(personnel_number=(number or "").strip(), is_active=True).first()
    if staff is None:
        raise ValidationFailed(fields={field: [_("No active staff member has this personnel number.")]})
    return staff


@router.get("/", response=Page[ContactOut], summary="Contact records (scoped; newest first)")
def list_contacts(request, limit: int = LIMIT, offset: int = OFFSET, open: bool | None = None):
    require_perm(request.user, "contacts.view_contact")
    qs = queries.contacts_for(request.user)
    if open is not None:
        qs = qs.filter(is_open=open)
    return page(
        qs,
        limit=limit,
        offset=offset,
        present=lambda rows: [queries.present_contact(c, request.user) for c in rows],
    )


@router.get("/{int:record_id}", response=ContactOut, summary="One contact record")
def get_contact(request, record_id: int):
    return queries.present_contact(_contact(request, record_id), request.user)


@router.post(
    "/{int:record_id}/handovers", response={201: ContactOut}, summary="Hand over with a work liaison slip"
)
def hand_over(request, record_id: int, payload: HandoverIn):
    contact = _contact(request, record_id)
    require_perm(request.user, "contacts.handover_contact")
    services.hand_over(
        contact,
        actor=request.user,
        to_staff=_staff_by_number(payload.to_personnel_number, "to_personnel_number"),
        reason=payload.reason,
        due_at=payload.due_at,
        expected_version=payload.version,
    )
    return Status(201, queries.present_contact(_contact(request, record_id), request.user))


@router.post("/{int:record_id}/close", response=ContactOut, summary="Close a contact")
def close_contact(request, record_id: int, payload: VersionIn):
    contact = _contact(request, record_id)
    require_perm(request.user, "contacts.answer_call")
    services.close_contact(contact, actor=request.user, expected_version=payload.version)
    return queries.present_contact(_contact(request, record_id), request.user)


@router.get("/calls", response=Page[CallOut], summary="The call log (scoped; newest first)")
def list_calls(request, limit: int = LIMIT, offset: int = OFFSET, mine: bool = False):
    require_perm(request.user, "contacts.view_call")
    qs = queries.call_rows_for(request.user)
    if mine:
        qs = qs.filter(agent=request.user)
    return page(
        qs, limit=limit, offset=offset, present=lambda rows: queries.present_calls(rows, request.user)
    )


@router.get("/calls/{int:call_id}", response=CallOut, summary="One call")
def get_call(request, call_id: int):
    require_perm(request.user, "contacts.view_call")
    return queries.present_call(access(queries.calls_for(request.user), request.user, call_id), request.user)


@router.post("/calls/{int:call_id}/wrap-up", response=ContactOut, summary="Wrap up a call (seed 003 flow)")
def wrap_up(request, call_id: int, payload: WrapUpIn):
    require_perm(request.user, "contacts.view_call")
    call = access(queries.calls_for(request.user), request.user, call_id)
    require_perm(request.user, "contacts.answer_call")
    to = (
        _staff_by_number(payload.handover_to_personnel_number, "handover_to_personnel_number")
        if payload.handover_to_personnel_number
        else None
    )
    services.wrap_up(
        call.contact,
        actor=request.user,
        classification=payload.classification,
        resolution=payload.resolution,
        steps=payload.steps,
        subject=payload.subject,
        note=payload.note,
        handover_to=to,
        handover_reason=payload.handover_reason,
        handover_due=payload.handover_due,
        expected_version=payload.version,
    )
    return queries.present_contact(_contact(request, call.contact_id), request.user)


@router.get("/pops", response=PopsOut, summary="Screen pops newer than a cursor (poll; reconnects catch up)")
def list_pops(request, after: int = Query(0, ge=0, le=2**62)):
    require_perm(request.user, "contacts.answer_call")
    services.touch_presence(request.user)
    rows = queries.pops_after(request.user, after)
    return {
        "cursor": rows[-1]["id"] if rows else after,
        "pops": rows,
        "withdrawn": queries.withdrawn_pops(request.user),
    }


@router.post(
    "/calls/{int:call_id}/take",
    response=CallOut,
    summary="Take a queue call (the first agent owns it; 409 when a colleague was first)",
)
def take_call(request, call_id: int):
    require_perm(request.user, "contacts.view_call")
    call = access(queries.calls_for(request.user), request.user, call_id)
    require_perm(request.user, "contacts.answer_call")
    call = services.take_call(call, actor=request.user)
    return queries.present_call(call, request.user)


def _task_row(task) -> dict:
    return {
        "id": task.pk,
        "call_list": task.call_list.name,
        "customer_number": task.customer.number,
        "customer": task.customer.name,
        "status": task.status,
        "attempts": task.attempts,
        "next_attempt_at": task.next_attempt_at,
        "last_outcome": task.last_outcome,
    }


@router.get("/queue", response=list[TaskOut], summary="My outbound queue (due first)")
def my_queue(request):
    require_perm(request.user, "contacts.answer_call")
    return [_task_row(t) for t in queries.my_queue(request.user)[:100]]


@router.post(
    "/tasks/{int:task_id}/attempts", response={201: TaskOut}, summary="Record an outbound call attempt"
)
def record_attempt(request, task_id: int, payload: AttemptIn):
    require_perm(request.user, "contacts.answer_call")
    task = access(CallTask, request.user, task_id)  # a colleague in scope may cover
    services.record_attempt(
        task, actor=request.user, outcome=payload.outcome, note=payload.note, retry_at=payload.retry_at
    )
    task = CallTask.objects.select_related("call_list", "customer").get(pk=task.pk)
    return Status(201, _task_row(task))


@router.get(
    "/queue/next", response=NextOut, summary="My next call: the due task inside its list's calling hours"
)
def next_call(request):
    require_perm(request.user, "contacts.answer_call")
    task = services.next_task(request.user)
    return {"task": _task_row(task) if task else None, "waiting": queries.my_queue(request.user).count()}


def _list_row(call_list) -> dict:
    return {
        "id": call_list.pk,
        "name": call_list.name,
        "purpose": call_list.purpose,
        "purpose_label": str(call_list.get_purpose_display()),
        "sales_office": call_list.sales_office.code,
        "calling_from": call_list.calling_from,
        "calling_until": call_list.calling_until,
        "working_days_only": call_list.working_days_only,
        "is_open": call_list.is_open,
        **queries.list_progress(call_list),
    }


@router.get("/lists", response=Page[CallListOut], summary="Outbound call lists with their progress (scoped)")
def list_call_lists(request, limit: int = Query(20, ge=1, le=100), offset: int = OFFSET):
    require_perm(request.user, "contacts.view_calllist")
    return page(
        queries.call_lists_for(request.user),
        limit=limit,
        offset=offset,
        present=lambda rows: [_list_row(c) for c in rows],
    )


@router.get("/lists/{int:list_id}", response=CallListOut, summary="One call list's progress")
def get_call_list(request, list_id: int):
    require_perm(request.user, "contacts.view_calllist")
    return _list_row(access(queries.call_lists_for(request.user), request.user, list_id))


@router.post(
    "/lists",
    response={201: CallListOut},
    summary="Create a call list from a selection (visits due, satisfaction, needs survey, acceptances)",
)
def create_call_list(request, payload: CallListIn):
    from django.contrib.auth import get_user_model

    from kefu.org.models import SalesOffice

    require_perm(request.user, "contacts.add_calllist")
    office = SalesOffice.objects.filter(code=payload.sales_office.strip()).first()
    if office is None:
        raise ValidationFailed(fields={"sales_office": [_("No responsibility centre has this code.")]})
    names = [n.strip() for n in payload.agents if n.strip()]
    agents = list(
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(username__in=names) | Q(staff__personnel_number__in=names))
    )
    if not names or len(agents) < len(set(names)):
        raise ValidationFailed(fields={"agents": [_("Name agents by login name or personnel number.")]})
    data = payload.dict()
    call_list = services.build_call_list(
        actor=request.user,
        purpose=data.pop("purpose"),
        sales_office=office,
        agents=agents,
        name=data.pop("name"),
        days=data.pop("days"),
        year=data.pop("year"),
        **{k: v for k, v in data.items() if k not in ("sales_office", "agents")},
    )
    return Status(201, _list_row(call_list))
