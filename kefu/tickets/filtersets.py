"""The worklist selection (IW59): one FilterSet shared by the list page, the .xlsx export and the API."""

from __future__ import annotations

import django_filters as filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.tickets.choices import Priority
from kefu.tickets.models import Notification
from kefu.workflow.choices import Stage


class NotificationFilter(filters.FilterSet):
    q = filters.CharFilter(label=_("Keyword"), method="filter_keyword")
    stage = filters.MultipleChoiceFilter(label=_("System status"), choices=Stage.choices, distinct=False)
    status = filters.CharFilter(label=_("User status"), method="filter_status")
    type = filters.CharFilter(label=_("Notification type"), method="filter_type")
    created_from = filters.DateFilter(
        label=_("Created from"), field_name="created_at", lookup_expr="date__gte"
    )
    created_to = filters.DateFilter(label=_("Created to"), field_name="created_at", lookup_expr="date__lte")
    due_to = filters.DateFilter(label=_("Required end by"), field_name="required_end", lookup_expr="lte")
    customer = filters.CharFilter(label=_("Customer"), method="filter_customer")
    work_centre = filters.CharFilter(label=_("Main work centre"), field_name="work_centre__code")
    responsible = filters.CharFilter(
        label=_("Person responsible"), field_name="responsible__personnel_number"
    )
    sales_office = filters.CharFilter(label=_("Responsibility centre"), field_name="sales_office__code")
    priority = filters.MultipleChoiceFilter(label=_("Priority"), choices=Priority.choices, distinct=False)
    urgent = filters.BooleanFilter(label=_("Urgent"))
    overdue = filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")
    reference_document = filters.CharFilter(label=_("Reference document"))

    class Meta:
        model = Notification
        fields: list[str] = []

    def filter_keyword(self, queryset, name, value):
        from kefu.tickets.queries import keyword_filter

        return keyword_filter(queryset, value)

    def filter_type(self, queryset, name, value):
        codes = [c.strip().upper() for c in value.replace(" ", ",").split(",") if c.strip()]
        return queryset.filter(type__code__in=codes) if codes else queryset

    def filter_status(self, queryset, name, value):
        codes = [c.strip().upper() for c in value.split(",") if c.strip()]
        if "KCWB" in codes:
            codes.append("KCJS")
        return queryset.filter(status__code__in=codes) if codes else queryset

    def filter_customer(self, queryset, name, value):
        value = value.strip()
        if value.isdigit():
            return queryset.filter(customer__number=value)
        return queryset.filter(customer__name__contains=value)

    def filter_overdue(self, queryset, name, value):
        condition = Q(stage__in=Stage.open_values(), required_end__lt=timezone.localdate())
        return queryset.filter(condition) if value else queryset.exclude(condition)
