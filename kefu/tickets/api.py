"""Notification API at /api/v1/notifications/: the same services, scope and rules as the UI.

Codes, not ids, name related records (customer 2110050007, work centre S4002, person 202),
as users of SAP CS know them. A create retried with the same `Idempotency-Key` header makes
one notification; a partial update carries the `version` it read and gets 409 if stale.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from kefu.api.pagination import LIMIT, OFFSET, Page, page
from kefu.api.schemas import InputSchema
from kefu.core.errors import ValidationFailed
from kefu.core.scoping import require_perm
from kefu.tickets import queries, services
from kefu.tickets.models import Item, NotificationType

router = Router(tags=["notifications"])
VIEW = "tickets.view_notification"  # every read needs it, as the pages do


class ItemIn(InputSchema):
    product_type: str | None = None
    colour: str | None = None
    material: str | None = None
    quantity: Decimal | None = Decimal(1)
    reason: str | None = None
    reason_text: str | None = ""


class ItemOut(Schema):
    id: int
    position: int
    product_type: str | None
    colour: str | None
    material: str | None
    quantity: Decimal
    reason: str | None
    reason_text: str


class HeaderIn(InputSchema):
    description: str | None = Field(None, max_length=100)
    reference_notification: str | None = None
    customer: str | None = None
    sold_to: str | None = None
    reporter: str | None = Field(None, max_length=50)
    reference_document: str | None = Field(None, max_length=20)
    reference_date: dt.date | None = None
    notification_date: dt.date | None = None
    required_start: dt.date | None = None
    required_end: dt.date | None = None
    work_centre: str | None = None
    responsible: str | None = None
    sales_organization: str | None = None
    distribution_channel: str | None = None
    division: str | None = None
    sales_office: str | None = None
    sales_group: str | None = None
    business_area: str | None = None
    functional_location: str | None = Field(None, max_length=30)
    object_address: str | None = Field(None, max_length=200)
    contact_name: str | None = Field(None, max_length=50)
    contact_phone: str | None = Field(None, max_length=30)
    priority: str | None = None
    urgent: bool | None = None
    payment_status: str | None = None


class NotificationIn(HeaderIn):
    type: str | None = None
    customer: str
    description: str = Field(..., max_length=100)
    long_text: str = ""
    items: list[ItemIn] = []


class NotificationPatch(HeaderIn):
    version: int


class TransitionIn(InputSchema):
    to: str
    version: int | None = None
    inputs: dict[str, str] = {}


class TextIn(InputSchema):
    text: str


class MailIn(InputSchema):
    department: str | None = None
    to: list[str] = []
    note: str = ""


class RowOut(Schema):
    id: int
    number: str
    type: str
    status: str
    status_label: str = Field(validation_alias="status_name")
    stage: str
    stage_label: str
    description: str
    customer: str
    customer_number: str
    object_address: str
    contact_name: str
    contact_phone: str
    work_centre: str
    responsible: str
    sales_office: str
    priority: str
    priority_label: str
    urgent: bool
    overdue: bool
    required_start: dt.date | None
    required_end: dt.date | None
    created_at: dt.datetime
    reference_document: str
    payment_status: str
    payment_status_label: str
    version: int
    # Service clocks (kefu.tickets.clocks), counted in working time on the work calendar.
    response_due: dt.datetime | None = Field(None, description="First reaction due (working time).")
    responded_at: dt.datetime | None = Field(
        None, description="First reaction: the status left the initial one, or a visit was agreed or started."
    )
    resolution_due: dt.datetime | None = Field(None, description="Completion due (working time).")
    resolved_at: dt.datetime | None = Field(None, description="Reached the completed stage.")
    clock_kind: str = Field("", description="The running clock: response, resolution, or empty once stopped.")
    clock_due: dt.datetime | None = Field(None, description="When the running clock is due.")
    clock_state: str = Field(
        "",
        description="late, near (amber: little left), ok; met or breached once resolved; empty: no clock.",
    )
    time_left_minutes: int | None = Field(
        None, description="Working minutes left on the running clock (negative: overdue)."
    )
    time_left: str = Field("", description="The time left as the page shows it, in the request's language.")
    clock_calendar: int | None = Field(
        None,
        description="The work calendar (id) the clocks count on, fixed at their start; empty: the default.",
    )

    @staticmethod
    def _clock(obj):
        return obj.get("clock") if isinstance(obj, dict) else getattr(obj, "clock", None)

    @staticmethod
    def resolve_clock_kind(obj) -> str:
        c = RowOut._clock(obj)
        return c.kind if c else ""

    @staticmethod
    def resolve_clock_due(obj):
        c = RowOut._clock(obj)
        return c.due if c and c.left_seconds is not None else None

    @staticmethod
    def resolve_clock_state(obj) -> str:
        c = RowOut._clock(obj)
        return c.state if c else ""

    @staticmethod
    def resolve_time_left_minutes(obj):
        c = RowOut._clock(obj)
        if c is None or c.left_seconds is None:
            return None
        return -((-c.left_seconds) // 60) if c.left_seconds >= 0 else c.left_seconds // 60

    @staticmethod
    def resolve_time_left(obj) -> str:
        c = RowOut._clock(obj)
        return c.text if c else ""


class TargetOut(Schema):
    type: str | None = Field(None, description="Notification type code; empty: any.")
    priority: str = Field("", description="Priority 1–4; empty: any.")
    customer_tier: str = Field("", description="Pyramid tier (key, major, ordinary, small); empty: any.")
    response_minutes: int
    resolution_minutes: int
    warn_percent: int
    manager_after_minutes: int
    calendar: int | None = Field(
        None, description="The work calendar (id) the minutes count on; empty: the default."
    )


class TextOut(Schema):
    id: int
    author: str
    created_at: dt.datetime
    text: str


class TransitionOut(Schema):
    to: str
    name: str
    required_fields: list[str]
    approval: bool


class DetailOut(RowOut):
    long_text: str
    reporter: str
    reference_date: dt.date | None
    notification_date: dt.date
    sales_area: str
    sales_group: str | None
    business_area: str | None
    functional_location: str
    reference_notification: str | None
    sold_to: str | None
    items: list[ItemOut]
    texts: list[TextOut]
    transitions: list[TransitionOut]


class TypeOut(Schema):
    code: str
    name: str
    profile: str
    proposed_for: list[str]


def _item(i: Item) -> dict:
    return {
        "id": i.pk,
        "position": i.position,
        "product_type": i.product_type.code if i.product_type_id else None,
        "colour": i.colour.code if i.colour_id else None,
        "material": i.material.code if i.material_id else None,
        "quantity": i.quantity,
        "reason": i.reason.code if i.reason_id else None,
        "reason_text": i.reason_text,
    }


def _detail(request, n) -> dict:
    ctx = queries.detail_context(n, request.user, full=False)
    row = ctx["row"].__dict__
    return {
        **row,
        "long_text": n.long_text,
        "reporter": n.reporter,
        "reference_date": n.reference_date,
        "notification_date": n.notification_date,
        "sales_area": f"{n.sales_organization.code}/{n.distribution_channel.code}/{n.division.code}",
        "sales_group": n.sales_group.code if n.sales_group_id else None,
        "business_area": n.business_area.code if n.business_area_id else None,
        "functional_location": n.functional_location,
        "reference_notification": n.reference_notification.number if n.reference_notification_id else None,
        "sold_to": n.sold_to.number if n.sold_to_id else None,
        "items": [_item(i) for i in ctx["items"]],
        "texts": [
            {"id": e.pk, "author": e.author_name, "created_at": e.created_at, "text": e.text}
            for e in ctx["entries"]
        ],
        "transitions": [
            {
                "to": t.to_status.code,
                "name": t.display_name,
                "required_fields": t.required_fields or [],
                "approval": t.is_approval,
            }
            for t in ctx["transitions"]
        ],
    }


def _resolve(user, data: dict) -> dict:
    """Codes → records, each unknown code reported on its own field."""
    from kefu.org import models as org
    from kefu.tickets.models import Notification

    def customer(number: str):
        """By number within the user's scope (prepared once per scope)."""
        return queries.customer_by_number(user, number)

    def active_type(code: str):
        return next((t for t in services.active_types() if t.code == code), None)

    # code → record finders, built only for the fields sent: scoping a queryset costs more than running it.
    finders = {
        "customer": customer,
        "sold_to": customer,
        "work_centre": lambda v: org.WorkCentre.objects.select_related("sales_office").filter(code=v).first(),
        "responsible": lambda v: org.Staff.objects.filter(is_active=True, personnel_number=v).first(),
        "sales_organization": lambda v: org.SalesOrganization.objects.filter(code=v).first(),
        "distribution_channel": lambda v: org.DistributionChannel.objects.filter(code=v).first(),
        "division": lambda v: org.Division.objects.filter(code=v).first(),
        "sales_office": lambda v: org.SalesOffice.objects.filter(code=v).first(),
        "sales_group": lambda v: org.SalesGroup.objects.filter(code=v).first(),
        "business_area": lambda v: org.BusinessArea.objects.filter(code=v).first(),
        "reference_notification": lambda v: Notification.objects.visible_to(user).filter(number=v).first(),
        "type": active_type,  # buffered customizing data
    }
    errors, out = {}, {}
    for name, value in data.items():
        if name not in finders:
            out[name] = value
        elif value in (None, ""):
            out[name] = None
        else:
            out[name] = finders[name](str(value).strip())
            if out[name] is None:
                errors[name] = [_("Unknown code %(code)s.") % {"code": value}]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    return out


