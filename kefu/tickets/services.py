"""Every write to service notifications: create (IW51), change (IW52), items, long text,
attachments, assignment, the urgent path, mail to a department (SBWP) and the workflow hooks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.core import buffer, prepared
from kefu.core.concurrency import save_versioned
from kefu.core.errors import NotFound, PermissionDenied, ValidationFailed
from kefu.core.numbering import next_number
from kefu.core.privacy import mask_value
from kefu.core.scoping import access, customer_of
from kefu.core.validation import check_text, full_clean
from kefu.org.models import DistributionChannel, Division, Staff, WorkCentre
from kefu.org.scope import check_usable
from kefu.tickets import clocks, events
from kefu.tickets.choices import PartnerRole, PaymentStatus
from kefu.tickets.errors import AttachmentRefused, CloseBlocked
from kefu.tickets.models import (
    Attachment,
    IdempotencyKey,
    Item,
    LongTextEntry,
    Notification,
    NotificationType,
    Partner,
)
from kefu.timeline.services import diff, field_label, field_value, record, snapshot
from kefu.workflow.choices import Stage
from kefu.workflow.engine import initial_status
from kefu.workflow.engine import transition as workflow_transition
from kefu.worktime import clock

# Header fields a user may change in IW52 (type, number and status are not among them).
EDITABLE_FIELDS = [
    "description",
    "reference_notification",
    "customer",
    "sold_to",
    "reporter",
    "reference_document",
    "reference_date",
    "notification_date",
    "required_start",
    "required_end",
    "work_centre",
    "responsible",
    "sales_organization",
    "distribution_channel",
    "division",
    "sales_office",
    "sales_group",
    "business_area",
    "functional_location",
    "object_address",
    "contact_name",
    "contact_phone",
    "priority",
    "urgent",
    "payment_status",
]
ALLOWED_UPLOADS = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
    "heic": "image/heic",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
MAX_UPLOAD_BYTES = 10 * 1024 * 1024


MAX_TEXT_ENTRY = 20_000  # characters in one long-text entry (a few pages; a 2 MB paste is refused)


def check_text_length(text: str, field: str) -> None:
    check_text(**{field: text})
    if len(text or "") > MAX_TEXT_ENTRY:
        message = _("Too long: at most %(count)d characters.") % {"count": MAX_TEXT_ENTRY}
        raise ValidationFailed(message, fields={field: [message]})


# Choices an actor may only make inside their own scope (kefu.org.scope.check_usable).
SCOPED_CHOICES = ("sales_office", "sales_group", "work_centre", "responsible")
# What a customer user may give when they submit a request themself (the rest is defaulted).
CUSTOMER_FIELDS = frozenset(
    {"reporter", "object_address", "functional_location", "contact_name", "contact_phone", "required_start"}
)


def _require(actor, perm: str) -> None:
    if not actor.has_perm(perm):
        raise PermissionDenied()


def _check_scope(actor, notification: Notification) -> None:
    """A write reaches only a notification the actor may see (NotFound otherwise, like a read):
    pages and the API load it scoped, and the service holds every other caller to the same rule."""
    if not Notification.objects.visible_to(actor).filter(pk=notification.pk).exists():
        raise NotFound()


def _staff_name(user) -> str:
    staff = getattr(user, "staff", None) if user is not None else None
    return staff.name if staff else (user.get_username() if user is not None else "")


def active_types() -> list[NotificationType]:
    """The active notification types with their profiles, in menu order (buffered)."""
    return buffer.get(
        "tickets.active_types",
        lambda: list(
            NotificationType.objects.filter(is_active=True)
            .select_related("profile")
            .order_by("order", "code")
        ),
    )


def propose_type(payment_status: str) -> NotificationType | None:
    """Z1 after full payment, Z2 before (完款后 Z1 / 完款前 Z2); the user may override it."""
    types = active_types()
    for ntype in types:
        if payment_status in (ntype.payment_statuses or []):
            return ntype
    return types[0] if types else None


def _code_or_first(model, code: str):
    """The default org code (e.g. channel 10, division 02), else the first there is (buffered)."""
    return buffer.by_code(model, code) or buffer.get(
        f"{model._meta.label_lower}:first", lambda: model.objects.order_by("code").first()
    )


def defaults_for(user, customer, ntype: NotificationType | None = None) -> dict:
    """Field defaults from the customer and the user's organisation, so IW51 takes seconds."""
    from kefu.org.scope import role_codes, scope_for

    office = customer.sales_office
    staff = None
    if scope_for(user).staff_id is not None:
        staff = user.staff  # loaded and cached by scope_for
    work_centre = None
    if staff is not None:  # the user's own work centre of that responsibility centre
        work_centre = _first(
            prepared.fetch(
                "tickets.defaults.own_work_centre",
                lambda staff, office: (
                    WorkCentre.objects.filter(staff=staff, sales_office_id=office, is_active=True)
                    .select_related("sales_office")
                    .order_by("code")[:1]
                ),
                staff=staff.pk,
                office=office.pk,
            )
        )
    if work_centre is None:
        work_centre = _first(
            prepared.fetch(
                "tickets.defaults.work_centre",
                lambda office: (
                    WorkCentre.objects.filter(sales_office_id=office, is_active=True)
                    .select_related("sales_office")
                    .order_by("code")[:1]
                ),
                office=office.pk,
            )
        )
    responsible = customer.responsible
    if responsible is None and staff is not None and "technician" in role_codes(user):
        responsible = staff
    today = timezone.localdate()
    data = {
        "sales_office": office,
        "sales_organization": office.sales_organization,
        "business_area": office.business_area,
        "sales_group": buffer.get(
            f"tickets.sales_group:{office.pk}", lambda: office.groups.order_by("code").first()
        ),
        "distribution_channel": _code_or_first(DistributionChannel, "10"),
        "division": _code_or_first(Division, "02"),
        "work_centre": work_centre,
        "responsible": responsible,
        "reporter": _staff_name(user),
        "required_start": today,
        "required_end": today + dt.timedelta(days=(ntype.default_days if ntype else 7)),
        "object_address": customer.address,
        "contact_phone": customer.phone,
        "sold_to": customer,
    }
    data.update(_service_address_defaults(customer))
    return data


