"""The worklist selection (IW59): one FilterSet shared by the list page, the .xlsx export and the API."""

from __future__ import annotations

import datetime as dt

import django_filters as filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.core.filtering import FilterSet, day_filter, yes_no_filter
from kefu.tickets.choices import ClockFilter, Priority
from kefu.tickets.models import Notification, NotificationType
from kefu.workflow.choices import Stage


def _ids(queryset) -> list[int]:
    return list(queryset.values_list("pk", flat=True)[:50]) or [0]


class NotificationFilter(FilterSet):
    q = filters.CharFilter(label=_("Keyword"), method="filter_keyword")
    stage = filters.MultipleChoiceFilter(label=_("System status"), choices=Stage.choices, distinct=False)
    status = filters.CharFilter(label=_("User status"), method="filter_status")
    type = filters.CharFilter(label=_("Notification type"), method="filter_type")
    created_from = day_filter(field_name="created_at", label=_("Created from"))
    created_to = day_filter(field_name="created_at", until=True, label=_("Created to"))
    notification_date = filters.DateFilter(label=_("Notification date"), field_name="notification_date")
    notified_from = filters.DateFilter(
        label=_("Notification date from"), field_name="notification_date", lookup_expr="gte"
    )
    notified_to = filters.DateFilter(
        label=_("Notification date to"), field_name="notification_date", lookup_expr="lte"
    )
    due_to = filters.DateFilter(label=_("Required end by"), field_name="required_end", lookup_expr="lte")
    customer = filters.CharFilter(label=_("Customer"), method="filter_customer")
    work_centre = filters.CharFilter(label=_("Main work centre"), method="filter_work_centre")
    responsible = filters.CharFilter(label=_("Person responsible"), method="filter_responsible")
    sales_office = filters.CharFilter(label=_("Responsibility centre"), method="filter_sales_office")
    priority = filters.MultipleChoiceFilter(label=_("Priority"), choices=Priority.choices, distinct=False)
    urgent = yes_no_filter(label=_("Urgent"))
    overdue = yes_no_filter(label=_("Overdue"), method="filter_overdue")
    reference_document = filters.CharFilter(label=_("Reference document"))
    clock = filters.ChoiceFilter(label=_("Service clock"), choices=ClockFilter.choices, method="filter_clock")

    class Meta:
        model = Notification
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, user=None, **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        self.user = user  # whose keyword search it is: a masked reader searches digits by the rule

    def filter_keyword(self, queryset, name, value):
        from kefu.tickets.queries import keyword_filter

        return keyword_filter(queryset, value, user=self.user)

    # Codes are resolved to ids first, so the database compares the indexed id columns directly
    # (a join on the code would keep it from using the composite worklist indexes).
    def filter_type(self, queryset, name, value):
        codes = [c.strip().upper() for c in value.replace(" ", ",").split(",") if c.strip()]
        if not codes:
            return queryset
        return queryset.filter(type_id__in=_ids(NotificationType.objects.filter(code__in=codes)))

    def filter_work_centre(self, queryset, name, value):
        from kefu.org.models import WorkCentre

        return queryset.filter(work_centre_id__in=_ids(WorkCentre.objects.filter(code=value.strip())))

    def filter_sales_office(self, queryset, name, value):
        from kefu.org.models import SalesOffice

        return queryset.filter(sales_office_id__in=_ids(SalesOffice.objects.filter(code=value.strip())))

    def filter_responsible(self, queryset, name, value):
        from kefu.org.models import Staff

        return queryset.filter(responsible_id__in=_ids(Staff.objects.filter(personnel_number=value.strip())))

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

    def filter_clock(self, queryset, name, value):
        """Late: the running clock's due has passed; due today: it passes before midnight. Both are
        ranges of the partial index of running clocks (tk_clock_due and its scoped siblings)."""
        from kefu.worktime import clock

        now = clock.now()
        if value == ClockFilter.LATE:
            return queryset.filter(clock_due__lte=now)
        if value == ClockFilter.TODAY:
            midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
            return queryset.filter(clock_due__gt=now, clock_due__lt=midnight + dt.timedelta(days=1))
        return queryset

    def filter_overdue(self, queryset, name, value):
        condition = Q(stage__in=Stage.open_values(), required_end__lt=timezone.localdate())
        return queryset.filter(condition) if value else queryset.exclude(condition)


# --- 跨部门协作 cross-department disputes (seed 004) -------------------------------------------
def _dispute_statuses() -> list[tuple[str, str]]:
    from kefu.tickets.models import DISPUTE_PROFILE
    from kefu.workflow.models import Status

    statuses = Status.objects.filter(profile__code=DISPUTE_PROFILE).order_by("order")
    return [(s.code, s.display_name) for s in statuses]


def _departments(request=None):
    from kefu.org.models import Department

    return Department.objects.filter(is_active=True).order_by("code")


class DisputeFilter(filters.FilterSet):
    """The list of disputes: by status, and by a department on any side (requesting, in
    disagreement, or ruled responsible)."""

    status = filters.ChoiceFilter(label=_("Status"), choices=_dispute_statuses, field_name="status__code")
    department = filters.ModelChoiceFilter(
        label=_("Department"), queryset=_departments, to_field_name="code", method="filter_department"
    )

    class Meta:
        from kefu.tickets.models import Dispute

        model = Dispute
        fields: list[str] = []

    def filter_department(self, queryset, name, value):
        from kefu.tickets.models import Dispute

        involved = Dispute.objects.filter(
            Q(requesting_department=value) | Q(other_departments=value) | Q(responsible_department=value)
        ).values("pk")
        return queryset.filter(pk__in=involved)