# --- 跨部门协作 cross-department disputes (seed 004) -------------------------------------------
class DisputeIn(InputSchema):
    requesting_department: str = Field(description="Code of the department leading the service")
    other_departments: list[str] = Field(description="Codes of the departments in disagreement")
    issue: str
    positions: str
    supervising_department: str | None = None


class DisputeOut(Schema):
    id: int
    notification: str
    status: str
    status_label: str
    requesting_department: str
    other_departments: list[str]
    issue: str
    positions: str
    ruling: str
    responsible_department: str | None
    responsible: str | None
    ruled_at: dt.datetime | None
    version: int


def _dispute_out(d) -> dict:
    return {
        "id": d.pk,
        "notification": d.notification.number,
        "status": d.status.code,
        "status_label": d.status.display_name,
        "requesting_department": d.requesting_department.code,
        "other_departments": sorted(x.code for x in d.other_departments.all()),
        "issue": d.issue,
        "positions": d.positions,
        "ruling": d.ruling,
        "responsible_department": d.responsible_department.code if d.responsible_department else None,
        "responsible": d.responsible.personnel_number if d.responsible else None,
        "ruled_at": d.ruled_at,
        "version": d.version,
    }


def _departments(codes: list[str], field: str) -> list:
    from kefu.org.models import Department

    found = {d.code: d for d in Department.objects.filter(code__in=codes, is_active=True)}
    missing = [c for c in codes if c not in found]
    if missing:
        message = _("Unknown department: %(codes)s") % {"codes": ", ".join(missing)}
        raise ValidationFailed(message, fields={field: [message]})
    return [found[c] for c in codes]