def _first(rows: list):
    return rows[0] if rows else None


def _service_address_defaults(customer) -> dict:
    """The default functional location 功能位置 and primary contact, where the archive has them."""
    from kefu.customers.models import Contact, ServiceAddress

    out: dict = {}
    if customer.pk is not None:
        default = _first(
            prepared.fetch(
                "tickets.defaults.service_address",
                lambda pk: ServiceAddress.objects.filter(customer_id=pk, is_default=True).order_by("pk")[:1],
                pk=customer.pk,
            )
        )
        if default is not None:
            out.update(functional_location=default.code, object_address=default.address)
            if default.contact_name:
                out.update(contact_name=default.contact_name, contact_phone=default.contact_phone)
    if customer.pk is not None and "contact_name" not in out:
        primary = _first(
            prepared.fetch(
                "tickets.defaults.contact",
                lambda pk: Contact.objects.filter(customer_id=pk).order_by("-is_primary", "id")[:1],
                pk=customer.pk,
            )
        )
        if primary is not None:
            out.update(
                contact_name=primary.name, contact_phone=primary.mobile or primary.phone or customer.phone
            )
    return out


def _clean(notification: Notification, exclude: list[str] | None = None) -> None:
    full_clean(notification, exclude=exclude)
    errors: dict[str, list[str]] = {}
    if (
        notification.required_start
        and notification.required_end
        and notification.required_end < notification.required_start
    ):
        errors["required_end"] = [_("The required end must not be before the required start.")]
    if notification.work_centre_id and notification.sales_office_id:
        wc_office = notification.work_centre.sales_office
        if wc_office.sales_organization_id != notification.sales_office.sales_organization_id:
            errors["work_centre"] = [_("The work centre belongs to another branch.")]
    if (
        notification.sales_group is not None
        and notification.sales_group.sales_office_id != notification.sales_office_id
    ):
        errors["sales_group"] = [_("The sales group belongs to another responsibility centre.")]
    if (
        notification.sales_office_id
        and notification.sales_organization_id
        and notification.sales_office.sales_organization_id != notification.sales_organization_id
    ):
        errors["sales_office"] = [_("The responsibility centre belongs to another sales organisation.")]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)


def _customer_visible(actor, pk: int) -> bool:
    """May `actor` see customer `pk`? (Compiled once per scope: every create asks it.)"""
    from kefu.customers.models import Customer
    from kefu.org.scope import scope_for

    return bool(
        prepared.fetch(
            ("tickets.create.customer_visible", scope_for(actor)),
            lambda pk: Customer.objects.visible_to(actor).filter(pk=pk).order_by().values_list("pk")[:1],
            pk=pk,
        )
    )


