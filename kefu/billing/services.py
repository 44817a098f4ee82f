"""Writes of paid service: quotation (ZFFW), the customer's decision, the service report
(家具服务单) and the service invoice (ZFW) made when the notification closes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.billing import events
from kefu.billing.choices import LineKind, QuotationStatus
from kefu.billing.models import Invoice, Quotation, QuotationLine, ServiceReport
from kefu.core.concurrency import save_versioned
from kefu.core.errors import PermissionDenied, ValidationFailed
from kefu.core.numbering import next_number
from kefu.core.scoping import access, customer_of
from kefu.core.validation import check_text, model_decimal
from kefu.timeline.services import record
from kefu.workflow.choices import Stage

CENT = Decimal("0.01")


def _require(actor, perm: str) -> None:
    if not actor.has_perm(perm):
        raise PermissionDenied()


def _check_technician(actor, notification, technician) -> None:
    """The technician on a service report is one the actor may hand work to (check_usable) and
    works for the notification's centre (its responsibility centre or work centre), or is the
    person responsible for it."""
    from kefu.org.models import Staff
    from kefu.org.scope import check_usable

    message = _("You may not choose this: it is outside your responsibility centres.")
    try:
        check_usable(actor, responsible=technician)
    except ValidationFailed:
        raise ValidationFailed(message, fields={"technician": [message]}) from None
    if technician.pk == notification.responsible_id:
        return
    from django.db.models import Q

    works_there = Q(pk__in=[])
    if notification.sales_office_id:
        works_there |= Q(sales_offices=notification.sales_office_id)
    if notification.work_centre_id:
        works_there |= Q(work_centres=notification.work_centre_id)
    if not Staff.objects.filter(works_there, pk=technician.pk).exists():
        message = _("The technician does not work for this notification's centre.")
        raise ValidationFailed(message, fields={"technician": [message]})


def _lines(rows: list[dict]) -> list[QuotationLine]:
    from kefu.catalog.models import Material

    if not rows:
        raise ValidationFailed(fields={"lines": [_("A quotation needs at least one line.")]})
    lines = []
    for index, row in enumerate(rows, start=1):
        kind = row.get("kind")
        if kind not in LineKind.values:
            raise ValidationFailed(fields={f"lines.{index}.kind": [_("Choose labour, parts or travel.")]})
        material = None
        check_text(**{f"lines.{index}.material": row.get("material")})
        if row.get("material"):
            material = Material.objects.filter(code=str(row["material"]).strip(), is_active=True).first()
            if material is None:
                raise ValidationFailed(fields={f"lines.{index}.material": [_("Unknown code.")]})
        quantity = model_decimal(
            row.get("quantity", 1), model=QuotationLine, field="quantity", name=f"lines.{index}.quantity"
        )
        price_raw = row.get("unit_price")
        if price_raw in (None, "") and material is not None:
            price_raw = material.price
        unit_price = model_decimal(
            price_raw, model=QuotationLine, field="unit_price", name=f"lines.{index}.unit_price"
        )
        if quantity <= 0:
            raise ValidationFailed(fields={f"lines.{index}.quantity": [_("Must be greater than zero.")]})
        if unit_price < 0:
            raise ValidationFailed(fields={f"lines.{index}.unit_price": [_("Must not be negative.")]})
        check_text(**{f"lines.{index}.description": row.get("description")})
        description = (row.get("description") or (material.name if material else "")).strip()
        if not description:
            raise ValidationFailed(fields={f"lines.{index}.description": [_("This field is required.")]})
        lines.append(
            QuotationLine(
                kind=kind,
                description=description[:100],
                material=material,
                quantity=quantity,
                unit_price=unit_price,
                # from the rounded price, as the customer reads it on the quotation
                amount=model_decimal(
                    quantity * unit_price, model=QuotationLine, field="amount", name=f"lines.{index}.amount"
                ),
            )
        )
    return lines


def create_quotation(*, actor, notification, lines: list[dict], note: str = "") -> Quotation:
    """A service sales order (ZFFW) for the notification, offered to the customer."""
    _require(actor, "billing.add_quotation")
    access(type(notification), actor, notification.pk)  # another centre's: NotFound
    check_text(note=note)
    if notification.stage == Stage.COMPLETED:
        raise ValidationFailed(_("A completed notification cannot be changed."), code="completed")
    built = _lines(lines)
    total = model_decimal(
        sum((line.amount for line in built), Decimal("0.00")), model=Quotation, field="total"
    )
    with transaction.atomic():
        number = next_number("billing.ZFFW", defaults={"name": "ZFFW 服务销售订单", "next_value": 3000001})[0]
        quotation = Quotation.objects.create(
            number=number,
            notification=notification,
            status=QuotationStatus.OFFERED,
            note=note,
            created_by=actor,
            total=total,
        )
        for line in built:
            line.quotation = quotation
        QuotationLine.objects.bulk_create(built)
        record(
            notification,
            events.QUOTATION_CREATED.code,
            actor=actor,
            data={"number": number, "total": quotation.total, "quotation": quotation.pk},
        )
    return quotation


def decide_quotation(
    *,
    actor,
    quotation: Quotation,
    accepted: bool,
    customer_person: str,
    reason: str = "",
    expected_version: int | None = None,
) -> Quotation:
    """Record the customer's confirmation or refusal with who (customer and staff) and when.
    A customer user (portal account) decides on their own customer's quotations themself."""
    if customer_of(actor) is None:
        _require(actor, "billing.change_quotation")
    access(Quotation, actor, quotation.pk)  # another centre's: NotFound
    check_text(customer_person=customer_person, reason=reason)
    if quotation.status != QuotationStatus.OFFERED:
        raise ValidationFailed(_("The customer has already decided on this quotation."), code="decided")
    if not (customer_person or "").strip():
        raise ValidationFailed(fields={"customer_person": [_("Who at the customer decided?")]})
    if not accepted and not (reason or "").strip():
        raise ValidationFailed(fields={"reason": [_("Give the reason for the refusal.")]})
    with transaction.atomic():
        quotation.status = QuotationStatus.ACCEPTED if accepted else QuotationStatus.REFUSED
        quotation.decided_by_customer = customer_person.strip()
        quotation.decided_at = timezone.now()
        quotation.decision_recorded_by = actor
        quotation.refusal_reason = (reason or "").strip()
        save_versioned(
            quotation,
            # the version the decision was made on: a decision recorded meanwhile wins, this one is a 409
            expected_version=quotation.version if expected_version is None else expected_version,
            update_fields=[
                "status",
                "decided_by_customer",
                "decided_at",
                "decision_recorded_by",
                "refusal_reason",
            ],
        )
        record(
            quotation.notification,
            events.QUOTATION_DECIDED.code,
            actor=actor,
            data={
                "number": quotation.number,
                "status": quotation.status,
                "status_label": str(quotation.get_status_display()),
                "customer": quotation.decided_by_customer,
                "reason": quotation.refusal_reason,
            },
        )
    return quotation