@router.get("/disputes", response=Page[DisputeOut], summary="Disagreements between departments (跨部门协作)")
def list_disputes(request, open: bool | None = None, limit: int = LIMIT, offset: int = OFFSET):
    require_perm(request.user, "tickets.view_dispute")
    qs = queries.disputes_for(request.user, open_only=bool(open))
    return page(qs, limit=limit, offset=offset, present=lambda rows: [_dispute_out(d) for d in rows])


@router.get("/types", response=list[TypeOut], summary="Notification types")
def list_types(request):
    require_perm(request.user, VIEW)
    return [
        {
            "code": t.code,
            "name": t.display_name,
            "profile": t.profile.code,
            "proposed_for": t.payment_statuses,
        }
        for t in NotificationType.objects.filter(is_active=True).select_related("profile")
    ]


@router.get(
    "/service-targets",
    response=list[TargetOut],
    summary="Service targets: response and resolution in working minutes per type, priority and tier",
)
def list_service_targets(request):
    require_perm(request.user, VIEW)
    from kefu.tickets.clocks import targets

    codes = queries._codes()["type"]
    return [
        {
            "type": codes.get(t.type_id) if t.type_id else None,
            "priority": t.priority,
            "customer_tier": t.customer_tier,
            "response_minutes": t.response_minutes,
            "resolution_minutes": t.resolution_minutes,
            "warn_percent": t.warn_percent,
            "manager_after_minutes": t.manager_after_minutes,
            "calendar": t.calendar_id,
        }
        for t in targets()
    ]