def create_notification(
    *,
    actor,
    customer,
    description: str,
    type: NotificationType | None = None,
    long_text: str = "",
    items: list[dict] | None = None,
    idempotency_key: str = "",
    **fields,
) -> Notification:
    """Create a service notification (IW51) with defaults from the customer and the user's org.

    Validates everything before writing; a retried API call with the same idempotency key
    returns the notification the first call made, marked `replayed`.

    A customer user (portal account) may create one for their own customer only, with defaults
    from the customer and nothing but the fields a customer may give (CUSTOMER_FIELDS).
    """
    by_customer = customer_of(actor) is not None
    if by_customer:
        given = {k for k, v in fields.items() if v not in (None, "")}
        if given - CUSTOMER_FIELDS or items:
            raise PermissionDenied()
    else:
        _require(actor, "tickets.add_notification")
    if idempotency_key:
        done = _first(
            prepared.fetch(
                "tickets.create.idempotency",
                lambda user, key: (
                    IdempotencyKey.objects.filter(user_id=user, key=key)
                    .select_related("notification")
                    .order_by("pk")[:1]
                ),
                user=actor.pk,
                key=idempotency_key,
            )
        )
        if done is not None:
            done.notification.replayed = True
            return done.notification
    if customer is None:
        raise ValidationFailed(fields={"customer": [_("This field is required.")]})
    check_text_length(long_text, "long_text")
    if not _customer_visible(actor, customer.pk):
        raise ValidationFailed(fields={"customer": [_("Unknown customer.")]})
    if not by_customer:
        check_usable(actor, **{k: fields[k] for k in SCOPED_CHOICES if fields.get(k)})
    ntype = type or propose_type(fields.get("payment_status") or PaymentStatus.UNKNOWN)
    if ntype is None or not ntype.is_active:
        raise ValidationFailed(fields={"type": [_("Choose an active notification type.")]})
    values = defaults_for(actor, customer, ntype)
    # An empty field means "take the default" where there is one (reporter, object address …).
    values.update(
        {
            k: v
            for k, v in fields.items()
            if k in EDITABLE_FIELDS and v is not None and not (v == "" and values.get(k))
        }
    )
    status = initial_status(ntype.profile)
    notification = Notification(
        type=ntype,
        customer=customer,
        description=(description or "").strip(),
        status=status,
        stage=status.stage,
        created_by=actor,
        number="0",
        **{k: v for k, v in values.items() if k not in ("customer",)},
    )
    _clean(notification)
    if (
        notification.responsible is not None
        and notification.responsible.user_id
        and not notification.responsible.is_active
    ):
        raise ValidationFailed(fields={"responsible": [_("This person is no longer active.")]})
    item_rows = [_item_from(row, position=i) for i, row in enumerate(items or [], start=1)]
    clocks.start(notification, at=clock.now())
    text_at = timezone.now()
    if long_text.strip():
        notification.long_text = _text_block(long_text, _staff_name(actor), text_at)
    try:
        with transaction.atomic():
            notification.number = next_number(
                ntype.number_range, defaults={"name": str(ntype), "next_value": ntype.number_start}
            )[0]
            notification.save()
            if idempotency_key:
                IdempotencyKey.objects.create(user=actor, key=idempotency_key, notification=notification)
            partners = [
                Partner(notification=notification, function=function, customer=partner, name=partner.name)
                for function, partner in (
                    (PartnerRole.SHIP_TO, customer),
                    (PartnerRole.SOLD_TO, notification.sold_to),
                )
                if partner is not None
            ]
            if notification.responsible_id:
                partners.append(
                    Partner(
                        notification=notification,
                        function=PartnerRole.RESPONSIBLE,
                        name=str(notification.responsible),
                    )
                )
            Partner.objects.bulk_create(partners)
            for item in item_rows:
                item.notification = notification
                item.save()
            record(
                notification,
                events.CREATED.code,
                actor=actor,
                data={"number": notification.number, "type": ntype.code, "status": status.code},
            )
            entries = []
            if long_text.strip():
                entries.append(_append_text(notification, long_text, actor, at=text_at, in_long_text=True))
            reindex(notification)
            if notification.urgent:
                _urgent_path(notification, actor)
    except IntegrityError:
        if idempotency_key:  # the same key raced us: return the winner's notification
            done = IdempotencyKey.objects.filter(user=actor, key=idempotency_key).first()
            if done is not None:
                done.notification.replayed = True
                return done.notification
        raise
    # What was just written, so the caller's response (queries.detail_context) needs no re-read.
    notification.just_written = {"items": item_rows, "entries": entries, "attachments": []}
    return notification


def reindex(notification: Notification) -> None:
    """Keep the keyword search index in step with the description and long text."""
    from kefu.core.search import index_documents
    from kefu.tickets.queries import SEARCH_INDEX, search_document

    index_documents(SEARCH_INDEX, [(notification.pk, search_document(notification))])


def _text_block(text: str, name: str, at) -> str:
    stamp = timezone.localtime(at).strftime("%Y-%m-%d %H:%M")
    return f"[{stamp} {name}]\n{text.strip()}"


def _append_text(
    notification: Notification, text: str, actor, *, at=None, in_long_text: bool = False
) -> LongTextEntry:
    """Append an entry; the denormalised `long_text` gets the same text under an author line.

    `in_long_text`: the caller already wrote the block (a new notification inserts it with its row).
    """
    at = at or timezone.now()
    name = _staff_name(actor)
    entry = LongTextEntry.objects.create(
        notification=notification,
        author=actor if getattr(actor, "is_authenticated", False) else None,
        author_name=name,
        created_at=at,
        text=text.strip(),
    )
    if not in_long_text:
        block = _text_block(text, name, at)
        notification.long_text = f"{notification.long_text}\n{block}" if notification.long_text else block
    record(
        notification,
        events.TEXT_ADDED.code,
        actor=actor,
        data={"text": text.strip()[:500], "entry": entry.pk},
    )
    return entry


def add_text(*, actor, notification: Notification, text: str) -> LongTextEntry:
    """Append to the long text 长文本; earlier text is never rewritten, so no version is needed."""
    _require(actor, "tickets.change_notification")
    _check_scope(actor, notification)  # mail and WeChat intake append too, not only scoped pages
    if not (text or "").strip():
        raise ValidationFailed(fields={"text": [_("This field is required.")]})
    check_text_length(text, "text")
    with transaction.atomic():
        locked = Notification.objects.select_for_update().get(pk=notification.pk)
        entry = _append_text(locked, text, actor)
        Notification.objects.filter(pk=locked.pk).update(
            long_text=locked.long_text, updated_at=timezone.now()
        )
        reindex(locked)
    notification.long_text = locked.long_text
    return entry


