"""Read side of billing, including the close rule the notification workflow asks about."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from django.utils.translation import gettext as _

from kefu.billing.choices import QuotationStatus
from kefu.billing.models import Invoice, Quotation, ServiceReport

_CODE = re.compile(r"[0-9A-Za-z][0-9A-Za-z-]*")


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


def with_material_names(reports: list[ServiceReport]) -> list[ServiceReport]:
    """Give each report `materials_shown`: its materials used, each catalogue material number
    followed by the material's name ("100056 ×1" → "100056 活动柜锁 ×1"), one query for all."""
    from kefu.catalog.models import Material

    codes = {code for r in reports for code in _CODE.findall(r.materials_used)}
    names = dict(Material.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}

    def named(text: str) -> str:
        def one(match: re.Match) -> str:
            code, name = match.group(0), names.get(match.group(0))
            return f"{code} {name}" if name and name not in text else code

        return _CODE.sub(one, text)

    for report in reports:
        report.materials_shown = named(report.materials_used)
    return reports


def reports_for(notification_ids: Iterable[int]) -> dict[int, list[ServiceReport]]:
    """The service reports 家具服务单 of these notifications, oldest first, with their materials."""
    reports = with_material_names(
        list(
            ServiceReport.objects.filter(notification_id__in=list(notification_ids))
            .select_related("technician")
            .order_by("created_at", "id")
        )
    )
    found: dict[int, list[ServiceReport]] = {}
    for report in reports:
        found.setdefault(report.notification_id, []).append(report)
    return found


def billing_for(notification, present: Mapping[str, bool] | None = None) -> dict:
    """The paid-service card of the notification page; its lookups prepared once (kefu.core.prepared).
    `present` (the page's one existence query) skips the kinds the notification has none of."""
    from django.db.models import prefetch_related_objects

    from kefu.core import prepared

    def rows(kind: str, build) -> list:
        if present is not None and not present[kind]:
            return []
        return prepared.fetch(f"billing.page_{kind}", build, pk=notification.pk)

    quotations = rows(
        "quotations", lambda pk: Quotation.objects.filter(notification_id=pk).order_by("created_at", "id")
    )
    prefetch_related_objects(quotations, "lines__material")  # no query when there is no quotation
    reports = rows(
        "reports",
        lambda pk: (
            ServiceReport.objects.filter(notification_id=pk)
            .select_related("technician")
            .order_by("created_at", "id")
        ),
    )
    invoices = rows(
        "invoices", lambda pk: Invoice.objects.filter(notification_id=pk).order_by("created_at", "id")
    )
    return {"quotations": quotations, "reports": with_material_names(reports), "invoices": invoices}


def overdue_acceptances(user, days: int, *, limit: int = 5000) -> list[dict]:
    """Quotations offered to the customer more than `days` ago and still waiting for the customer's
    confirmation 客户确认 (scoped): the acceptance calls of an outbound call list (kefu.contacts)."""
    from datetime import timedelta

    from kefu.worktime import clock

    before = clock.now() - timedelta(days=max(0, days))
    rows = (
        Quotation.objects.visible_to(user)
        .filter(status=QuotationStatus.OFFERED, created_at__lte=before)
        .order_by("created_at", "pk")
        .values_list("notification__customer_id", "number", "notification__number")[: limit * 2]
    )
    seen: dict[int, dict] = {}
    for customer_id, number, notification in rows:
        seen.setdefault(customer_id, {"customer": customer_id, "reference": f"{number} / {notification}"})
    return list(seen.values())[:limit]


def service_cost_by_customer(since):
    """Per customer: (customer id, total of the service invoices 服务发票 made since `since`), grouped."""
    from django.db.models import Sum

    return (
        Invoice.objects.order_by()
        .filter(created_at__gte=since)
        .values("notification__customer_id")
        .annotate(total=Sum("amount"))
        .values_list("notification__customer_id", "total")
        .iterator(chunk_size=20000)
    )
