"""The worklist as .xlsx, from the same masked rows the page shows: streamed while it is read,
or a background export above `kefu.core.exports.STREAM_LIMIT` rows."""

from __future__ import annotations

from django.http import HttpResponse, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.core.errors import PermissionDenied
from kefu.core.exports import Export, register_exporter
from kefu.tickets.queries import Row


def headers() -> list[str]:
    return [
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
        _("Service clock"),
        _("Time left"),
        _("Created"),
        _("Reference document"),
        _("Payment status"),
    ]


def values(r: Row, yes: str) -> list:
    return [
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
        yes if r.urgent else "",
        r.required_start,
        r.required_end,
        r.clock.label if r.clock else "",
        r.clock.text if r.clock else "",
        r.created_at,
        r.reference_document,
        r.payment_status_label,
    ]


def _filename() -> str:
    return f"notifications-{timezone.localdate():%Y%m%d}.xlsx"


def worklist_export(user, params: QueryDict) -> Export:
    """The worklist's selection for `user` (scope and masking of the user; a bad filter raises)."""
    from kefu.tickets import queries

    if not user.has_perm("tickets.export_notification"):
        raise PermissionDenied()
    qs = queries.worklist(user, params)
    yes = _("Yes")
    return Export(
        title=_("Notifications"),
        filename=_filename(),
        headers=headers(),
        estimate=lambda cap: qs.order_by()[:cap].count(),
        rows=lambda: (values(r, yes) for r in queries.iter_rows(qs, user)),
    )


def worklist_xlsx(rows: list[Row], user) -> HttpResponse:
    """A few chosen rows (bulk action) as .xlsx."""
    from kefu.core.xlsx import XlsxWriter

    sheet = XlsxWriter()
    sheet.add_sheet(_("Notifications"), headers())
    yes = _("Yes")
    for r in rows:
        sheet.append(values(r, yes))
    return sheet.response(_filename())


register_exporter("tickets.worklist", worklist_export)