def update_notification(
    *, actor, notification: Notification, expected_version: int | None, **changes
) -> list[str]:
    """Change header fields (IW52); refused with 409 when someone else saved since `expected_version`."""
    _require(actor, "tickets.change_notification")
    _check_scope(actor, notification)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationFailed(
            fields={name: [_("This field cannot be changed.")] for name in sorted(unknown)}
        )
    if notification.stage == Stage.COMPLETED:
        raise ValidationFailed(_("A completed notification cannot be changed."), code="completed")
    before = snapshot(notification, list(changes))
    was_urgent = notification.urgent
    for name, value in changes.items():
        setattr(notification, name, value)
    changed = [name for name in changes if before[name] != field_value(notification, name)]
    if not changed:
        return []
    check_usable(actor, **{k: changes[k] for k in SCOPED_CHOICES if k in changed})
    _clean(notification)
    clock_fields = clocks.start(notification) if set(changed) & set(clocks.TARGET_INPUTS) else []
    with transaction.atomic():
        save_versioned(notification, expected_version=expected_version, update_fields=changed + clock_fields)
        if "description" in changed:
            reindex(notification)
        labels = {name: field_label(Notification, name) for name in changed}
        record(
            notification,
            events.CHANGED.code,
            actor=actor,
            data={"changes": diff(notification, before, changed), "labels": labels},
        )
        if "responsible" in changed:
            old = before["responsible"]
            record(
                notification,
                events.ASSIGNED.code,
                actor=actor,
                data={"old": str(old) if old else "", "new": str(notification.responsible or "")},
            )
        if notification.urgent and (not was_urgent or "responsible" in changed):
            _urgent_path(notification, actor)
    return changed


def assign(*, actor, notifications: list[Notification], responsible: Staff | None) -> int:
    """Bulk assign 分配 a person responsible (no version check: the assignment is the intent)."""
    _require(actor, "tickets.assign_notification")
    check_usable(actor, responsible=responsible)
    count = 0
    with transaction.atomic():
        for notification in notifications:
            if notification.stage == Stage.COMPLETED or notification.responsible_id == getattr(
                responsible, "pk", None
            ):
                continue
            old = notification.responsible
            notification.responsible = responsible
            save_versioned(notification, expected_version=None, update_fields=["responsible"])
            record(
                notification,
                events.ASSIGNED.code,
                actor=actor,
                data={"old": str(old) if old else "", "new": str(responsible or "")},
            )
            if notification.urgent:
                _urgent_path(notification, actor)
            count += 1
    return count


def _urgent_path(notification: Notification, actor) -> None:
    """Urgent 紧急: the person responsible is told at once, in-app and by e-mail (after commit)."""
    responsible = notification.responsible
    record(notification, events.URGENT.code, actor=actor, data={"responsible": str(responsible or "")})
    if responsible is None:
        return
    from kefu.channels.services import notify, send_mail

    url = reverse("tickets:detail", args=[notification.pk])
    message = _("Urgent notification %(number)s: %(description)s (%(customer)s)") % {
        "number": notification.number,
        "description": notification.description,
        "customer": notification.customer.name,
    }
    notify(
        recipient=responsible.user, target=notification, message=message, url=url, actor=actor, urgent=True
    )
    address = responsible.email or responsible.user.email
    if address:
        # To the person responsible: his own work, so need-to-know gives him the full contact.
        subject, body = mail_content(
            notification, note=_("Urgent: please confirm with the customer at once."), masked=False
        )
        send_mail(
            actor=actor, target=notification, to=[address], subject=f"[{_('Urgent')}] {subject}", body=body
        )


def _item_from(row: dict, *, position: int) -> Item:
    from kefu.catalog.models import ColourCode, Material, ProductType, ReasonCode

    def lookup(model, value, field):
        if value in (None, ""):
            return None
        if isinstance(value, model):
            return value
        found = buffer.by_code(model, str(value).strip(), is_active=True)
        if found is None:
            raise ValidationFailed(
                _("Item %(position)d: unknown code %(code)s.") % {"position": position, "code": value},
                fields={f"items.{position}.{field}": [_("Unknown code.")]},
            )
        return found

    try:
        quantity = Decimal(str(row.get("quantity") if row.get("quantity") not in (None, "") else 1))
    except InvalidOperation:
        raise ValidationFailed(fields={f"items.{position}.quantity": [_("Enter a number.")]}) from None
    item = Item(
        position=position,
        product_type=lookup(ProductType, row.get("product_type"), "product_type"),
        colour=lookup(ColourCode, row.get("colour"), "colour"),
        material=lookup(Material, row.get("material"), "material"),
        quantity=quantity,
        reason=lookup(ReasonCode, row.get("reason"), "reason"),
        reason_text=(row.get("reason_text") or "").strip(),
    )
    if not any([item.product_type, item.material, item.reason, item.reason_text]):
        raise ValidationFailed(
            fields={f"items.{position}": [_("An item needs a product type, material or reason.")]}
        )
    try:
        full_clean(item, exclude=["notification"])
    except ValidationFailed as exc:
        raise ValidationFailed(fields={f"items.{position}.{k}": v for k, v in exc.fields.items()}) from exc
    return item


def _item_summary(item: Item) -> str:
    parts = [
        item.product_type.code if item.product_type else "",
        item.colour.code if item.colour else "",
        item.material.code if item.material else "",
        f"{item.quantity.normalize():f}",
        item.reason.code if item.reason else "",
        item.reason_text,
    ]
    return "/".join(p for p in parts if p)


