"""Applying a list's FilterSet: one rule for the worklist pages, their exports and the API."""

from __future__ import annotations

import copy

import django_filters
from django.http import QueryDict
from django_filters.filters import FilterMethod, QuerySetRequestMixin

from kefu.core.errors import ValidationFailed


def filter_error(filterset) -> ValidationFailed:
    """The filterset's bad values as a ValidationFailed naming each field (400 in the API; a
    message next to the filters and an empty list on a page)."""
    fields = {name: [str(m) for m in messages] for name, messages in filterset.errors.items()}
    first = next(iter(fields.values()), [None])[0]
    return ValidationFailed(first, fields=fields)


def yes_no_filter(**kwargs):
    """A yes/no filter whose empty choice reads 全部 (any), not 未知 (unknown): an untouched filter
    must not look like a selection. Accepts true/false and 1/0."""
    import django_filters
    from django.utils.translation import gettext_lazy as _
    from django_filters.widgets import BooleanWidget

    class AnyYesNo(BooleanWidget):
        def __init__(self, attrs=None):
            super().__init__(attrs)
            self.choices = (("", _("Any")), ("true", _("Yes")), ("false", _("No")))

    def indexed(queryset, name, value):
        # "col IN (1)" is an index key on SQLite; the bare "col" Django writes for col=True is not,
        # so a composite index (stage, urgent, …) would be read for every row of the stage.
        return queryset if value is None else queryset.filter(**{f"{name}__in": [value]})

    kwargs.setdefault("method", indexed)
    return django_filters.BooleanFilter(widget=AnyYesNo, **kwargs)


def day_filter(*, field_name: str, until: bool = False, **kwargs):
    """A date filter on a date-time column that the column's index serves: the day's bound in the
    site's time zone (from 00:00 / before the next day's 00:00), not a conversion of every row's
    value to a date (on SQLite a Python call per row of the table)."""
    import datetime as dt

    import django_filters
    from django.utils import timezone

    def bound(queryset, name, value):
        if value is None:
            return queryset
        midnight = timezone.make_aware(dt.datetime.combine(value, dt.time.min))
        if until:
            return queryset.filter(**{f"{field_name}__lt": midnight + dt.timedelta(days=1)})
        return queryset.filter(**{f"{field_name}__gte": midnight})

    return django_filters.DateFilter(method=bound, **kwargs)


class FilterSet(django_filters.FilterSet):
    """django-filters' FilterSet at a list page's price: the filters are copied shallowly (per
    request a filter only gets its `parent` and `model`) instead of deep-copied, and the form class
    is built once per FilterSet class (its fields are deep-copied by each form, as Django does).
    A filter whose field depends on the request (a queryset callable) keeps the per-request form;
    a FilterSet that changes its filters' fields per instance (choices, widgets) must not use it."""

    _form_classes: dict[type, type] = {}

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {name: copy.copy(filter_) for name, filter_ in self.base_filters.items()}
        for filter_ in self.filters.values():
            filter_.model = queryset.model
            filter_.parent = self
            filter_.extra = dict(filter_.extra)  # a change on one page never reaches the next
            if isinstance(filter_.filter, FilterMethod):
                filter_.filter = FilterMethod(filter_)  # the copy's own, resolving on this parent

    def get_form_class(self):
        cls = type(self)
        form_class = FilterSet._form_classes.get(cls)
        if form_class is None:
            form_class = super().get_form_class()
            if not any(isinstance(f, QuerySetRequestMixin) for f in self.filters.values()):
                FilterSet._form_classes[cls] = form_class
        return form_class
