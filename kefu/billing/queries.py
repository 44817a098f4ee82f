"""Read side of billing, including the close rule the notification workflow asks about."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kefu.billing.choices import QuotationStatus
from kefu.billing.models import Quotation


def close_blocker(notification) -> str | None:
    """Why the notification may not close yet, or None: an accepted quote needs a service report."""
    accepted = Quotation.objects.filter(notification=notification, status=QuotationStatus.ACCEPTED)
    for quotation in accepted:
        if (
            not quotation.reports.exists()
            and not notification.service_reports.filter(quotation__isnull=True).exists()
        ):
            return _(
                "Quotation %(number)s was accepted by the customer: record the service report first."
            ) % {"number": quotation.number}
    return None


def billing_for(notification) -> dict:
    quotations = list(
        Quotation.objects.filter(notification=notification)
        .prefetch_related("lines__material")
        .order_by("created_at")
    )
    return {
        "quotations": quotations,
        "reports": list(notification.service_reports.select_related("technician").order_by("created_at")),
        "invoices": list(notification.invoices.order_by("created_at")),
    }