def add_item(*, actor, notification: Notification, **row) -> Item:
    """Add an item 项目 at the next position (several per notification)."""
    _require(actor, "tickets.change_notification")
    _check_scope(actor, notification)
    if notification.stage == Stage.COMPLETED:
        raise ValidationFailed(_("A completed notification cannot be changed."), code="completed")
    with transaction.atomic():
        Notification.objects.select_for_update().filter(pk=notification.pk).first()
        last = notification.items.order_by("-position").values_list("position", flat=True).first() or 0
        item = _item_from(row, position=last + 1)
        item.notification = notification
        item.save()
        record(
            notification,
            events.ITEM_ADDED.code,
            actor=actor,
            data={"position": item.position, "summary": _item_summary(item)},
        )
    return item


def update_item(*, actor, item: Item, **row) -> Item:
    _require(actor, "tickets.change_notification")
    notification = item.notification
    _check_scope(actor, notification)
    if notification.stage == Stage.COMPLETED:
        raise ValidationFailed(_("A completed notification cannot be changed."), code="completed")
    fresh = _item_from({**_item_row(item), **row}, position=item.position)
    with transaction.atomic():
        before = _item_summary(item)
        for name in ("product_type", "colour", "material", "quantity", "reason", "reason_text"):
            setattr(item, name, getattr(fresh, name))
        item.save()
        record(
            notification,
            events.ITEM_CHANGED.code,
            actor=actor,
            data={"position": item.position, "summary": f"{before} → {_item_summary(item)}"},
        )
    return item


def _item_row(item: Item) -> dict:
    return {
        "product_type": item.product_type,
        "colour": item.colour,
        "material": item.material,
        "quantity": item.quantity,
        "reason": item.reason,
        "reason_text": item.reason_text,
    }


def remove_item(*, actor, item: Item) -> None:
    _require(actor, "tickets.change_notification")
    notification = item.notification
    _check_scope(actor, notification)
    if notification.stage == Stage.COMPLETED:
        raise ValidationFailed(_("A completed notification cannot be changed."), code="completed")
    with transaction.atomic():
        record(
            notification,
            events.ITEM_REMOVED.code,
            actor=actor,
            data={"position": item.position, "summary": _item_summary(item)},
        )
        item.delete()


def add_attachment(*, actor, notification: Notification, upload) -> Attachment:
    """Attach a file (photos of damage …): only listed types, at most 10 MB, stored under MEDIA_ROOT.
    A customer user may attach to their own customer's notifications (photos with a request)."""
    if customer_of(actor) is not None:
        access(Notification, actor, notification.pk)
    else:
        _require(actor, "tickets.change_notification")
        _check_scope(actor, notification)
    name = (getattr(upload, "name", "") or "").rsplit("/", 1)[-1][:200]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ALLOWED_UPLOADS:
        raise AttachmentRefused(
            _("Files of type .%(ext)s cannot be attached. Allowed: %(allowed)s.")
            % {"ext": ext or "?", "allowed": ", ".join(sorted(ALLOWED_UPLOADS))},
            fields={"file": [_("This file type is not allowed.")]},
        )
    if upload.size > MAX_UPLOAD_BYTES:
        raise AttachmentRefused(
            _("The file is larger than %(mb)d MB.") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
            fields={"file": [_("The file is too large.")]},
        )
    head = upload.read(16)
    upload.seek(0)
    if (
        ALLOWED_UPLOADS[ext].startswith("image/")
        and ext in ("jpg", "jpeg", "png", "gif")
        and not (head.startswith(b"\xff\xd8") or head.startswith(b"\x89PNG") or head.startswith(b"GIF8"))
    ):
        raise AttachmentRefused(
            _("The file is not a valid image."), fields={"file": [_("Not a valid image.")]}
        )
    if ext == "pdf" and not head.startswith(b"%PDF"):
        raise AttachmentRefused(_("The file is not a valid PDF."), fields={"file": [_("Not a valid PDF.")]})
    with transaction.atomic():
        attachment = Attachment(
            notification=notification,
            name=name,
            content_type=ALLOWED_UPLOADS[ext],
            size=upload.size,
            uploaded_by=actor,
        )
        attachment.file.save(name, upload, save=False)
        attachment.save()
        record(
            notification,
            events.ATTACHMENT_ADDED.code,
            actor=actor,
            data={"name": name, "size": upload.size, "attachment": attachment.pk},
        )
    return attachment


def change_status(
    *,
    actor,
    notification: Notification,
    to: str,
    inputs: dict | None = None,
    expected_version: int | None = None,
):
    """A status change through the one workflow engine (roles, required fields, approval)."""
    _require(actor, "tickets.transition_notification")
    _check_scope(actor, notification)
    return workflow_transition(
        notification, to, actor=actor, inputs=inputs or {}, expected_version=expected_version
    )


# --- workflow hooks (called by Notification's protocol methods) -----------------------


