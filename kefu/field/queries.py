"""Read side of field service: the technician's day, one job, appointments for lists."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import quote

from django.db.models import Q

from kefu.field.choices import SLOT_ORDER, Slot
from kefu.field.models import Appointment, FieldStep
from kefu.tickets.models import Notification
from kefu.workflow.choices import Stage

MAX_JOBS = 60


@dataclass
class Job:
    """One notification as the technician's app shows it (personal data by the need-to-know rule)."""

    row: object  # kefu.tickets.queries.Row
    appointment: Appointment | None
    items: list = field(default_factory=list)
    steps: list = field(default_factory=list)
    attachments: list = field(default_factory=list)
    long_text: str = ""

    @property
    def map_url(self) -> str:
        # Opens the phone's map app with the address; nothing is called at run time by Kefu.
        address = getattr(self.row, "object_address", "")
        return (
            f"https://uri.amap.com/search?keyword={quote(address)}" if address and "*" not in address else ""
        )

    @property
    def tel(self) -> str:
        phone = getattr(self.row, "contact_phone", "")
        return "".join(ch for ch in phone if ch.isdigit() or ch == "+") if "*" not in phone else ""

    @property
    def done_kinds(self) -> set[str]:
        return {s.kind for s in self.steps}


def appointments_for(notification_ids) -> dict[int, Appointment]:
    ids = list(notification_ids)
    if not ids:
        return {}
    return {a.notification_id: a for a in Appointment.objects.filter(notification_id__in=ids)}


def appointment_card(notification, user, *, exists: bool = True) -> dict:
    """The appointment card of the notification page (the desk side of field service): the first
    appointment (prepared once; no query when the page already knows there is none), the slots
    and whether this user may set it."""
    from kefu.core import prepared

    found = (
        prepared.fetch(
            "field.appointment_card",
            lambda pk: Appointment.objects.filter(notification_id=pk).order_by("id")[:1],
            pk=notification.pk,
        )
        if exists
        else []
    )
    return {
        "appointment": found[0] if found else None,
        "slots": Slot.choices,
        "can_set_appointment": user.has_perm("field.change_appointment"),
    }


def _base(user):
    from kefu.field.services import staff_of

    staff = staff_of(user)
    if staff is None:
        return None
    return (
        Notification.objects.visible_to(user)
        .filter(responsible=staff, stage__in=Stage.open_values())
        .select_related("customer", "responsible")
        .with_code_tables("type", "status", "work_centre", "sales_office")
    )


def today_jobs(user, day: dt.date) -> list[Job]:
    """His open work for `day` in appointment order (morning, afternoon, evening), then his open
    work without an appointment (urgent first, earliest required start first)."""
    from kefu.tickets.queries import present_for_work

    base = _base(user)
    if base is None:
        return []
    booked = list(base.filter(appointment__date=day)[:MAX_JOBS])
    loose = list(
        base.filter(Q(appointment__isnull=True)).order_by("-urgent", "required_start", "created_at", "id")[
            : MAX_JOBS - len(booked)
        ]
    )
    appointments = appointments_for(n.pk for n in booked)
    booked.sort(key=lambda n: (SLOT_ORDER.get(Slot(appointments[n.pk].slot), 9), not n.urgent, n.number))
    rows = present_for_work(booked + loose, user, where="field_app")
    return [Job(row=row, appointment=appointments.get(row.id)) for row in rows]


def job(user, notification: Notification) -> Job:
    """One job with its items, steps and attachments (the caller checked access)."""
    from kefu.tickets.queries import present_for_work

    row = present_for_work([notification], user, where="field_app")[0]
    items = list(
        notification.items.select_related("product_type", "colour", "material", "reason").order_by("position")
    )
    return Job(
        row=row,
        appointment=Appointment.objects.filter(notification=notification).first(),
        items=items,
        steps=list(FieldStep.objects.filter(notification=notification).select_related("attachment")),
        attachments=list(notification.attachments.order_by("-created_at")[:20]),
        long_text=notification.long_text,
    )


# --- dispatch 派工 ----------------------------------------------------------------------------

BOARD_LIMIT = 200


@dataclass
class Technician:
    staff: object
    capacity: int
    skills: set[int]  # product type ids (a category covers its sub-types)
    skill_names: list[str]
    district: str
    lat: float | None
    lng: float | None
    load: int = 0

    @property
    def free(self) -> int:
        return max(self.capacity - self.load, 0)


@dataclass
class Proposal:
    technician: Technician
    score: float
    reasons: list[str]


@dataclass
class BoardLine:
    row: object
    appointment: Appointment | None
    product_types: set[int]
    district: str
    lat: float | None
    lng: float | None
    proposals: list[Proposal] = field(default_factory=list)