def record_service_report(
    *,
    actor,
    notification,
    technician,
    work_done: str,
    accepted_by_customer: str,
    service_date: dt.date | None = None,
    materials_used: str = "",
    quotation=None,
    accepted_at=None,
) -> ServiceReport:
    """The furniture service form 家具服务单 with the customer's acceptance of the work."""
    _require(actor, "billing.add_servicereport")
    access(type(notification), actor, notification.pk)  # another centre's: NotFound
    check_text(work_done=work_done, accepted_by_customer=accepted_by_customer, materials_used=materials_used)
    errors = {}
    if not (work_done or "").strip():
        errors["work_done"] = [_("This field is required.")]
    if not (accepted_by_customer or "").strip():
        errors["accepted_by_customer"] = [_("Who at the customer accepted the work?")]
    if technician is None:
        errors["technician"] = [_("This field is required.")]
    if quotation is not None and quotation.notification_id != notification.pk:
        errors["quotation"] = [_("The quotation belongs to another notification.")]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    _check_technician(actor, notification, technician)
    with transaction.atomic():
        report = ServiceReport.objects.create(
            notification=notification,
            quotation=quotation,
            technician=technician,
            service_date=service_date or timezone.localdate(),
            work_done=work_done.strip(),
            materials_used=(materials_used or "").strip(),
            accepted_by_customer=accepted_by_customer.strip(),
            accepted_at=accepted_at or timezone.now(),
            created_by=actor,
        )
        record(
            notification,
            events.REPORT_RECORDED.code,
            actor=actor,
            data={"technician": str(technician), "service_date": report.service_date, "report": report.pk},
        )
    return report


def create_invoice(*, actor, quotation: Quotation) -> Invoice | None:
    """The service invoice (ZFW) with its own number; once per accepted quotation."""
    if quotation.status != QuotationStatus.ACCEPTED or Invoice.objects.filter(quotation=quotation).exists():
        return None
    with transaction.atomic():
        number = next_number("billing.ZFW", defaults={"name": "ZFW 服务销售发票", "next_value": 9000001})[0]
        invoice = Invoice.objects.create(
            number=number,
            notification=quotation.notification,
            quotation=quotation,
            amount=quotation.total,
            created_by=actor,
        )
        record(
            quotation.notification,
            events.INVOICE_CREATED.code,
            actor=actor,
            data={"number": number, "amount": invoice.amount, "invoice": invoice.pk},
        )
    return invoice


def invoice_accepted_quotations(*, actor, notification) -> list[Invoice]:
    """On close, invoice each accepted quotation (ZFW), in the closing transaction itself."""
    made = []
    for quotation in Quotation.objects.filter(notification=notification, status=QuotationStatus.ACCEPTED):
        invoice = create_invoice(actor=actor, quotation=quotation)
        if invoice is not None:
            made.append(invoice)
    return made
