"""Field service API at /api/v1/field/: the technician's day, one job, steps synced from the phone
(maybe queued offline: `base_version` is checked, 409 on a stale one; `client_id` makes a retry
harmless) and appointments. The technician app uses exactly these routes."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from kefu.api.schemas import Day, InputSchema
from kefu.core.scoping import require_perm
from kefu.field import queries, services
from kefu.field.choices import Slot, StepKind
from kefu.tickets.services import access_notification

router = Router(tags=["field service"])
USE_APP = "field.add_fieldstep"


class AppointmentOut(Schema):
    date: dt.date
    slot: str
    slot_label: str
    note: str
    version: int


class JobItemOut(Schema):
    position: int
    product_type: str
    material: str
    quantity: str
    reason_text: str


class StepOut(Schema):
    id: int
    kind: str
    kind_label: str
    client_id: str
    recorded_at: dt.datetime
    version: int = Field(description="The notification's version after this step")


class JobOut(Schema):
    id: int
    number: str
    type: str
    status: str
    status_label: str
    description: str
    customer: str
    object_address: str
    contact_name: str
    contact_phone: str
    urgent: bool
    required_end: dt.date | None
    version: int
    appointment: AppointmentOut | None
    tel: str
    map_url: str


class JobDetailOut(JobOut):
    long_text: str
    items: list[JobItemOut]
    steps: list[StepOut]


class StepIn(InputSchema):
    kind: str = Field(..., description=" / ".join(StepKind.values))
    client_id: str = Field(..., min_length=1, max_length=64)
    base_version: int = Field(..., ge=1)
    recorded_at: dt.datetime | None = None
    result: str | None = Field(None, max_length=2000)
    work_done: str | None = Field(None, max_length=2000)
    materials_used: str | None = Field(None, max_length=2000)
    caption: str | None = Field(None, max_length=50)
    signer: str | None = Field(None, max_length=50)
    image: str | None = Field(None, max_length=5_000_000, description="data:image/png;base64,…")


class AppointmentIn(InputSchema):
    date: dt.date
    slot: str = Field(..., description=" / ".join(Slot.values))
    note: str = Field("", max_length=200)
    version: int | None = None
    notify_customer: bool = Field(
        False, description="Mail the new or changed window to the customer's contact"
    )


def _appointment(a) -> dict | None:
    if a is None:
        return None
    return {
        "date": a.date,
        "slot": a.slot,
        "slot_label": a.get_slot_display(),
        "note": a.note,
        "version": a.version,
    }


def _step(s) -> dict:
    return {
        "id": s.pk,
        "kind": s.kind,
        "kind_label": s.get_kind_display(),
        "client_id": s.client_id,
        "recorded_at": s.recorded_at,
        "version": s.version_after,
    }


def _job(j: queries.Job) -> dict:
    r = j.row
    return {
        "id": r.id,
        "number": r.number,
        "type": r.type,
        "status": r.status,
        "status_label": r.status_name,
        "description": r.description,
        "customer": r.customer,
        "object_address": r.object_address,
        "contact_name": r.contact_name,
        "contact_phone": r.contact_phone,
        "urgent": r.urgent,
        "required_end": r.required_end,
        "version": r.version,
        "appointment": _appointment(j.appointment),
        "tel": j.tel,
        "map_url": j.map_url,
    }


@router.get("/today", response=list[JobOut], summary="The technician's jobs of a day, in appointment order")
def today(request, day: Day | None = None):
    require_perm(request.user, USE_APP)
    return [_job(j) for j in queries.today_jobs(request.user, day or timezone.localdate())]


@router.get("/jobs/{notification_id}", response=JobDetailOut, summary="One job with items and steps")
def get_job(request, notification_id: int):
    require_perm(request.user, USE_APP)
    n = access_notification(request.user, notification_id)
    j = queries.job(request.user, n)
    return {
        **_job(j),
        "long_text": j.long_text,
        "items": [
            {
                "position": i.position,
                "product_type": str(i.product_type or ""),
                "material": str(i.material or ""),
                "quantity": f"{i.quantity.normalize():f}",
                "reason_text": i.reason_text,
            }
            for i in j.items
        ],
        "steps": [_step(s) for s in j.steps],
    }


@router.post(
    "/jobs/{notification_id}/steps",
    response={201: StepOut, 200: StepOut},
    summary="Record a step (sync from the phone; 409 when the job changed since base_version)",
)
def post_step(request, notification_id: int, payload: StepIn):
    require_perm(request.user, USE_APP)
    n = access_notification(request.user, notification_id)
    data = payload.dict()
    step = services.record_step(
        actor=request.user,
        notification=n,
        kind=data.pop("kind"),
        client_id=data.pop("client_id"),
        base_version=data.pop("base_version"),
        recorded_at=data.pop("recorded_at"),
        data={k: v for k, v in data.items() if v is not None},
    )
    return Status(200 if getattr(step, "replayed", False) else 201, _step(step))


@router.put(
    "/jobs/{notification_id}/appointment",
    response=AppointmentOut,
    summary="Set the agreed visit window (409 when the appointment changed since version)",
)
def put_appointment(request, notification_id: int, payload: AppointmentIn):
    require_perm(request.user, "field.change_appointment")
    n = access_notification(request.user, notification_id)
    a = services.set_appointment(
        actor=request.user,
        notification=n,
        date=payload.date,
        slot=payload.slot,
        note=payload.note,
        expected_version=payload.version,
        notify_customer=payload.notify_customer,
    )
    return _appointment(a)


class ProposalOut(Schema):
    technician: str
    technician_id: int
    score: float
    reasons: list[str]


class BoardLineOut(Schema):
    id: int
    number: str
    description: str
    customer: str
    responsible: str
    urgent: bool
    appointment: AppointmentOut | None
    district: str
    proposals: list[ProposalOut]


class TechnicianOut(Schema):
    id: int
    name: str
    capacity: int
    load: int
    skills: list[str]
    district: str


class BoardOut(Schema):
    work_centre: str
    day: dt.date
    lines: list[BoardLineOut]
    technicians: list[TechnicianOut]


class DispatchIn(InputSchema):
    notification: int
    technician: int
    day: dt.date
    slot: str = Field(..., description=" / ".join(Slot.values))


def _centre(user, code: str):
    from kefu.core.errors import ValidationFailed
    from kefu.org.scope import usable_work_centres

    centre = usable_work_centres(user).filter(code=(code or "").strip()).first()
    if centre is None:
        raise ValidationFailed(fields={"work_centre": [_("Unknown work centre.")]})
    return centre


@router.get("/dispatch", response=BoardOut, summary="Dispatch board of a work centre and day, with proposals")
def get_board(request, work_centre: str, day: Day | None = None):
    require_perm(request.user, "tickets.assign_notification")
    centre = _centre(request.user, work_centre)
    day = day or timezone.localdate()
    lines, technicians = queries.dispatch_board(request.user, centre, day)
    return {
        "work_centre": centre.code,
        "day": day,
        "lines": [
            {
                "id": line.row.id,
                "number": line.row.number,
                "description": line.row.description,
                "customer": line.row.customer,
                "responsible": line.row.responsible,
                "urgent": line.row.urgent,
                "appointment": _appointment(line.appointment),
                "district": line.district,
                "proposals": [
                    {
                        "technician": str(p.technician.staff),
                        "technician_id": p.technician.staff.pk,
                        "score": p.score,
                        "reasons": p.reasons,
                    }
                    for p in line.proposals
                ],
            }
            for line in lines
        ],
        "technicians": [
            {
                "id": t.staff.pk,
                "name": str(t.staff),
                "capacity": t.capacity,
                "load": t.load,
                "skills": t.skill_names,
                "district": t.district,
            }
            for t in technicians
        ],
    }


@router.post("/dispatch/assign", response=AppointmentOut, summary="Dispatch one notification to a technician")
def post_dispatch(request, payload: DispatchIn):
    from kefu.org.models import Staff

    require_perm(request.user, "tickets.assign_notification")
    n = access_notification(request.user, payload.notification)
    technician = Staff.objects.filter(pk=payload.technician).first()
    a = services.dispatch(
        actor=request.user, notification=n, technician=technician, day=payload.day, slot=payload.slot
    )
    return _appointment(a)
