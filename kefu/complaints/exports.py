"""xlsx exports (openpyxl, write-only so large lists stream through memory in constant space)."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpResponse
from django.utils.translation import gettext as _

from kefu.core.xlsx import XlsxWriter

EXPORT_LIMIT = 50_000


def xlsx_response(filename: str, sheets: Iterable[tuple[str, list[str], Iterable[list]]]) -> HttpResponse:
    writer = XlsxWriter()
    for title, headers, rows in sheets:
        writer.add_sheet(title, headers)
        for row in rows:
            writer.append(row)
    return writer.response(filename)


def complaint_sheet(rows) -> tuple[str, list[str], Iterable[list]]:
    headers = [
        _("Complaint number"),
        _("Received at"),
        _("Customer number"),
        _("Customer"),
        _("Key account"),
        _("Subject"),
        _("Status"),
        _("Complaint content"),
        _("Complaint cause"),
        _("Severity"),
        _("Handling department"),
        _("Responsibility centre"),
        _("Handler"),
        _("Contact phone"),
        _("Step deadline"),
        _("Time left"),
    ]
    return (
        _("Complaints"),
        headers,
        (
            [
                r.number,
                r.received_at,
                r.customer_number,
                r.customer,
                r.is_key_account,
                r.subject,
                r.status,
                r.content_class,
                r.cause_class,
                r.severity,
                r.handling_department,
                r.sales_office,
                r.owner,
                r.contact_phone,
                r.deadline,
                r.time_left,
            ]
            for r in rows
        ),
    )


def accident_sheet(rows) -> tuple[str, list[str], Iterable[list]]:
    headers = [
        _("Accident number"),
        _("Occurred at"),
        _("Kind"),
        _("Place"),
        _("Shipment"),
        _("Carrier"),
        _("Customer"),
        _("Responsibility centre"),
        _("Insured"),
        _("Estimated loss (CNY)"),
        _("Final loss (CNY)"),
        _("Severity"),
        _("Responsibility"),
        _("Handling method"),
        _("Amount claimed (CNY)"),
        _("Amount recovered (CNY)"),
        _("Status"),
        _("Time left"),
    ]
    return (
        _("Accidents"),
        headers,
        (
            [
                r.number,
                r.occurred_at,
                r.kind,
                r.place,
                r.shipment,
                r.carrier,
                r.customer,
                r.sales_office,
                r.is_insured,
                r.estimated_loss,
                r.final_loss,
                r.severity,
                r.responsibility,
                r.handling_method,
                r.amount_claimed,
                r.amount_recovered,
                r.status,
                r.time_left,
            ]
            for r in rows
        ),
    )


def grouped_sheet(title: str, label: str, groups: list[dict], columns: list[tuple[str, str]]):
    headers = [label, *[str(name) for _key, name in columns]]
    return title, headers, ([g["label"], *[g.get(key) or 0 for key, _name in columns]] for g in groups)
