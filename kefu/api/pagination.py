"""The one way API lists page: limit/offset with a bounded limit, items built by a presenter.

Presenters (not schema resolvers) build the items, so masking rules apply to exactly the rows
returned. `count` is exact up to `COUNT_CAP` and reported as capped beyond, so a list over a
million rows never pays for a full count.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

from django.utils.translation import gettext as _
from ninja import Query, Schema

from kefu.core.errors import ValidationFailed

T = TypeVar("T")
MAX_LIMIT = 200
COUNT_CAP = 10_000


class Page(Schema, Generic[T]):
    count: int
    count_capped: bool
    limit: int
    offset: int
    items: list[T]


MAX_OFFSET = 10_000_000  # beyond every list's length; keeps the SQL OFFSET a sane integer

# The query parameters of every list, with their bounds in the OpenAPI document.
LIMIT = Query(50, ge=1, le=MAX_LIMIT, description="Rows per page (1–200).")
OFFSET = Query(0, ge=0, le=MAX_OFFSET, description="Rows to skip (0–10,000,000).")


def page(
    queryset,
    *,
    limit: int,
    offset: int,
    present: Callable[[Iterable], list],
    fetch: Callable[[object, int, int], list] | None = None,
) -> dict:
    """One page; `fetch(queryset, start, stop)` may read the rows its own way (e.g. ids first)."""
    limit = max(1, min(limit, MAX_LIMIT))
    if not 0 <= offset <= MAX_OFFSET:
        message = _("Enter an offset between 0 and %(max)d.") % {"max": MAX_OFFSET}
        raise ValidationFailed(message, fields={"offset": [message]})
    rows = fetch(queryset, offset, offset + limit) if fetch else list(queryset[offset : offset + limit])
    if offset == 0 and len(rows) < limit:
        count, capped = len(rows), False
    else:
        count = queryset.order_by()[: COUNT_CAP + 1].count()
        capped = count > COUNT_CAP
        count = min(count, COUNT_CAP)
    return {"count": count, "count_capped": capped, "limit": limit, "offset": offset, "items": present(rows)}
