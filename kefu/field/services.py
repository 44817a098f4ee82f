"""Every write of field service: appointments 预约 and the technician's steps on site.

A step recorded on the phone (maybe offline) carries the notification version the technician saw
(`base_version`) and an id the phone made (`client_id`). The sync refuses a step made on an old
version with a 409 (core.concurrency), so a change someone else saved meanwhile is shown to the
technician instead of being overwritten; a retried sync of the same step does nothing twice.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kefu.core.concurrency import save_versioned
from kefu.core.errors import PermissionDenied, ValidationFailed
from kefu.core.scoping import require_perm
from kefu.core.validation import check_text
from kefu.field import events
from kefu.field.choices import Slot, StepKind
from kefu.field.models import Appointment, FieldStep
from kefu.tickets.models import Notification
from kefu.tickets.services import note_response
from kefu.timeline.services import record
from kefu.workflow.choices import Stage

MAX_IMAGE_BYTES = 3 * 1024 * 1024  # the phone downscales photos to ~1280 px before upload
SURVEY_STATUS = "KCJS"


def staff_of(user):
    """The Staff record of a signed-in user, or None."""
    from kefu.org.models import Staff

    if not getattr(user, "is_authenticated", False):
        return None
    return Staff.objects.filter(user=user, is_active=True).first()


def is_own_work(user, notification: Notification) -> bool:
    staff = staff_of(user)
    return bool(staff and notification.responsible_id == staff.pk)


def _check_open(notification: Notification) -> None:
    if notification.stage == Stage.COMPLETED:
        raise ValidationFailed(_("A completed notification cannot be changed."), code="completed")


def set_appointment(
    *,
    actor,
    notification: Notification,
    date: dt.date | None,
    slot: str,
    note: str = "",
    expected_version: int | None = None,
    notify_customer: bool = False,
) -> Appointment:
    """Agree a visit window with the customer. The assistant sets it for any notification she may
    assign; a technician only for his own work. A stale `expected_version` (of the appointment)
    is refused with 409. With `notify_customer`, a new or changed window is mailed to the
    customer's contact (stored with the change, sent by the mail task after commit)."""
    require_perm(actor, "field.change_appointment")
    if not actor.has_perm("tickets.assign_notification") and not is_own_work(actor, notification):
        raise PermissionDenied(_("You may only make appointments for your own work."))
    _check_open(notification)
    errors: dict[str, list[str]] = {}
    if date is None:
        errors["date"] = [_("This field is required.")]
    elif date < timezone.localdate() - dt.timedelta(days=30):
        errors["date"] = [_("The visit date is too far in the past.")]
    if slot not in Slot.values:
        errors["slot"] = [_("Choose a time slot.")]
    note = (note or "").strip()
    if len(note) > 200:
        errors["note"] = [_("Too long.")]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    check_text(note=note)
    assert date is not None
    recipient = appointment_recipient(notification) if notify_customer else None
    if notify_customer and not recipient:
        raise ValidationFailed(fields={"notify_customer": [_("The customer has no e-mail address to tell.")]})
    with transaction.atomic():
        current = Appointment.objects.select_for_update().filter(notification=notification).first()
        if current is None:
            try:
                with transaction.atomic():
                    appointment = Appointment.objects.create(
                        notification=notification, date=date, slot=slot, note=note, set_by=actor
                    )
            except IntegrityError:  # someone made one in between
                from kefu.core.errors import ConcurrentUpdate

                raise ConcurrentUpdate() from None
        else:
            if (current.date, current.slot, current.note) == (date, slot, note):
                return current
            current.date, current.slot, current.note, current.set_by = date, slot, note, actor
            save_versioned(
                current, expected_version=expected_version, update_fields=["date", "slot", "note", "set_by"]
            )
            appointment = current
        record(
            notification,
            events.APPOINTED.code,
            actor=actor,
            data={"date": date, "slot": slot, "slot_label": str(Slot(slot).label), "note": note},
        )
        if recipient:
            mail_appointment(actor=actor, notification=notification, appointment=appointment, to=recipient)
        note_response(actor=actor, notification=notification, how="appointment")  # the response clock
    return appointment


APPOINTMENT_TEMPLATE = "appointment"  # the reply template (house text) of the appointment mail


def appointment_recipient(notification: Notification):
    """Whom an appointment mail goes to: the notification's contact person, when the customer
    keeps that contact with an e-mail address; else the primary contact's; else the customer's
    own address. Returns (address, contact or None), or None when there is no address."""
    customer = notification.customer
    contacts = list(customer.contacts.exclude(email="").order_by("-is_primary", "id"))
    named = [c for c in contacts if notification.contact_name and c.name == notification.contact_name]
    contact = next(iter(named or contacts), None)
    if contact is not None:
        return contact.email, contact
    return (customer.email, None) if customer.email else None


