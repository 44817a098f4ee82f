"""Bulk loading for the scale-data generators (`manage.py generate`): rows straight into tables.

The ORM's `bulk_create` spends ~30 µs per row building model instances and SQL; a generator
making a million records with their items, history and search rows cannot afford it. Here the
generator hands over plain tuples of database-ready values and they go in with the cheapest path
each database has:

- SQLite: `executemany` on the driver connection (one prepared statement, no per-row SQL);
- PostgreSQL: `COPY … FROM STDIN` through psycopg 3's `cursor.copy` (`write_row`).

Both run inside the caller's transaction, so a failed batch leaves nothing behind. Values are
given in one representation that both databases read the same way as the ORM writes them:
datetimes as UTC text from `stamp()` (Django keeps SQLite datetimes as UTC text and sets the
PostgreSQL session to UTC), dates as ISO text, decimals as `str`, booleans as `bool`, JSON as
`json.dumps` text, PostgreSQL arrays as lists.

Columns the generator does not give get their model field's default, rendered once.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal

from django.core.management.color import no_style
from django.db import connections, models

UTC = dt.UTC


class Laps:
    """Time spent per step of a generator (`lap(name)` closes the step that just ran): wall seconds,
    this process's CPU seconds and, when the database server runs on this machine and its process
    can be read (PostgreSQL on localhost), the server process's CPU seconds. On a busy machine the
    CPU figures are the ones to compare."""

    def __init__(self, using: str = "default") -> None:
        self.totals: dict[str, list[float]] = {}
        self.server = _server_stat(using)
        self.last = self._now()

    def _now(self) -> tuple[float, float, float]:
        return (time.perf_counter(), time.process_time(), _server_cpu(self.server))

    def lap(self, name: str) -> None:
        now = self._now()
        total = self.totals.setdefault(name, [0.0, 0.0, 0.0])
        for i in range(3):
            total[i] += now[i] - self.last[i]
        self.last = now

    def __str__(self) -> str:
        if self.server:
            return ", ".join(f"{name} {w:.1f}/{c:.1f}/{s:.1f}" for name, (w, c, s) in self.totals.items())
        return ", ".join(f"{name} {w:.1f}/{c:.1f}" for name, (w, c, _s) in self.totals.items())

    def legend(self) -> str:
        return "wall/CPU/database CPU seconds" if self.server else "wall/CPU seconds"


def _server_stat(using: str) -> str:
    """/proc/<pid>/stat of the connection's PostgreSQL backend, if it runs here and can be read."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return ""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:  # a server elsewhere: the same pid here is some other process, or none
        with open(f"/proc/{pid}/comm") as comm:
            if not comm.read().startswith("postgres"):
                return ""
    except OSError:
        return ""
    return f"/proc/{pid}/stat"


def _server_cpu(path: str) -> float:
    if not path:
        return 0.0
    try:
        with open(path) as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def stamp(value: dt.datetime) -> str:
    """A datetime as the ORM stores it (UTC, 'YYYY-MM-DD HH:MM:SS[.ffffff]')."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return str(value)


def _db_value(field: models.Field, value):
    if value is None or isinstance(value, bool | int | float | str):
        if isinstance(field, models.JSONField):
            return json.dumps(value)
        return value
    if isinstance(value, dt.datetime):
        return stamp(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(field, models.JSONField):
        return json.dumps(value)
    return str(value)


class Table:
    """A model's table, the columns a generator gives (field names) and defaults for the rest."""

    def __init__(self, model: type[models.Model], fields: Sequence[str]):
        opts = model._meta
        self.model = model
        self.name = opts.db_table
        given = [opts.get_field(name) for name in fields]
        columns = [str(f.column) for f in given]  # type: ignore[union-attr]
        rest = [f for f in opts.concrete_fields if f.column not in columns and not f.primary_key]
        constant = []
        for field in rest:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                raise ValueError(f"{model.__name__}.{field.name}: a generator must give this time")
            default = field.get_default()
            if default is None and not field.null:
                raise ValueError(f"{model.__name__}.{field.name} has no default: give a value")
            constant.append(_db_value(field, default))
        self.columns: list[str] = columns + [str(f.column) for f in rest]
        self.constant = tuple(constant)


def write(table: Table, rows: Iterable[tuple], *, using: str = "default") -> int:
    """Insert `rows` (tuples in the order of the fields given to `table`); returns how many."""
    return write_raw(table.name, table.columns, rows, constant=table.constant, using=using)


def write_raw(
    name: str, columns: Sequence[str], rows: Iterable[tuple], *, constant: tuple = (), using: str = "default"
) -> int:
    """Insert rows into any table (also one without a model, e.g. a search index table)."""
    connection = connections[using]
    qn = connection.ops.quote_name
    column_list = ", ".join(qn(c) for c in columns)
    count = 0
    if connection.vendor == "postgresql":
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY {qn(name)} ({column_list}) FROM STDIN") as copy,
        ):
            write_row = copy.write_row
            if constant:
                for row in rows:
                    write_row(row + constant)
                    count += 1
            else:
                for row in rows:
                    write_row(row)
                    count += 1
        return count
    connection.ensure_connection()
    marks = ", ".join("?" * len(columns))
    sql = f"INSERT INTO {qn(name)} ({column_list}) VALUES ({marks})"
    if connection.vendor == "sqlite":  # the driver connection: no per-row wrapper or SQL rewriting
        rows = list(rows) if not constant else [row + constant for row in rows]
        connection.connection.executemany(sql, rows)
        return len(rows)
    with connection.cursor() as cursor:  # any other database: the ordinary DB-API path
        rows = [row + constant for row in rows]
        cursor.executemany(sql.replace("?", "%s"), rows)
        return len(rows)


