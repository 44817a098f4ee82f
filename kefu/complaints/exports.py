"""xlsx exports: the complaint and accident lists (streamed, or a job when big) and the reports."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.http import HttpResponse, QueryDict
from django.utils.translation import gettext as _

from kefu.core.errors import PermissionDenied
from kefu.core.exports import Export, in_batches, register_exporter
from kefu.core.xlsx import XlsxWriter


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


def _stamp() -> str:
    from django.utils import timezone

    from kefu.worktime import clock

    return timezone.localtime(clock.now()).strftime("%Y%m%d%H%M")


def complaint_list_export(user, params: QueryDict) -> Export:
    """The complaint list's selection for `user` (scope, masking), streamed or as a job."""
    from kefu.complaints import queries
    from kefu.complaints.filtersets import ComplaintFilterSet

    if not user.has_perm("complaints.view_complaint"):
        raise PermissionDenied()
    qs = ComplaintFilterSet(params or None, queryset=queries.complaints_for(user)).qs
    title, headers, _rows = complaint_sheet([])

    def rows() -> Iterator[list]:
        present = lambda batch: queries.present_complaints(batch, user)  # noqa: E731
        return complaint_sheet(in_batches(qs.iterator(chunk_size=2000), present))[2]

    return Export(
        title=title,
        filename=f"客诉清单_{_stamp()}.xlsx",
        headers=headers,
        estimate=lambda cap: qs.order_by()[:cap].count(),
        rows=rows,
    )


def accident_list_export(user, params: QueryDict) -> Export:
    """The accident list's selection for `user`, streamed or as a job."""
    from kefu.complaints import queries
    from kefu.complaints.filtersets import AccidentFilterSet

    if not user.has_perm("complaints.view_accident"):
        raise PermissionDenied()
    qs = AccidentFilterSet(params or None, queryset=queries.accidents_for(user)).qs
    title, headers, _rows = accident_sheet([])
    return Export(
        title=title,
        filename=f"服务事故清单_{_stamp()}.xlsx",
        headers=headers,
        estimate=lambda cap: qs.order_by()[:cap].count(),
        rows=lambda: accident_sheet(in_batches(qs.iterator(chunk_size=2000), queries.present_accidents))[2],
    )


register_exporter("complaints.complaints", complaint_list_export)
register_exporter("complaints.accidents", accident_list_export)
