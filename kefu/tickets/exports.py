"""The worklist as .xlsx (openpyxl, write-only), from the same masked rows the page shows."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _


def worklist_xlsx(rows, user) -> HttpResponse:
    from kefu.core.xlsx import XlsxWriter

    sheet = XlsxWriter()
    sheet.add_sheet(
        _("Notifications"),
        [
            _("Notification"),
            _("Type"),
            _("User status"),
            _("System status"),
            _("Description"),
            _("Customer number"),
            _("Customer"),
            _("Object address"),
            _("Contact person"),
            _("Contact phone"),
            _("Main work centre"),
            _("Person responsible"),
            _("Responsibility centre"),
            _("Priority"),
            _("Urgent"),
            _("Required start"),
            _("Required end"),
            _("Created"),
            _("Reference document"),
            _("Payment status"),
        ],
    )
    for r in rows:
        sheet.append(
            [
                r.number,
                r.type,
                f"{r.status} {r.status_name}",
                r.stage_label,
                r.description,
                r.customer_number,
                r.customer,
                r.object_address,
                r.contact_name,
                r.contact_phone,
                r.work_centre,
                r.responsible,
                r.sales_office,
                r.priority_label,
                _("Yes") if r.urgent else "",
                r.required_start,
                r.required_end,
                r.created_at,
                r.reference_document,
                r.payment_status_label,
            ]
        )
    return sheet.response(f"notifications-{timezone.localdate():%Y%m%d}.xlsx")
