"""Query-count assertions: every list and detail page has a fixed number of queries."""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext


@contextmanager
def assert_max_queries(limit: int):
    with CaptureQueriesContext(connection) as ctx:
        yield ctx
    count = len(ctx.captured_queries)
    if count > limit:
        listing = "\n".join(f"{i + 1}. {q['sql'][:200]}" for i, q in enumerate(ctx.captured_queries))
        raise AssertionError(f"{count} queries, expected at most {limit}:\n{listing}")