def _input_labels() -> dict[str, str]:
    return {
        "survey_result": _("Survey result"),
        "reason": _("Reason"),
        "reply": _("Department reply"),
        "note": _("Note"),
        "delivered_on": _("Goods reached the customer on"),
        "returned_on": _("Goods returned to the vendor on"),
        # 故障报告 (Z3): when, where, what is seen, what is planned
        "fault_time": _("Fault occurred at"),
        "fault_place": _("Fault place"),
        "symptom": _("Symptom"),
        "plan": _("Handling plan"),
    }


def check_transition(notification: Notification, transition, inputs: dict, actor) -> None:
    if transition.to_status.stage == Stage.COMPLETED:
        from kefu.billing.queries import close_blocker

        reason = close_blocker(notification)
        if reason:
            raise CloseBlocked(reason, fields={"to": [reason]})
    if inputs.get("fault_time") not in (None, ""):
        try:
            dt.datetime.fromisoformat(str(inputs["fault_time"]).strip().replace(" ", "T")[:19])
        except ValueError:
            message = _("Enter the time of the fault as YYYY-MM-DD HH:MM.")
            raise ValidationFailed(message, fields={"fault_time": [message]}) from None
    for name in ("delivered_on", "returned_on"):
        if name in inputs:
            try:
                dt.date.fromisoformat(str(inputs[name])[:10])
            except ValueError:
                raise ValidationFailed(fields={name: [_("Enter a valid date (YYYY-MM-DD).")]}) from None


def apply_transition(notification: Notification, transition, inputs: dict, actor) -> list[str]:
    """The system status follows the user status; text inputs are appended to the long text."""
    changed = ["stage", *clocks.CLOCK_FIELDS]
    now = clock.now()
    if notification.responded_at is None:  # the first status change is the first reaction
        _responded(notification, how="status", at=now, actor=actor)
    notification.stage = transition.to_status.stage
    clocks.stage_changed(notification, at=now)
    if notification.stage == Stage.COMPLETED:
        notification.completed_at = timezone.now()
        changed.append("completed_at")
        from kefu.billing.services import invoice_accepted_quotations

        invoice_accepted_quotations(actor=actor, notification=notification)
    labels = _input_labels()
    lines = [f"{transition.to_status.code} {transition.display_name}"]
    for name, label in labels.items():
        if inputs.get(name) not in (None, ""):
            lines.append(f"{label}:{inputs[name]}")
    if len(lines) > 1:
        _append_text(notification, "\n".join(lines), actor)
        changed.append("long_text")
        reindex(notification)
    return changed


# --- service clocks (kefu.tickets.clocks) -------------------------------------------------------
def _responded(notification: Notification, *, how: str, at: dt.datetime, actor) -> bool:
    due = notification.response_due
    if not clocks.respond(notification, at=at):
        return False
    record(
        notification,
        events.RESPONDED.code,
        actor=actor,
        at=at,
        data={"how": how, "due": due, "met": clocks.met(due, at)},
    )
    return True


def note_response(*, actor, notification: Notification, how: str, at: dt.datetime | None = None) -> bool:
    """The first reaction from outside the workflow (a visit agreed, the technician on site): the
    response clock stops once; later calls change nothing. Called inside the caller's transaction."""
    with transaction.atomic():
        locked = Notification.objects.select_for_update().select_related("customer").get(pk=notification.pk)
        if not _responded(locked, how=how, at=at or clock.now(), actor=actor):
            return False
        Notification.objects.filter(pk=locked.pk).update(
            **{name: getattr(locked, name) for name in clocks.CLOCK_FIELDS}
        )
    for name in clocks.CLOCK_FIELDS:
        setattr(notification, name, getattr(locked, name))
    return True


