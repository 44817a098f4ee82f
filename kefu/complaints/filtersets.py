"""One filter definition per list, shared by the page, the xlsx export and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kefu.complaints import queries
from kefu.complaints.choices import (
    AccidentKind,
    AccidentSeverity,
    CauseClass,
    ComplaintSeverity,
    ContentClass,
    Responsibility,
)
from kefu.complaints.models import Accident, Carrier, Complaint
from kefu.core.filtering import day_filter, yes_no_filter
from kefu.core.pickers import PickerInput
from kefu.customers.widgets import CustomerPicker
from kefu.worktime import clock

OPEN_CHOICES = [("open", _("Open")), ("closed", _("Closed")), ("all", _("All"))]


class _Base(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    open = django_filters.ChoiceFilter(
        choices=OPEN_CHOICES, method="by_open", label=_("Open or closed"), empty_label=None
    )
    status = django_filters.CharFilter(field_name="status__code", label=_("Status"))
    office = django_filters.CharFilter(field_name="sales_office__code", label=_("Responsibility centre"))
    overdue = yes_no_filter(method="by_overdue", label=_("Overdue only"))
    status_source = ""  # the picker of the list's statuses (kefu.core.pickers)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.status_source:  # F4 on the status: code, name or pinyin initials
            self.filters["status"].extra["widget"] = PickerInput(source=self.status_source)

    def by_open(self, qs, name, value):
        if value == "closed":
            return qs.filter(is_open=False)
        if value == "all":
            return qs
        return qs.filter(is_open__in=[True])

    def by_overdue(self, qs, name, value):
        if value:
            overdue = qs.filter(is_open__in=[True], step_deadline__lt=clock.now())
            if self.Meta.model is Complaint:
                # Both key-account groups named ("IN (1, 0)"): SQLite then seeks the overdue range
                # of each in the worklist index (cmp_worklist), in the list's order, and stops at
                # the page (it used to read every overdue row from an index of its own and sort them).
                overdue = overdue.filter(is_key_account__in=[True, False])
            return overdue
        return qs

    @property
    def qs(self):
        # "open" is the default view of a worklist: apply it even when the parameter is absent.
        queryset = super().qs
        value = self.data.get("open") if self.data else None
        if not value or value == "open":
            queryset = queryset.filter(
                is_open__in=[True]
            )  # "IN (1)", not a bare column: SQLite uses the index
            if self.Meta.model is Complaint:
                # the worklist index order: key accounts first, then the nearest deadline
                queryset = queryset.order_by("-is_key_account", "step_deadline", "id")
        return queryset


class ComplaintFilterSet(_Base):
    status_source = "complaint_status"
    content_class = django_filters.ChoiceFilter(choices=ContentClass.choices, label=_("Complaint content"))
    cause_class = django_filters.ChoiceFilter(choices=CauseClass.choices, label=_("Complaint cause"))
    severity = django_filters.ChoiceFilter(choices=ComplaintSeverity.choices, label=_("Severity"))
    key_account = yes_no_filter(field_name="is_key_account", label=_("Key accounts only"))
    material = django_filters.CharFilter(
        field_name="material_code", label=_("Material number"), widget=PickerInput(source="material")
    )
    customer = django_filters.CharFilter(
        field_name="customer__number", label=_("Customer number"), widget=CustomerPicker()
    )
    received_from = day_filter(field_name="received_at", label=_("Received from"))
    received_to = day_filter(field_name="received_at", until=True, label=_("Received to"))

    class Meta:
        model = Complaint
        fields = []

    def search(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        return queries.search_complaints(qs, value)


class AccidentFilterSet(_Base):
    status_source = "accident_status"
    kind = django_filters.ChoiceFilter(choices=AccidentKind.choices, label=_("Kind"))
    severity = django_filters.ChoiceFilter(choices=AccidentSeverity.choices, label=_("Severity"))
    responsibility = django_filters.ChoiceFilter(choices=Responsibility.choices, label=_("Responsibility"))
    carrier = django_filters.CharFilter(field_name="carrier__code", label=_("Carrier code"))
    occurred_from = day_filter(field_name="occurred_at", label=_("Occurred from"))
    occurred_to = day_filter(field_name="occurred_at", until=True, label=_("Occurred to"))

    class Meta:
        model = Accident
        fields = []

    def search(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        return queries.search_accidents(qs, value)


class CarrierFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    status = django_filters.CharFilter(field_name="status", label=_("Cooperation status"))

    class Meta:
        model = Carrier
        fields = []

    def search(self, qs, name, value):
        value = value.strip()
        return qs.filter(Q(code=value) | Q(name__contains=value)) if value else qs
