"""Applying a list's FilterSet: one rule for the worklist pages, their exports and the API."""

from __future__ import annotations

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

    return django_filters.BooleanFilter(widget=AnyYesNo, **kwargs)
