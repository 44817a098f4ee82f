"""The one filter definition of the customer list: used by the page, the xlsx export and the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kefu.core.filtering import yes_no_filter
from kefu.customers.choices import Channel, Grade, Maturity, Nature, Relation, Tier
from kefu.customers.models import Customer
from kefu.customers.queries import search_customers

# Sort keys users may pick; each is backed by an index or is cheap after a filter.
ORDERINGS = {
    "number": ("number",),
    "-number": ("-number",),
    "name": ("name", "number"),
    "-name": ("-name", "-number"),
    "value": ("value_amount", "id"),
    "-value": ("-value_amount", "-id"),
    "grade": ("grade", "number"),
    "tier": ("tier", "number"),
    "-updated": ("-updated_at", "-id"),
}
ORDERING_LABELS = {
    "number": _("Number ↑"),
    "-number": _("Number ↓"),
    "name": _("Name ↑"),
    "-name": _("Name ↓"),
    "value": _("Value ↑"),
    "-value": _("Value ↓"),
    "grade": _("Grade"),
    "tier": _("Pyramid tier"),
    "-updated": _("Recently changed"),
}


class CustomerFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    number = django_filters.CharFilter(
        label=_("Customer number"), field_name="number", method="filter_number"
    )
    nature = django_filters.ChoiceFilter(label=_("Nature"), choices=Nature.choices)
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=Channel.choices)
    relation = django_filters.ChoiceFilter(label=_("Business relation"), choices=Relation.choices)
    maturity = django_filters.ChoiceFilter(label=_("Maturity"), choices=Maturity.choices)
    grade = django_filters.ChoiceFilter(label=_("Grade"), choices=Grade.choices)
    tier = django_filters.ChoiceFilter(label=_("Pyramid tier"), choices=Tier.choices)
    segment = django_filters.TypedChoiceFilter(
        label=_("Customer segment"), choices=[], coerce=int, method="filter_segment"
    )
    region = django_filters.CharFilter(label=_("Region"), field_name="region", method="filter_prefix")
    office = django_filters.CharFilter(label=_("Responsibility centre"), field_name="sales_office__code")
    responsible = django_filters.CharFilter(
        label=_("Responsible staff (personnel number)"), field_name="responsible__personnel_number"
    )
    key_account = yes_no_filter(label=_("Key accounts only"), field_name="is_key_account")
    flagged = yes_no_filter(label=_("Warnings"), method="filter_flagged")
    active = yes_no_filter(label=_("Active"), field_name="is_active")
    ordering = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=list(ORDERING_LABELS.items()), method="filter_ordering", empty_label=None
    )

    class Meta:
        model = Customer
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from kefu.customers.queries import segment_choices

        # The latest segmentation's segments (客户分类); the form is built after this line.
        self.filters["segment"].extra["choices"] = segment_choices()
        for field in self.form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def filter_prefix(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # A range, not LIKE 'x%': the (field, number) index serves it on SQLite and PostgreSQL alike.
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(**{f"{name}__gte": value, f"{name}__lt": value + "\U0010ffff"})

    def filter_number(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # The number's prefix from the unique index (SQLite's LIKE would walk all of it).
        from django.db import connections

        from kefu.core.search import prefix_q

        return queryset.filter(prefix_q(name, value, vendor=connections[queryset.db].vendor))

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return search_customers(queryset, value.strip(), user=getattr(self, "user", None))

    def filter_flagged(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(anomaly_mask__gt=0) if value else queryset.filter(anomaly_mask=0)

    def filter_segment(self, queryset: QuerySet, name: str, value: int | None) -> QuerySet:
        if not value:
            return queryset
        # A semi-join on the membership index (segment, customer): no duplicate rows, no DISTINCT.
        from kefu.customers.models import CustomerSegment

        return queryset.filter(pk__in=CustomerSegment.objects.filter(segment_id=value).values("customer_id"))

    def filter_ordering(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.order_by(*ORDERINGS.get(value, ORDERINGS["number"]))

    @property
    def qs(self) -> QuerySet:
        qs = super().qs
        if not getattr(self.form, "cleaned_data", {}).get("ordering"):
            qs = qs.order_by("number")
        return qs


def filtered_customers(user, params) -> tuple[CustomerFilterSet, QuerySet[Customer]]:
    """Apply the list filters to what `user` may see; the queryset is ordered and ready to page."""
    from kefu.customers.queries import customers_for

    filterset = CustomerFilterSet(params or None, queryset=customers_for(user))
    filterset.user = user  # the search asks the personal-data rule what this reader may match
    return filterset, filterset.qs