def recompute_clocks(queryset=None, *, batch: int = 2000) -> int:
    """Set the clocks of notifications from the current targets (after the targets changed, or
    for rows made before the clocks existed); writes only rows that change, returns how many."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Min

    from kefu.customers.models import Customer
    from kefu.tickets.models import ServiceTarget
    from kefu.timeline.models import TimelineEvent
    from kefu.workflow.events import TRANSITION
    from kefu.workflow.models import Status

    ct = ContentType.objects.get_for_model(Notification)

    def first_moves(ids: list[int]) -> dict[int, dt.datetime]:
        rows = (
            TimelineEvent.objects.filter(content_type=ct, object_id__in=ids, event_type=TRANSITION)
            .values("object_id")
            .annotate(first=Min("occurred_at"))
        )
        return {row["object_id"]: row["first"] for row in rows}

    return clocks.backfill(
        queryset if queryset is not None else Notification.objects.all(),
        targets=list(ServiceTarget.objects.all()),
        tiers=lambda ids: dict(Customer.objects.filter(pk__in=ids).values_list("pk", "tier")),
        first_moves=first_moves,
        initial_ids=set(Status.objects.filter(is_initial=True).values_list("pk", flat=True)),
        batch=batch,
    )


def _escalate_clock(pk: int, level: int, now: dt.datetime) -> bool:
    from kefu.worktime import escalation

    def still_due(n) -> bool:
        due = n.clock_due if level == escalation.SUPERVISOR else n.clock_manager_at
        return n.stage in Stage.open_values() and n.clock_level < level and due is not None and due <= now

    def claim(n) -> None:
        from kefu.tickets.models import ClockEscalation

        n._kind = clocks.running_kind(n)
        n._recipients = escalation.recipients(n.sales_office, level)
        ClockEscalation.objects.create(
            notification=n,
            clock=n._kind,
            level=level,
            due=n.clock_due,
            escalated_at=now,
            recipients=[s.name for s in n._recipients],
        )

    def then(n) -> None:
        recipients = n._recipients
        Notification.objects.filter(pk=n.pk).update(clock_level=level)
        record(
            n,
            events.CLOCK_ESCALATED.code,
            at=now,
            data={
                "clock": n._kind,
                "level": level,
                "due": n.clock_due,
                "recipients": [s.name for s in recipients],
            },
        )
        from kefu.tickets.choices import ClockKind

        subject = _("Late: notification %(number)s %(description)s, %(clock)s was due %(due)s") % {
            "number": n.number,
            "description": n.description,
            "clock": ClockKind(n._kind).label,
            "due": n.clock_due.astimezone(clocks.calendar_of(n).tz).strftime("%Y-%m-%d %H:%M"),
        }
        url = reverse("tickets:detail", args=[n.pk])
        transaction.on_commit(
            lambda: _alert(recipients=recipients, target=n, subject=subject, body=subject, url=url)
        )

    return escalation.escalate_once(Notification, pk, still_due=still_due, claim=claim, then=then)


def _alert(**kwargs) -> None:
    from kefu.channels.services import alert_staff

    alert_staff(**kwargs)


def escalate_late_clocks(now: dt.datetime | None = None) -> int:
    """Escalate every late service clock: to the centre's supervisor at the due time, to the
    manager `manager_after_minutes` later (kefu.worktime.escalation: idempotent, restart-safe)."""
    from kefu.worktime import escalation

    return escalation.sweep(
        Notification.objects.all(),
        rungs=(
            escalation.Rung(escalation.SUPERVISOR, "clock_due"),
            escalation.Rung(escalation.MANAGER, "clock_manager_at"),
        ),
        level_field="clock_level",
        escalate=_escalate_clock,
        now=now or clock.now(),
    )


def mail_content(notification: Notification, *, note: str = "", masked: bool = True) -> tuple[str, str]:
    """The SBWP mail: summary, long text, items and the payment status 完款状况 (every hand-off states it).

    Personal fields follow the sender's rights: a masked sender mails them masked."""
    n = notification
    subject = _("Service notification %(number)s %(description)s") % {
        "number": n.number,
        "description": n.description,
    }

    def personal(name: str) -> str:
        value = getattr(n, name)
        return mask_value(name, value) if masked else value

    lines = []
    if note:
        lines += [note, ""]
    lines += [
        f"{_('Notification')}: {n.number} ({n.type})",
        f"{_('User status')}: {n.status}",
        f"{_('Customer')}: {n.customer}",
        f"{_('Object address')}: {personal('object_address')}",
        f"{_('Contact person')}: {n.contact_name} {personal('contact_phone')}",
        f"{_('Reference document')}: {n.reference_document} {n.reference_date or ''}",
        f"{_('Required start')}: {n.required_start or ''}  {_('Required end')}: {n.required_end or ''}",
        f"{_('Main work centre')}: {n.work_centre}  {_('Person responsible')}: {n.responsible or ''}",
        f"{_('Payment status')}: {n.get_payment_status_display()}",
        f"{_('Priority')}: {n.get_priority_display()}{'  ' + _('Urgent') if n.urgent else ''}",
        "",
        f"{_('Long text')}:",
        n.long_text or "—",
        "",
        f"{_('Items')}:",
    ]
    for item in n.items.select_related("product_type", "colour", "material", "reason"):
        lines.append(
            f"  {item.position}. {item.product_type or ''} / {item.colour or ''} / {item.material or ''} × "
            f"{item.quantity.normalize():f} / {item.reason or ''} {item.reason_text}"
        )
    return subject, "\n".join(lines)


def mail_to_department(
    *, actor, notification: Notification, department=None, to: list[str] | None = None, note: str = ""
):
    """Send the notification to a department's mailbox or to people (SBWP); on the timeline."""
    _require(actor, "tickets.mail_notification")
    _check_scope(actor, notification)
    from kefu.channels.services import check_recipients, send_mail
    from kefu.tickets.queries import assigned_work_ids, can_see_personal_data

    check_recipients(actor, list(to or []), customer=notification.customer)
    check_usable(actor, department=department)
    masked = not can_see_personal_data(actor) and not assigned_work_ids(actor, [notification])
    subject, body = mail_content(notification, note=note, masked=masked)
    return send_mail(
        actor=actor, target=notification, to=list(to or []), subject=subject, body=body, department=department
    )


def notification_with_relations():
    """A notification with what its page and API show.

    Code tables (type, status, org units) come from the buffer, not joins: with 15 joined tables
    PostgreSQL spent ~16 ms planning a one-row lookup that runs in under 1 ms.
    """
    return Notification.objects.select_related(
        "customer", "sold_to", "responsible", "reference_notification"
    ).with_code_tables(
        "type",
        "status",
        "work_centre",
        "sales_office",
        "sales_organization",
        "distribution_channel",
        "division",
        "sales_group",
        "business_area",
    )