def mail_appointment(*, actor, notification: Notification, appointment: Appointment, to) -> None:
    """The appointment mail 预约通知 in the house style: the reply template named "appointment"
    when an administrator wrote one (placeholders of channels' templates plus {appointment} and
    {note}), otherwise the default text. It goes to the customer's own contact and carries the
    visit window, the number and the description only: no address, phone or other person's data."""
    from django.utils.translation import override

    from kefu.channels.models import ReplyTemplate
    from kefu.channels.services import send_mail
    from kefu.channels.services.mailin import placeholders, render

    address, contact = to
    template = ReplyTemplate.objects.filter(name=APPOINTMENT_TEMPLATE, is_active=True).first()
    with override("zh-hans"):
        values = placeholders(notification, contact=contact, actor=actor)
        if contact is None and notification.contact_name:
            values["contact"] = notification.contact_name
            values["salutation"] = _("Dear %(name)s") % {"name": notification.contact_name}
        values["appointment"] = f"{appointment.date:%Y-%m-%d} {Slot(appointment.slot).label}"
        values["note"] = appointment.note
        subject = render(template.subject if template else _(DEFAULT_SUBJECT), values)
        body = render(template.body if template else _(DEFAULT_BODY), values)
    number = values["number"]
    if f"[{number}]" not in subject:
        subject = f"[{number}] {subject}"
    send_mail(actor=actor, target=notification, to=[address], subject=subject[:200], body=body)


DEFAULT_SUBJECT = gettext_noop("Your service appointment: {appointment}")
DEFAULT_BODY = gettext_noop(
    "{salutation},\n\n"
    "we have arranged the on-site service for your {kind} {number} ({subject}):\n"
    "{appointment}\n{note}\n\n"
    "If this time does not suit you, please reply to this mail or call our service hotline.\n\n"
    "{signature}\n(This mail was sent automatically.)"
)


def _decode_image(data_url: str, field: str) -> tuple[bytes, str]:
    """A `data:image/png;base64,...` or JPEG data URL from the phone's canvas → bytes and extension."""
    head, _sep, body = (data_url or "").partition(",")
    kinds = {"data:image/png;base64": "png", "data:image/jpeg;base64": "jpg"}
    if head not in kinds or not body:
        raise ValidationFailed(fields={field: [_("Send a PNG or JPEG image.")]})
    try:
        raw = base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationFailed(fields={field: [_("The image is damaged.")]}) from None
    if len(raw) > MAX_IMAGE_BYTES:
        raise ValidationFailed(fields={field: [_("The image is too large.")]})
    return raw, kinds[head]


def _attach(actor, notification: Notification, raw: bytes, name: str):
    from kefu.tickets.services import add_attachment

    upload = ContentFile(raw, name=name)
    return add_attachment(actor=actor, notification=notification, upload=upload)


def _validate_step(kind: str, data: dict) -> dict:
    """The cleaned data of a step, or ValidationFailed naming the field."""
    if kind not in StepKind.values:
        raise ValidationFailed(fields={"kind": [_("Unknown step.")]})
    text_fields = {
        StepKind.ARRIVE: [],
        StepKind.SURVEY: ["result"],
        StepKind.REPORT: ["work_done", "materials_used"],
        StepKind.PHOTO: ["caption"],
        StepKind.SIGN: ["signer"],
    }[StepKind(kind)]
    clean = {name: str(data.get(name) or "").strip() for name in text_fields}
    check_text(**clean)
    required = {StepKind.SURVEY: "result", StepKind.REPORT: "work_done", StepKind.SIGN: "signer"}
    name = required.get(StepKind(kind))
    if name and not clean[name]:
        raise ValidationFailed(fields={name: [_("This field is required.")]})
    for name, value in clean.items():
        if len(value) > (50 if name in ("signer", "caption") else 2000):
            raise ValidationFailed(fields={name: [_("Too long.")]})
    if kind in (StepKind.PHOTO, StepKind.SIGN):
        clean["image"] = str(data.get("image") or "")
        if not clean["image"]:
            raise ValidationFailed(fields={"image": [_("This field is required.")]})
    return clean


def record_step(
    *,
    actor,
    notification: Notification,
    kind: str,
    client_id: str,
    base_version: int,
    data: dict | None = None,
    recorded_at: dt.datetime | None = None,
) -> FieldStep:
    """Record one step of the technician on his own work; 409 when the notification changed since
    `base_version`, a no-op replay (marked `replayed`) when `client_id` was synced before."""
    require_perm(actor, "field.add_fieldstep")
    if not is_own_work(actor, notification):
        raise PermissionDenied(_("This is not your work."))
    client_id = (client_id or "").strip()
    if not client_id or len(client_id) > 64:
        raise ValidationFailed(fields={"client_id": [_("This field is required.")]})
    done = FieldStep.objects.filter(actor=actor, client_id=client_id).first()
    if done is not None:
        done.replayed = True  # type: ignore[attr-defined]
        return done
    _check_open(notification)
    clean = _validate_step(kind, data or {})
    now = timezone.now()
    at = recorded_at or now
    if at > now + dt.timedelta(minutes=5):
        raise ValidationFailed(fields={"recorded_at": [_("The time lies in the future.")]})
    image = None
    if "image" in clean:
        image = _decode_image(clean.pop("image"), "image")
    with transaction.atomic():
        step = FieldStep(
            notification=notification, kind=kind, client_id=client_id, actor=actor, recorded_at=at, data=clean
        )
        if kind == StepKind.SURVEY:
            _survey(actor, notification, clean["result"], base_version)
        else:
            save_versioned(notification, expected_version=base_version, update_fields=[])
        if kind == StepKind.ARRIVE:
            record(notification, events.ARRIVED.code, actor=actor, data={"at": timezone.localtime(at)})
            note_response(actor=actor, notification=notification, how="arrival", at=at)
        elif kind == StepKind.REPORT:
            record(notification, events.REPORTED.code, actor=actor, data=clean)
        elif kind == StepKind.PHOTO and image is not None:
            raw, ext = image
            step.attachment = _attach(actor, notification, raw, f"photo-{notification.number}.{ext}")
        elif kind == StepKind.SIGN and image is not None:
            step.attachment = _sign(actor, notification, clean["signer"], at, image)
        step.version_after = notification.version
        step.save()
    return step


