"""Pre-aggregated counts kept exact (like SAP LIS info structures): a report over millions of
base rows reads a few thousand tally rows, one per key (a day and the record's scope columns).

Two ways to keep a tally right, both here once for every app:

- `add_to`, the incremental path: a write of a base row adds what it brings to its key's row in
  one `INSERT … ON CONFLICT (key) DO UPDATE SET c = c + excluded.c`, atomic on SQLite (≥ 3.24)
  and PostgreSQL, so two concurrent writers never lose a count. It runs in the caller's
  transaction, so the count commits or rolls back with the base row.
- `local_day_sql` and `lock_for_rebuild`, for the set-based rebuilds (`DELETE` a range of days,
  then `INSERT … SELECT … GROUP BY` the local day): the day of a stored datetime in SQL, and a
  lock that keeps incremental writers out while a range is recounted.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.db import connections, models, router
from django.db.backends.base.base import BaseDatabaseWrapper


def add_to(
    model: type[models.Model],
    key: dict[str, Any],
    amounts: dict[str, int],
    *,
    also: dict[str, Any] | None = None,
    using: str | None = None,
) -> None:
    """Add `amounts` (field → number) to the row of `model` whose unique key is `key` (field →
    value; exactly the fields of one unique constraint, NOT NULL), creating the row when it is
    missing. `also` are columns set when the row is created and left alone after (e.g. a
    nullable foreign key the key spells as 0)."""
    if not amounts:
        return
    alias = using or router.db_for_write(model)
    connection = connections[alias]
    opts = model._meta
    qn = connection.ops.quote_name
    table = qn(opts.db_table)

    def field(name: str) -> models.Field:
        return cast(models.Field, opts.get_field(name))

    def column(name: str) -> str:
        return qn(cast(str, field(name).column))

    values = {**key, **(also or {}), **amounts}
    columns = [column(name) for name in values]
    params = [field(name).get_db_prep_save(value, connection) for name, value in values.items()]
    target = ", ".join(column(name) for name in key)
    added = [column(name) for name in amounts]
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({target}) DO UPDATE SET "
        + ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in added)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def local_day_sql(column: str, zone: ZoneInfo, connection: BaseDatabaseWrapper) -> str:
    """SQL for the day in `zone` of the stored datetime `column` (an already quoted, trusted
    column reference). SQLite keeps datetimes as UTC text, so the day is shifted by the zone's
    offset: right for zones without daylight saving, like Asia/Shanghai (UTC+8 since 1991)."""
    if connection.vendor == "postgresql":
        return f"(({column}) AT TIME ZONE '{zone.key}')::date"
    if connection.vendor == "sqlite":
        winter, summer = (datetime(2000, m, 1, tzinfo=zone).utcoffset() for m in (1, 7))
        if winter != summer or winter is None:
            raise NotImplementedError(f"local days in SQLite need a zone without daylight saving: {zone}")
        return f"date({column}, '{int(winter.total_seconds() // 60):+d} minutes')"
    raise NotImplementedError(f"local days in SQL on {connection.vendor}")


def lock_for_rebuild(model: type[models.Model], connection: BaseDatabaseWrapper) -> None:
    """Inside the rebuild's transaction: no incremental `add_to` on `model` runs until it commits.

    On PostgreSQL a SHARE ROW EXCLUSIVE table lock waits for the writers that already counted
    (their base rows are then committed and recounted by the rebuild) and holds back the others
    (they add after the rebuild, to rows that do not count them). SQLite runs one writing
    transaction at a time (`transaction_mode="IMMEDIATE"`), which gives the same order."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"LOCK TABLE {connection.ops.quote_name(model._meta.db_table)} IN SHARE ROW EXCLUSIVE MODE"
            )