def distance_km(a_lat, a_lng, b_lat, b_lng, a_district: str, b_district: str) -> float | None:
    """Great-circle distance when both have coordinates; otherwise from the district codes
    (same county 0, same city 10, same province 40, else 100 km); None when nothing is known."""
    import math

    if None not in (a_lat, a_lng, b_lat, b_lng):
        p1, p2 = math.radians(a_lat), math.radians(b_lat)
        dp, dl = p2 - p1, math.radians(b_lng - a_lng)
        h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
        return 6371.0 * 2 * math.asin(math.sqrt(h))
    if a_district and b_district:
        if a_district == b_district:
            return 0.0
        if a_district[:4] == b_district[:4]:
            return 10.0
        if a_district[:2] == b_district[:2]:
            return 40.0
        return 100.0
    return None


def rank(line: BoardLine, technicians: list[Technician], *, top: int | None = None) -> list[Proposal]:
    """Technicians for one notification, best first: skill match (50), free capacity (30) and
    distance (20), each with the reason shown to the dispatcher. With `top`, only the best `top`
    (the board shows three): the reasons, translated text, are written for those alone."""
    scored = []
    for tech in technicians:
        covered = (
            len(line.product_types & tech.skills) / len(line.product_types) if line.product_types else 1.0
        )
        free_share = tech.free / tech.capacity if tech.capacity else 0.0
        km = distance_km(tech.lat, tech.lng, line.lat, line.lng, tech.district, line.district)
        near = 0.5 if km is None else 1 - min(km, 50.0) / 50.0
        score = 50 * covered + 30 * free_share + 20 * near - (100 if tech.free == 0 else 0)
        scored.append((-round(score, 1), tech.staff.personnel_number, tech, covered, km))
    scored.sort(key=lambda s: (s[0], s[1]))
    return [
        Proposal(technician=tech, score=-neg, reasons=_reasons(line, tech, covered, km))
        for neg, _number, tech, covered, km in (scored[:top] if top is not None else scored)
    ]


def _reasons(line: BoardLine, tech: Technician, covered: float, km: float | None) -> list[str]:
    from django.utils.translation import gettext as _

    reasons = [
        _("skills %(pct)d%%") % {"pct": round(covered * 100)}
        if line.product_types
        else _("no product type given"),
        _("load %(load)d/%(cap)d") % {"load": tech.load, "cap": tech.capacity},
        _("distance unknown") if km is None else _("about %(km)d km") % {"km": round(km)},
    ]
    if tech.free == 0:
        reasons.append(_("fully booked"))
    return reasons


def technicians_of(work_centre, day: dt.date) -> list[Technician]:
    """The centre's technicians with their profile and their load on `day` (appointments)."""
    from django.db.models import Count

    from kefu.catalog.models import ProductType
    from kefu.field.models import TechnicianProfile
    from kefu.org.models import Staff

    staff = list(
        Staff.objects.filter(
            work_centres=work_centre,
            is_active=True,
            user__is_active=True,
            user__groups__role__code="technician",
        )
        .distinct()
        .order_by("personnel_number")
    )
    profiles = {
        p.staff_id: p for p in TechnicianProfile.objects.filter(staff__in=staff).prefetch_related("skills")
    }
    loads = dict(
        Appointment.objects.filter(date=day, notification__responsible__in=staff)
        .values_list("notification__responsible")
        .annotate(n=Count("pk"))
        .values_list("notification__responsible", "n")
    )
    children: dict[int, list[int]] = {}
    for pk, parent in ProductType.objects.filter(parent__isnull=False).values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    out = []
    for s in staff:
        p = profiles.get(s.pk)
        skills: set[int] = set()
        names: list[str] = []
        if p is not None:
            for t in p.skills.all():
                skills.add(t.pk)
                skills.update(children.get(t.pk, []))
                names.append(str(t))
        out.append(
            Technician(
                staff=s,
                capacity=p.daily_capacity if p else 6,
                skills=skills,
                skill_names=names,
                district=p.district if p else "",
                lat=float(p.latitude) if p and p.latitude is not None else None,
                lng=float(p.longitude) if p and p.longitude is not None else None,
                load=loads.get(s.pk, 0),
            )
        )
    return out


