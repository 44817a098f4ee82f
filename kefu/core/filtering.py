"""Applying a list's FilterSet: one rule for the worklist pages, their exports and the API."""

from __future__ import annotations

from kefu.core.errors import ValidationFailed


def filter_error(filterset) -> ValidationFailed:
    """The filterset's bad values as a ValidationFailed naming each field (400 in the API; a
    message next to the filters and an empty list on a page)."""
    fields = {name: [str(m) for m in messages] for name, messages in filterset.errors.items()}
    first = next(iter(fields.values()), [None])[0]
    return ValidationFailed(first, fields=fields)
