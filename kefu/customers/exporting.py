"""Export of the filtered customer list to .xlsx (openpyxl write-only: rows streamed to disk).

Rows go through the same masked read model as the page and the API; every export is logged in
the personal-data access log with the filters used and the number of rows.
"""

from __future__ import annotations

import tempfile

from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.core.errors import PermissionDenied
from kefu.customers import services
from kefu.customers.choices import AccessAction
from kefu.customers.filtersets import filtered_customers
from kefu.customers.queries import can_see_personal_data, present_customer

MAX_EXPORT_ROWS = 200_000


def columns() -> list[tuple[str, str]]:
    return [
        ("number", _("Customer number")),
        ("name", _("Name")),
        ("nature_label", _("Nature")),
        ("phone", _("Phone")),
        ("mobile", _("Mobile")),
        ("email", _("E-mail")),
        ("address", _("Address")),
        ("region", _("Region")),
        ("channel_label", _("Channel")),
        ("grade", _("Grade")),
        ("tier_label", _("Pyramid tier")),
        ("value_amount", _("Value")),
        ("sales_office", _("Responsibility centre")),
        ("responsible", _("Responsible staff")),
        ("key_account_manager", _("Key-account manager")),
    ]


def export_customers(user, params) -> tuple[str, tempfile.SpooledTemporaryFile, int]:
    """Write the user's filtered list (at most MAX_EXPORT_ROWS) to an xlsx file; returns name, file, rows."""
    from kefu.core.xlsx import XlsxWriter

    if not user.has_perm("customers.export_customer"):
        raise PermissionDenied()
    _filterset, qs = filtered_customers(user, params)
    blanket = can_see_personal_data(user)
    sheet = XlsxWriter()
    cols = columns()
    sheet.add_sheet(_("Customers"), [label for _key, label in cols])
    count = 0
    for customer in qs[:MAX_EXPORT_ROWS].iterator(chunk_size=2000):
        row = present_customer(customer, user, unmasked=True if blanket else None)
        sheet.append([getattr(row, key) for key, _label in cols])
        count += 1
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - FileResponse closes it
    sheet.save(out)
    out.seek(0)
    services.log_access(
        user,
        action=AccessAction.EXPORT,
        detail={
            "rows": count,
            "filters": {k: v for k, v in dict(params or {}).items() if v},
            "unmasked": blanket,
        },
    )
    name = f"customers-{timezone.localtime():%Y%m%d-%H%M}.xlsx"
    return name, out, count