def dispatch_board(user, work_centre, day: dt.date) -> tuple[list[BoardLine], list[Technician]]:
    """Open notifications of the centre without a person responsible or without an appointment,
    each with its ranked proposals, beside the centre's technicians."""
    from kefu.customers.models import ServiceAddress
    from kefu.tickets.models import Item
    from kefu.tickets.queries import present_rows

    rows = list(
        Notification.objects.visible_to(user)
        .filter(work_centre=work_centre, stage__in=Stage.open_values())
        .filter(Q(responsible__isnull=True) | Q(appointment__isnull=True))
        .select_related("customer", "responsible")
        .with_code_tables("type", "status", "work_centre", "sales_office")
        .order_by("-urgent", "required_start", "created_at", "id")[:BOARD_LIMIT]
    )
    ids = [n.pk for n in rows]
    appointments = appointments_for(ids)
    types: dict[int, set[int]] = {}
    for nid, pt in Item.objects.filter(notification_id__in=ids, product_type__isnull=False).values_list(
        "notification_id", "product_type_id"
    ):
        types.setdefault(nid, set()).add(pt)
    places: dict[int, list] = {}
    for a in (
        ServiceAddress.objects.filter(customer_id__in={n.customer_id for n in rows})
        .select_related("location")
        .order_by("-is_default", "pk")
    ):
        places.setdefault(a.customer_id, []).append(a)
    technicians = technicians_of(work_centre, day)
    lines = []
    for n, row in zip(rows, present_rows(rows, user), strict=True):
        candidates = places.get(n.customer_id, [])
        chosen = next((a for a in candidates if a.address == n.object_address), None) or (
            candidates[0] if candidates else None
        )
        loc = getattr(chosen, "location", None) if chosen is not None else None
        line = BoardLine(
            row=row,
            appointment=appointments.get(n.pk),
            product_types=types.get(n.pk, set()),
            district=loc.district if loc else "",
            lat=float(loc.latitude) if loc and loc.latitude is not None else None,
            lng=float(loc.longitude) if loc and loc.longitude is not None else None,
        )
        line.proposals = rank(line, technicians, top=3)
        lines.append(line)
    return lines, technicians


# --- the printed service form 家具服务单 / 客户服务验收确认 ----------------------------------------
@dataclass
class ServiceForm:
    """What the A4 service form shows; personal data by the one masking rule (`unmasked`)."""

    row: object  # kefu.tickets.queries.Row, masked unless the viewer may see it
    unmasked: bool
    company: str
    items: list
    reports: list  # billing.ServiceReport with materials_shown
    appointment: Appointment | None
    signer: str
    signed_at: dt.datetime | None
    signature: str  # a data: URL of the drawn signature ("" when not signed, or for masked roles:
    # a handwritten signature is personal data; the signer's name is shown like the contact's)
    rating_url: str
    rating_qr: str  # inline SVG of the rating link
    rated: bool
    long_text: str
    printed_at: dt.datetime


def service_form(user, notification: Notification) -> ServiceForm:
    """The service form of one notification the caller may see (it checked access): header with
    the company, number, customer, object address and phone (masked for roles that may not see
    them, unmasked and logged for the technician responsible), items, the service reports with
    their materials, the customer's drawn signature with signer and time, and the QR code of the
    post-service rating link (issued at the acceptance signature or the closing mail)."""
    import base64

    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from kefu.billing.queries import reports_for
    from kefu.core.qr import qr_svg
    from kefu.field.choices import StepKind
    from kefu.surveys.models import Rating
    from kefu.surveys.services import rating_url
    from kefu.tickets.queries import assigned_work_ids, can_see_personal_data, present_for_work

    n = notification
    unmasked = can_see_personal_data(user) or n.pk in assigned_work_ids(user, [n])
    row = present_for_work([n], user, where="service_form")[0]
    reports = reports_for([n.pk]).get(n.pk, [])
    sign = (
        FieldStep.objects.filter(notification=n, kind=StepKind.SIGN)
        .select_related("attachment")
        .order_by("-recorded_at", "-pk")
        .first()
    )
    signer, signed_at, signature = "", None, ""
    if sign is not None:
        signer, signed_at = str(sign.data.get("signer") or ""), sign.recorded_at
        if unmasked and sign.attachment is not None:
            try:
                with sign.attachment.file.open("rb") as handle:
                    raw = handle.read()
            except (FileNotFoundError, OSError):  # the record outlived its file
                raw = b""
            if raw:
                kind = sign.attachment.content_type or "image/png"
                signature = f"data:{kind};base64,{base64.b64encode(raw).decode()}"
    elif reports:
        signer, signed_at = reports[-1].accepted_by_customer, reports[-1].accepted_at
    ct = ContentType.objects.get_for_model(Notification)
    rating = Rating.objects.filter(content_type=ct, object_id=n.pk).first()
    url, qr, rated = "", "", False
    if rating is not None:
        rated = rating.rated_at is not None
        if not rated and rating.expires_at > timezone.now():
            url = rating_url(rating)
            qr = qr_svg(url, scale=3)
    sales_office = n.sales_office
    organisation = getattr(sales_office, "sales_organization", None) if sales_office else None
    return ServiceForm(
        row=row,
        unmasked=unmasked,
        company=organisation.name if organisation else "",
        items=list(
            n.items.select_related("product_type", "colour", "material", "reason").order_by("position")
        ),
        reports=reports,
        appointment=Appointment.objects.filter(notification=n).first(),
        signer=signer,
        signed_at=signed_at,
        signature=signature,
        rating_url=url,
        rating_qr=qr,
        rated=rated,
        long_text=n.long_text,
        printed_at=timezone.now(),
    )