def prepare(using: str = "default") -> None:
    """Session settings for a bulk load: a page cache that holds the indexes being filled and
    sorts on several cores for index builds (SQLite),
    commits that do not wait for the disk flush (PostgreSQL; a crash loses at most the last
    batches, never consistency)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA cache_size=-1048576")  # 1 GiB
            # index builds after the load sort with helper threads (one per core, up to four)
            cursor.execute(f"PRAGMA threads={min(os.cpu_count() or 1, 4)}")
        elif connection.vendor == "postgresql":
            cursor.execute("SET synchronous_commit TO off")
            cursor.execute("SET maintenance_work_mem TO '512MB'")


@contextmanager
def deferred_indexes(
    *models_: type[models.Model], rows: int, using: str = "default", laps: Laps | None = None
) -> Iterator[None]:
    """Around a load of `rows` new rows into these models' tables: when a table holds fewer rows
    than that, its plain (non-unique) indexes are dropped and created again at the end, however
    the load ends; one index build is several times cheaper than a million index inserts. Unique
    indexes, primary keys and check constraints stay in place throughout.

    On PostgreSQL the table's foreign keys are dropped too: Django makes them DEFERRABLE INITIALLY
    DEFERRED, so every row's check queues a trigger that runs at COMMIT (a million notifications
    with their items, partners and entries spent most of their load in COMMIT). They come back
    as ``NOT VALID`` (enforced again from then on) and are then validated, one join per key over
    the whole table; a row pointing nowhere fails the load there, and the key stays enforced.
    Meant for generators on a database nobody else writes to meanwhile."""
    connection = connections[using]
    qn = connection.ops.quote_name
    recreate: list[str] = []
    keys: list[tuple[str, str, str]] = []  # (table, constraint, definition)
    if connection.in_atomic_block:
        # Inside a caller's transaction (a test, a load in one transaction) PostgreSQL refuses
        # index DDL on a table with pending foreign-key checks: keep the indexes, fill them as we go.
        yield
        return
    with connection.cursor() as cursor:
        for model in models_:
            table = model._meta.db_table
            cursor.execute(f"SELECT count(*) FROM (SELECT 1 FROM {qn(table)} LIMIT %s) AS held", [rows])
            if cursor.fetchone()[0] >= rows:
                continue
            with connection.cursor() as introspect:
                constraints = connection.introspection.get_constraints(introspect, table)
            for name, info in constraints.items():
                if not info["index"] or info["unique"] or info["primary_key"]:
                    continue
                if connection.vendor == "sqlite":
                    cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = %s", [name])
                elif connection.vendor == "postgresql":
                    cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [name])
                else:
                    continue
                found = cursor.fetchone()
                if not found or not found[0]:
                    continue
                recreate.append(found[0])
                cursor.execute(f"DROP INDEX {qn(name)}")
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
                    " WHERE conrelid = %s::regclass AND contype = 'f'",
                    [table],
                )
                for name, definition in cursor.fetchall():
                    keys.append((table, name, definition))
                    cursor.execute(f"ALTER TABLE {qn(table)} DROP CONSTRAINT {qn(name)}")
    try:
        yield
    finally:
        if recreate or keys:
            with connection.cursor() as cursor:
                for sql in recreate:
                    cursor.execute(sql)
                if laps:
                    laps.lap("index builds")
                for table, name, definition in keys:
                    add = f"ADD CONSTRAINT {qn(name)} {definition} NOT VALID"
                    cursor.execute(f"ALTER TABLE {qn(table)} {add}")
                for table, name, _definition in keys:
                    cursor.execute(f"ALTER TABLE {qn(table)} VALIDATE CONSTRAINT {qn(name)}")
                if laps:
                    laps.lap("foreign key checks")


def next_ids(model: type[models.Model], *also: str, using: str = "default") -> int:
    """The first free id of `model` (beyond ids used by the tables in `also`, e.g. its search
    index, and beyond SQLite's AUTOINCREMENT high-water mark): generators give ids up front so
    items, history and search rows can point at rows not yet written."""
    connection = connections[using]
    table = model._meta.db_table
    qn = connection.ops.quote_name
    pk = qn(str(model._meta.pk.column))
    highest = 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX({pk}) FROM {qn(table)}")
        highest = cursor.fetchone()[0] or 0
        if connection.vendor == "sqlite":
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            highest = max(highest, row[0] if row else 0)
        elif connection.vendor == "postgresql":
            cursor.execute("SELECT last_value FROM pg_sequences WHERE sequencename = %s", [f"{table}_id_seq"])
            row = cursor.fetchone()
            highest = max(highest, (row[0] or 0) if row else 0)
        for other in also:
            key = "rowid" if connection.vendor == "sqlite" else "id"
            cursor.execute(f"SELECT MAX({key}) FROM {qn(other)}")
            highest = max(highest, cursor.fetchone()[0] or 0)
    return highest + 1


def reset_sequences(*models_: type[models.Model], using: str = "default") -> None:
    """After writing explicit ids: move PostgreSQL's id sequences past them (SQLite keeps track)."""
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def analyze(*tables: str, using: str = "default") -> None:
    """Fresh planner statistics after a bulk load (both databases misjudge filters without them)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"{_analyze_verb(connection)} {connection.ops.quote_name(table)}")


def _analyze_verb(connection) -> str:
    """PostgreSQL, outside a transaction: VACUUM too. A table written by COPY has no visibility map
    until autovacuum comes by, and until then an index-only scan (the keyword search's cover index)
    reads every row's heap page as well: the 锁芯打不开 worklist at 1M took 67 ms of SQL, 27 after."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        return "VACUUM (ANALYZE)"
    return "ANALYZE"