@router.get("", response=Page[RowOut], summary="Worklist (IW59) with the worklist's selections")
def list_notifications(
    request,
    limit: int = LIMIT,
    offset: int = OFFSET,
    clock: str = Query(
        "",
        description="Service clock: `late` (due passed) or `today` (due by midnight); most overdue first.",
    ),
    sort: str = Query("", description="`due`: running clocks by time left, least first."),
):
    require_perm(request.user, VIEW)
    qs = queries.worklist(request.user, request.GET)
    return page(
        qs,
        limit=limit,
        offset=offset,
        present=list,
        fetch=queries.row_fetch(request.GET, request.user),
    )


@router.post("", response={201: DetailOut, 200: DetailOut}, summary="Create a notification (IW51)")
def create_notification(request, payload: NotificationIn):
    data = payload.dict()
    items = list(data.pop("items") or [])
    long_text = data.pop("long_text") or ""
    key = request.headers.get("Idempotency-Key", "").strip()[:100]
    resolved = _resolve(request.user, {k: v for k, v in data.items() if v is not None})
    n = services.create_notification(
        actor=request.user, long_text=long_text, items=items, idempotency_key=key, **resolved
    )
    replay = getattr(n, "replayed", False)
    if replay:  # made by an earlier call of this user: read it with its relations
        n = services.notification_with_relations().get(pk=n.pk)
    return Status(200 if replay else 201, _detail(request, n))


@router.get("/{notification_id}", response=DetailOut, summary="One notification")
def get_notification(request, notification_id: int):
    require_perm(request.user, VIEW)
    return _detail(request, services.access_notification(request.user, notification_id))


