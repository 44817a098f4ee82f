"""The one pager of Kefu's pages 分页: a page of a big list without COUNT(*) over a million rows.

One extra row tells whether there is a next page; a count is taken only when asked, and capped.
Page numbers come from the query string as users (and probes) type them: anything that is not a
page number reads as page 1, and a page past MAX_PAGE reads as MAX_PAGE (an OFFSET of millions
is a scan). The API pages by limit/offset in `kefu.api.pagination`.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet

PER_PAGE = 50
MAX_PAGE = 2000
COUNT_CAP = 1_000  # beyond this a page says "more than 1,000": counting further costs a scan

Fetch = Callable[[QuerySet, int, int], list]


def page_number(value) -> int:
    """A page number from a query-string value: 1 … MAX_PAGE, never an error."""
    text = str(value or "1").strip()
    # isdigit() also takes "²" and int() of 5,000 digits refuses: only short ASCII digits count.
    if not (text.isascii() and text.isdigit()):
        return 1
    return max(1, min(int(text), MAX_PAGE)) if len(text) <= 12 else MAX_PAGE


class BoundedPage:
    """Rows of page `number` (Django Page-like for the templates' pager) and whether more follow.

    `fetch(qs, start, stop)` reads the rows its own way (e.g. ids first, then the rows)."""

    def __init__(self, qs: QuerySet, number, per_page: int = PER_PAGE, *, fetch: Fetch | None = None):
        self.number = page_number(number)
        offset = (self.number - 1) * per_page
        stop = offset + per_page + 1
        rows = fetch(qs, offset, stop) if fetch else list(qs[offset:stop])
        self.has_next = len(rows) > per_page
        self.object_list = rows[:per_page]
        self.has_previous = self.number > 1
        self.start_index = offset + 1 if self.object_list else 0
        self.end_index = offset + len(self.object_list)
        self._qs = qs

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def capped_count(self, cap: int = COUNT_CAP) -> tuple[int, bool]:
        """How many rows the whole list has, up to `cap`, and whether there are more."""
        if not self.has_next and self.number == 1:
            return len(self.object_list), False
        count = self._qs.order_by()[: cap + 1].count()
        return min(count, cap), count > cap


def query_without_page(request) -> str:
    """The page's own query string (filters, search) for the pager's links, without `page`."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