def _survey(actor, notification: Notification, result: str, base_version: int) -> None:
    """Survey finished 勘察结束 through the one workflow engine where the profile allows it from
    the current status; otherwise the result goes to the long text (append-only)."""
    from kefu.tickets.services import add_text, change_status
    from kefu.workflow.engine import resolve_status
    from kefu.workflow.errors import UnknownStatus
    from kefu.workflow.models import Transition

    try:
        target = resolve_status(notification.type.profile, SURVEY_STATUS)
    except UnknownStatus:  # a profile without a survey status (Z2)
        target = None
    allowed = (
        target is not None
        and Transition.objects.filter(from_status_id=notification.status_id, to_status=target).exists()
    )
    if allowed:
        change_status(
            actor=actor,
            notification=notification,
            to=SURVEY_STATUS,
            inputs={"survey_result": result},
            expected_version=base_version,
        )
        notification.refresh_from_db(fields=["version", "status", "stage"])
    else:
        save_versioned(notification, expected_version=base_version, update_fields=[])
        add_text(actor=actor, notification=notification, text=f"{_('Survey result')}: {result}")


def _sign(actor, notification: Notification, signer: str, at: dt.datetime, image: tuple[bytes, str]):
    """The customer's acceptance 客户服务验收确认: the drawn signature becomes an image attachment,
    and the furniture service form 家具服务单 is recorded with the signer and the time."""
    from kefu.billing.services import record_service_report

    raw, ext = image
    attachment = _attach(actor, notification, raw, f"signature-{notification.number}.{ext}")
    last_report = (
        FieldStep.objects.filter(notification=notification, kind=StepKind.REPORT)
        .order_by("-recorded_at")
        .first()
    )
    work_done = (last_report.data.get("work_done") if last_report else "") or _("Service completed on site.")
    materials = (last_report.data.get("materials_used") if last_report else "") or ""
    record_service_report(
        actor=actor,
        notification=notification,
        technician=staff_of(actor),
        work_done=work_done,
        materials_used=materials,
        accepted_by_customer=signer,
        service_date=timezone.localdate(at),
        accepted_at=at,
    )
    # The rating link is issued at the acceptance, so the printed service form carries its QR
    # code; the closing mail later sends the same link (issue_rating is idempotent).
    from kefu.surveys.services import issue_rating

    issue_rating(notification)
    record(
        notification,
        events.SIGNED.code,
        actor=actor,
        data={"signer": signer, "signed_at": timezone.localtime(at), "attachment": attachment.pk},
    )
    return attachment


def dispatch(*, actor, notification: Notification, technician, day: dt.date, slot: str) -> Appointment:
    """Dispatch 派工: make `technician` responsible and agree the visit window, in one transaction."""
    from kefu.tickets.services import assign

    require_perm(actor, "tickets.assign_notification")
    if technician is None:
        raise ValidationFailed(fields={"technician": [_("This field is required.")]})
    with transaction.atomic():
        assign(actor=actor, notifications=[notification], responsible=technician)
        notification.refresh_from_db(fields=["responsible", "version"])
        return set_appointment(actor=actor, notification=notification, date=day, slot=slot)


def slot_for_load(load: int) -> str:
    """The next free window of a technician's day by how many visits he has: three a half-day."""
    return Slot.MORNING if load < 3 else Slot.AFTERNOON if load < 6 else Slot.EVENING


def accept_proposals(*, actor, user_lines, day: dt.date) -> int:
    """ "Propose all" accepted: each line goes to its best technician with room that day, loads
    counted as they fill. `user_lines` come from queries.dispatch_board for the same actor."""
    require_perm(actor, "tickets.assign_notification")
    made = 0
    for line in user_lines:
        choice = next((p for p in line.proposals if p.technician.free > 0), None)
        if choice is None:
            continue
        tech = choice.technician
        n = Notification.objects.get(pk=line.row.id)
        dispatch(actor=actor, notification=n, technician=tech.staff, day=day, slot=slot_for_load(tech.load))
        tech.load += 1
        made += 1
    return made