@router.patch("/{notification_id}", response=DetailOut, summary="Change a notification (IW52)")
def patch_notification(request, notification_id: int, payload: NotificationPatch):
    n = services.access_notification(request.user, notification_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    services.update_notification(
        actor=request.user, notification=n, expected_version=version, **_resolve(request.user, data)
    )
    return _detail(request, services.access_notification(request.user, notification_id))


@router.post("/{notification_id}/transitions", response=DetailOut, summary="Change the user status")
def post_transition(request, notification_id: int, payload: TransitionIn):
    n = services.access_notification(request.user, notification_id)
    services.change_status(
        actor=request.user,
        notification=n,
        to=payload.to,
        inputs=payload.inputs,
        expected_version=payload.version,
    )
    return _detail(request, services.access_notification(request.user, notification_id))


@router.get("/{notification_id}/items", response=list[ItemOut], summary="Items")
def list_items(request, notification_id: int):
    require_perm(request.user, VIEW)
    n = services.access_notification(request.user, notification_id)
    return [_item(i) for i in n.items.select_related("product_type", "colour", "material", "reason")]


@router.post("/{notification_id}/items", response={201: ItemOut}, summary="Add an item")
def add_item(request, notification_id: int, payload: ItemIn):
    n = services.access_notification(request.user, notification_id)
    return Status(201, _item(services.add_item(actor=request.user, notification=n, **payload.dict())))


@router.patch("/{notification_id}/items/{item_id}", response=ItemOut, summary="Change an item")
def patch_item(request, notification_id: int, item_id: int, payload: ItemIn):
    from kefu.core.errors import NotFound

    n = services.access_notification(request.user, notification_id)
    item = n.items.filter(pk=item_id).first()
    if item is None:
        raise NotFound()
    return _item(services.update_item(actor=request.user, item=item, **payload.dict(exclude_unset=True)))


@router.delete("/{notification_id}/items/{item_id}", response={204: None}, summary="Remove an item")
def delete_item(request, notification_id: int, item_id: int):
    from kefu.core.errors import NotFound

    n = services.access_notification(request.user, notification_id)
    item = n.items.filter(pk=item_id).first()
    if item is None:
        raise NotFound()
    services.remove_item(actor=request.user, item=item)
    return Status(204, None)


@router.get("/{notification_id}/texts", response=list[TextOut], summary="Long-text entries")
def list_texts(request, notification_id: int):
    require_perm(request.user, VIEW)
    n = services.access_notification(request.user, notification_id)
    return [
        {"id": e.pk, "author": e.author_name, "created_at": e.created_at, "text": e.text}
        for e in n.text_entries.order_by("created_at", "id")
    ]


@router.post("/{notification_id}/texts", response={201: TextOut}, summary="Append to the long text")
def add_text(request, notification_id: int, payload: TextIn):
    n = services.access_notification(request.user, notification_id)
    e = services.add_text(actor=request.user, notification=n, text=payload.text)
    return Status(201, {"id": e.pk, "author": e.author_name, "created_at": e.created_at, "text": e.text})


@router.post("/{notification_id}/mail", response={202: dict}, summary="Mail to a department (SBWP)")
def mail(request, notification_id: int, payload: MailIn):
    from kefu.org.models import Department

    n = services.access_notification(request.user, notification_id)
    department = None
    if payload.department:
        department = Department.objects.filter(code=payload.department, is_active=True).first()
        if department is None:
            raise ValidationFailed(
                fields={"department": [_("Unknown code %(code)s.") % {"code": payload.department}]}
            )
    sent = services.mail_to_department(
        actor=request.user, notification=n, department=department, to=payload.to, note=payload.note
    )
    return Status(202, {"id": sent.pk, "status": sent.status})


@router.post(
    "/{notification_id}/disputes", response={201: DisputeOut}, summary="Submit a disagreement to the office"
)
def post_dispute(request, notification_id: int, payload: DisputeIn):
    n = services.access_notification(request.user, notification_id)
    dispute = services.submit_dispute(
        actor=request.user,
        notification=n,
        requesting_department=_departments([payload.requesting_department], "requesting_department")[0],
        other_departments=_departments(payload.other_departments, "other_departments"),
        issue=payload.issue,
        positions=payload.positions,
        supervising_department=_departments([payload.supervising_department], "supervising_department")[0]
        if payload.supervising_department
        else None,
    )
    return Status(201, _dispute_out(dispute))


@router.post(
    "/disputes/{dispute_id}/transitions",
    response=DisputeOut,
    summary="The office rules (or the desk withdraws)",
)
def post_dispute_transition(request, dispute_id: int, payload: TransitionIn):
    from kefu.core.scoping import access
    from kefu.tickets.models import Dispute

    dispute = access(Dispute, request.user, dispute_id)
    services.rule_dispute(
        actor=request.user,
        dispute=dispute,
        to=payload.to,
        inputs=payload.inputs,
        expected_version=payload.version,
    )
    return _dispute_out(Dispute.objects.get(pk=dispute.pk))