def access_notification(user, pk) -> Notification:
    """The notification `pk` if `user` may see it; NotFound for missing and forbidden alike.

    Its SQL is prepared once per scope (kefu.core.prepared): compiling the scoped lookup with its
    joined tables cost several times what running it does."""
    from kefu.org.scope import scope_for

    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound() from None
    rows = prepared.fetch(
        ("tickets.access_notification", scope_for(user)),
        lambda pk: notification_with_relations().visible_to(user).filter(pk=pk),
        pk=pk,
    )
    if not rows:
        raise NotFound()
    return rows[0]


__all__ = ["NotFound", "access_notification", "create_notification", "update_notification"]


# --- 跨部门协作 cross-department disputes (seed 004) -------------------------------------------
def submit_dispute(
    *,
    actor,
    notification: Notification,
    requesting_department,
    other_departments: list,
    issue: str,
    positions: str,
    supervising_department=None,
):
    """Submit a disagreement between departments over `notification` to the office 办公室."""
    from kefu.tickets.models import Dispute

    _require(actor, "tickets.add_dispute")
    notification = access(Notification, actor, notification.pk)
    errors: dict[str, list[str]] = {}
    if not (issue or "").strip():
        errors["issue"] = [_("Describe the disagreement.")]
    if not (positions or "").strip():
        errors["positions"] = [_("Give each department's position.")]
    others = [d for d in other_departments if d.pk != requesting_department.pk]
    if not others:
        errors["other_departments"] = [_("Name at least one other department in the disagreement.")]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    check_text(issue=issue, positions=positions)
    with transaction.atomic():
        dispute = Dispute(
            notification=notification,
            requesting_department=requesting_department,
            supervising_department=supervising_department,
            issue=issue.strip(),
            positions=positions.strip(),
            raised_by=actor,
        )
        dispute.status = initial_status(dispute.workflow_profile())
        dispute.save()
        dispute.other_departments.set(others)
        record(
            notification,
            events.DISPUTE_SUBMITTED.code,
            actor=actor,
            data={"dispute": dispute.pk, "issue": dispute.issue[:200]},
        )
    return dispute


def rule_dispute(*, actor, dispute, to: str, inputs: dict, expected_version: int | None = None):
    """The office's ruling (or a withdrawal), through the one workflow engine."""
    return workflow_transition(dispute, to, actor=actor, inputs=inputs, expected_version=expected_version)


def check_dispute_transition(dispute, transition, inputs: dict, actor) -> None:
    """A ruling names an active department and an active person who can take the notification."""
    from kefu.org.models import Department

    if "responsible_department" not in (transition.required_fields or []):
        return
    errors: dict[str, list[str]] = {}
    code = str(inputs.get("responsible_department") or "").strip()
    if not Department.objects.filter(code=code, is_active=True).exists():
        errors["responsible_department"] = [_("No active department with this code.")]
    number = str(inputs.get("responsible") or "").strip()
    if not Staff.objects.filter(personnel_number=number, is_active=True).exists():
        errors["responsible"] = [_("No active staff member with this personnel number.")]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)


def apply_dispute_transition(dispute, transition, inputs: dict, actor) -> list[str]:
    """Record the ruling and enforce it: the ruled person becomes the notification's person
    responsible, the responsible department gets the ruling by mail (and the supervising one a
    copy), the person an urgent notice — all on the notification's timeline."""
    from kefu.org.models import Department

    if "responsible_department" not in (transition.required_fields or []):
        return []
    department = Department.objects.get(code=str(inputs["responsible_department"]).strip())
    person = Staff.objects.get(personnel_number=str(inputs["responsible"]).strip())
    dispute.ruling = str(inputs.get("ruling", "")).strip()
    dispute.responsible_department = department
    dispute.responsible = person
    dispute.ruled_by = actor
    dispute.ruled_at = timezone.now()
    notification = Notification.objects.select_for_update().get(pk=dispute.notification_id)
    old = notification.responsible
    if notification.stage != Stage.COMPLETED and notification.responsible_id != person.pk:
        notification.responsible = person
        save_versioned(notification, expected_version=None, update_fields=["responsible"])
        record(
            notification, events.ASSIGNED.code, actor=actor, data={"old": str(old or ""), "new": str(person)}
        )
    record(
        notification,
        events.DISPUTE_RULED.code,
        actor=actor,
        data={
            "dispute": dispute.pk,
            "ruling": dispute.ruling[:300],
            "department": str(department),
            "responsible": str(person),
        },
    )
    from kefu.channels.services import notify, send_mail

    subject = _("Office ruling on %(number)s: %(department)s is responsible") % {
        "number": notification.number,
        "department": department,
    }
    body = "\n".join(
        [
            subject,
            f"{_('Disagreement')}: {dispute.issue}",
            f"{_('Ruling')}: {dispute.ruling}",
            f"{_('Person responsible')}: {person}",
        ]
    )
    for target_department in filter(None, [department, dispute.supervising_department]):
        if target_department.mailbox:
            send_mail(
                actor=actor,
                target=notification,
                to=[target_department.mailbox],
                subject=subject,
                body=body,
                department=target_department,
            )
    notify(
        recipient=person,
        target=notification,
        message=subject,
        url=reverse("tickets:detail", args=[notification.pk]),
        actor=actor,
        urgent=True,
    )
    return ["ruling", "responsible_department", "responsible", "ruled_by", "ruled_at"]
