"""Export of the filtered customer list to .xlsx (streamed, or a background job when big).

Rows go through the same masked read model as the page and the API; every export is logged in
the personal-data access log with the filters used and the number of rows.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kefu.core.errors import PermissionDenied
from kefu.core.exports import Export, register_exporter
from kefu.customers import services
from kefu.customers.choices import AccessAction
from kefu.customers.filtersets import filtered_customers
from kefu.customers.queries import can_see_personal_data, present_customer

# What a row reads (present_customer and the personal-data rule), so an export of a million
# customers builds narrow instances; a field missing here would cost a query per row (a test counts).
ROW_FIELDS = (
    "number",
    "name",
    "nature",
    "phone",
    "mobile",
    "email",
    "address",
    "region",
    "channel",
    "relation",
    "maturity",
    "grade",
    "tier",
    "value_amount",
    "sales_office",
    "responsible__name",
    "is_key_account",
    "key_account_manager__name",
    "anomaly_mask",
    "is_active",
    "version",
)


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
        ("value_amount", pgettext("customers", "Value")),
        ("sales_office", _("Responsibility centre")),
        ("responsible", _("Responsible staff")),
        ("key_account_manager", _("Key-account manager")),
    ]


def customer_export(user, params: QueryDict) -> Export:
    """The user's filtered list, masked as on the page; logged in the personal-data access log
    with its filters and row count when it is written (streamed, or later as a job)."""
    if not user.has_perm("customers.export_customer"):
        raise PermissionDenied()
    _filterset, qs = filtered_customers(user, params)
    blanket = can_see_personal_data(user)
    cols = columns()
    filters = {k: v for k, v in dict(params.items() if params else {}).items() if v}

    def rows() -> Iterator[list]:
        count = 0
        for customer in qs.only(*ROW_FIELDS).iterator(chunk_size=2000):  # any size: big ones run as a job
            row = present_customer(customer, user, unmasked=True if blanket else None)
            yield [getattr(row, key) for key, _label in cols]
            count += 1
        services.log_access(
            user, action=AccessAction.EXPORT, detail={"rows": count, "filters": filters, "unmasked": blanket}
        )

    return Export(
        title=_("Customers"),
        filename=f"customers-{timezone.localtime():%Y%m%d-%H%M}.xlsx",
        headers=[label for _key, label in cols],
        estimate=lambda cap: qs.order_by()[:cap].count(),
        rows=rows,
    )


register_exporter("customers.customers", customer_export)
