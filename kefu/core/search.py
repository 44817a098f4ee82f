"""Substring search 模糊查询 (Chinese, digits, Latin) that stays fast at millions of rows.

`icontains` is a full table scan; this module keeps a small search index per searchable
model (an "index", named like the app, e.g. "customers" or "tickets") and turns a search
term into a `pk__in` filter that reads the index instead.

How it works (the same n-gram scheme on both databases):
- Every document is a list of field values (name, number, phone digits, contact names …).
  Each field is normalised (case-folded, everything but letters and digits dropped) and cut
  into the grams starting at each character: ``field[i:i+3]`` — trigrams, with the last two
  being a bigram and a single character. Fields are separated by a token nobody types.
- SQLite: an FTS5 table ``search_<index>`` (unicode61 tokenizer over the space-separated
  grams, ``detail=full`` so positions are kept, ``prefix='1 2'``). A term of 3+ characters
  becomes the phrase of its trigrams (consecutive positions = exact substring); a term of 1–2
  characters becomes a prefix query ``"ab"*`` on the gram index. Works for 2-character
  Chinese names, which FTS5's own ``trigram`` tokenizer cannot index.
- PostgreSQL: a table ``search_<index>(id, grams text[], body)`` with a GIN index on the
  distinct trigrams and bigrams; a term of 2+ characters needs all its grams (GIN) and is
  rechecked with ``body LIKE '%term%'``. It does not depend on the database's ctype (pg_trgm
  ignores Chinese characters under the C locale we run with). A 1-character term scans.

Public API (keep it small):

    install(schema_editor, index)            # in a migration: RunPython(...) creates the table
    uninstall(schema_editor, index)          # its reverse
    index_documents(index, docs, using=...)  # upsert [(pk, [field, field, ...]), ...]
    append_documents(index, docs, using=...)  # bulk loads: documents of new rows only
    remove_documents(index, pks, using=...)
    substring_filter(queryset, term, *, index)  # queryset narrowed to documents containing term
    substring_filter_in_order(queryset, term, *, index, common)  # the same, for a worklist's page
    matching_ids(index, term, *, limit)          # the first `limit` pks containing term (no join)
    prefix_q(field, prefix, *, vendor)           # "starts with", answered from the field's own index

Services call `index_documents` after every write that changes searched fields (bulk paths,
imports and generators call it with batches); the index is data derived from the rows, so it
can be rebuilt at any time from them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from django.db import connections
from django.db.models import CharField, Func, Q, QuerySet
from django.db.models.expressions import RawSQL

SEPARATOR = "ǂǂǂ"  # a letter (Lo) nobody types: keeps a phrase from spanning two fields
_NOT_ALNUM = re.compile(r"[\W_]+")
_NAME_OK = set("abcdefghijklmnopqrstuvwxyz0123456789_")


def _table(index: str) -> str:
    if not index or set(index) - _NAME_OK:
        raise ValueError(f"bad search index name: {index!r}")
    return f"search_{index}"


def normalize(text: str | None) -> str:
    """Case-folded letters and digits only: '申齐 保健-食品' → '申齐保健食品', '138-1234' → '1381234'."""
    if not text:
        return ""
    folded = str(text).casefold()
    if folded.isalnum():  # names, numbers, digits-only phones: nothing to drop (bulk loads)
        return folded
    return _NOT_ALNUM.sub("", folded)  # \w is str.isalnum() plus "_" (re's documentation)


def grams(field: str) -> list[str]:
    """The gram starting at each character: trigrams, then the last bigram and the last character."""
    field = normalize(field)
    return [field[i : i + 3] for i in range(len(field))]


def _sqlite_body(fields: Iterable[str]) -> str:
    parts = [" ".join(g) for g in (grams(f) for f in fields) if g]
    return f" {SEPARATOR} ".join(parts)


def _pg_row(fields: Iterable[str]) -> tuple[list[str], str]:
    normalised = [normalize(f) for f in fields]
    found: set[str] = set()
    for text in normalised:
        size = len(text)
        found.update([text[i : i + 3] for i in range(size - 2)])
        found.update([text[i : i + 2] for i in range(size - 1)])
    return sorted(found), "|".join(t for t in normalised if t)


class _Memo:
    """The per-field work of a bulk load (`append_documents`), remembered for texts that come
    again: names, fixed phrases, the words of a long text after its leading date and time. A
    field is split at the end of its leading digits: the grams starting in the digits (a number,
    a timestamp: new each time) are cut afresh, the grams of the rest are looked up. The split
    can be anywhere without changing the result, since every gram starts at one position."""

    LIMIT = 200_000

    def __init__(self) -> None:
        self.pg: dict[str, frozenset[str]] = {}
        self.sqlite: dict[str, str] = {}

    @staticmethod
    def split(text: str) -> int:
        return _LEADING_DIGITS.match(text).end()  # type: ignore[union-attr]

    def pg_grams(self, text: str) -> frozenset[str] | list[str]:
        """`text` normalised: its trigrams and bigrams, as `_pg_row` collects them."""
        size = len(text)
        k = self.split(text)
        head = [text[i : i + 3] for i in range(min(k, size - 2))]
        head += [text[i : i + 2] for i in range(min(k, size - 1))]
        if k == size:
            return head
        rest = text[k:]
        found = self.pg.get(rest)
        if found is None:
            if len(self.pg) > self.LIMIT:
                self.pg.clear()
            n = len(rest)
            found = self.pg[rest] = frozenset(
                [rest[i : i + 3] for i in range(n - 2)] + [rest[i : i + 2] for i in range(n - 1)]
            )
        return found.union(head) if head else found

    def sqlite_grams(self, text: str) -> str:
        """`text` normalised: its grams space-separated, as `_sqlite_body` writes them."""
        k = self.split(text)
        head = " ".join([text[i : i + 3] for i in range(k)])
        if k == len(text):
            return head
        rest = text[k:]
        found = self.sqlite.get(rest)
        if found is None:
            if len(self.sqlite) > self.LIMIT:
                self.sqlite.clear()
            found = self.sqlite[rest] = " ".join([rest[i : i + 3] for i in range(len(rest))])
        return f"{head} {found}" if head else found

    def sqlite_body(self, fields: Iterable[str]) -> str:
        grams = self.sqlite_grams
        return f" {SEPARATOR} ".join([grams(t) for t in map(normalize, fields) if t])

    def pg_row(self, fields: Iterable[str]) -> tuple[str, str]:
        """`_pg_row` with the grams as an array literal (COPY reads it as text[]; grams are
        letters and digits only, so nothing needs quoting)."""
        normalised = [t for t in map(normalize, fields) if t]
        found: set[str] = set()
        for text in normalised:
            found.update(self.pg_grams(text))
        return "{" + ",".join(sorted(found)) + "}", "|".join(normalised)


_LEADING_DIGITS = re.compile(r"[0-9]*")


# --- Installing (migrations) ------------------------------------------------------------------


def install(schema_editor, index: str) -> None:
    """Create the index table for the connection's database (call from RunPython)."""
    table = _table(index)
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {table} USING fts5("
            "body, tokenize='unicode61 remove_diacritics 0', prefix='1 2', detail=full)"
        )
    elif vendor == "postgresql":
        schema_editor.execute(
            f"CREATE TABLE IF NOT EXISTS {table} "
            "(id bigint PRIMARY KEY, grams text[] NOT NULL, body text NOT NULL)"
        )
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {table}_grams ON {table} USING gin (grams)")
    else:  # other databases: substring_filter falls back to a scan
        return


def uninstall(schema_editor, index: str) -> None:
    if schema_editor.connection.vendor in ("sqlite", "postgresql"):
        schema_editor.execute(f"DROP TABLE IF EXISTS {_table(index)}")


# --- Maintaining ------------------------------------------------------------------------------


def analyze_index(index: str, *, using: str = "default") -> None:
    """Fresh planner statistics for an index table after a bulk load (PostgreSQL: without them
    the planner misjudges the scope filters next to the grams and scans the whole table; SQLite's
    FTS table keeps no statistics)."""
    from kefu.core.bulkload import analyze

    if connections[using].vendor == "postgresql":
        analyze(_table(index), using=using)


def index_documents(index: str, docs: Iterable[tuple[int, Sequence[str]]], *, using: str = "default") -> int:
    """Insert or replace documents `(pk, [field values])`; returns how many were written."""
    table = _table(index)
    connection = connections[using]
    rows = list(docs)
    if not rows:
        return 0
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.executemany(f"DELETE FROM {table} WHERE rowid = %s", [(pk,) for pk, _f in rows])
            cursor.executemany(
                f"INSERT INTO {table}(rowid, body) VALUES (%s, %s)", [(pk, _sqlite_body(f)) for pk, f in rows]
            )
        elif connection.vendor == "postgresql":
            values = [(pk, *_pg_row(f)) for pk, f in rows]
            cursor.executemany(
                f"INSERT INTO {table}(id, grams, body) VALUES (%s, %s, %s) "
                "ON CONFLICT (id) DO UPDATE SET grams = EXCLUDED.grams, body = EXCLUDED.body",
                values,
            )
    return len(rows)


def append_documents(index: str, docs: Iterable[tuple[int, Sequence[str]]], *, using: str = "default") -> int:
    """Add documents for rows that have none yet (bulk loads of new rows): no delete or upsert
    per row, COPY on PostgreSQL. Same rows as `index_documents` writes."""
    from kefu.core.bulkload import write_raw

    connection = connections[using]
    table = _table(index)
    memo = _MEMO
    if connection.vendor == "sqlite":
        body = memo.sqlite_body
        return write_raw(table, ["rowid", "body"], ((pk, body(f)) for pk, f in docs), using=using)
    if connection.vendor == "postgresql":
        row = memo.pg_row
        return write_raw(table, ["id", "grams", "body"], ((pk, *row(f)) for pk, f in docs), using=using)
    return 0


_MEMO = _Memo()  # bounded; shared by the batches of a load


@contextmanager
def bulk_load(index: str, *, rows: int, using: str = "default", laps=None) -> Iterator[None]:
    """Around a load of `rows` new documents (generators): on PostgreSQL, when they are at least as
    many as the index holds, its GIN index is dropped and built again at the end, however the load
    ends (one build is many times faster than as many GIN inserts). Meanwhile searches stay right,
    by scanning. SQLite's FTS5 tables need nothing."""
    connection = connections[using]
    table = _table(index)
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        # Inside a caller's transaction (a test, a load in one transaction) index DDL would wait
        # on its pending foreign-key checks: the index stays and is filled row by row.
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM (SELECT 1 FROM {table} LIMIT %s) AS held", [rows])
        if cursor.fetchone()[0] >= rows:
            rebuild = False
        else:
            cursor.execute(f"DROP INDEX IF EXISTS {table}_grams")
            rebuild = True
    try:
        yield
    finally:
        if rebuild:
            with connection.cursor() as cursor:
                cursor.execute(f"CREATE INDEX IF NOT EXISTS {table}_grams ON {table} USING gin (grams)")
            if laps:  # a bulkload.Laps
                laps.lap("search index build")


def remove_documents(index: str, pks: Iterable[int], *, using: str = "default") -> None:
    table = _table(index)
    connection = connections[using]
    key = "rowid" if connection.vendor == "sqlite" else "id"
    if connection.vendor not in ("sqlite", "postgresql"):
        return
    with connection.cursor() as cursor:
        cursor.executemany(f"DELETE FROM {table} WHERE {key} = %s", [(pk,) for pk in pks])


# --- Querying ---------------------------------------------------------------------------------


def match_sql(index: str, term: str, *, vendor: str) -> tuple[str, list] | None:
    """SQL selecting the pks of documents containing `term`, or None when the term is empty."""
    table = _table(index)
    term = normalize(term)
    if not term:
        return None
    if vendor == "sqlite":
        if len(term) >= 3:
            query = '"' + " ".join(term[i : i + 3] for i in range(len(term) - 2)) + '"'
        else:
            query = f'"{term}"*'
        return f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [query]
    if vendor == "postgresql":
        pattern = f"%{term}%"
        if len(term) == 1:
            return f"SELECT id FROM {table} WHERE body LIKE %s", [pattern]
        wanted = sorted({term[i : i + 3] for i in range(len(term) - 2)} or {term})
        return f"SELECT id FROM {table} WHERE grams @> %s::text[] AND body LIKE %s", [wanted, pattern]
    return None


def substring_filter(queryset: QuerySet, term: str, *, index: str) -> QuerySet:
    """`queryset` narrowed to rows whose indexed fields contain `term` (empty term: unchanged)."""
    vendor = connections[queryset.db].vendor
    sql = match_sql(index, term, vendor=vendor)
    if sql is None:
        if normalize(term):  # a database without an index: correct but slow
            return queryset.none()
        return queryset
    return queryset.filter(pk__in=RawSQL(*sql))


def substring_filter_in_order(queryset: QuerySet, term: str, *, index: str, common: int) -> QuerySet:
    """`substring_filter` for a list read in the order of one of its indexes (a worklist): the
    same rows, and a first page that does not wait for every match of a common term.

    A term in more than `common` documents (公司 is in most customer names) would have all its
    matches joined and sorted for page one. On SQLite such a term walks the list's order index
    instead and tests each row against the matches (`+` keeps SQLite from driving the query by
    the match list); a rarer term is driven by its matches, as `substring_filter` does. The
    count is the whole index's: a term common overall but rare inside a narrow list (a centre's
    worklist) walks more of the order index than its matches would have cost.
    PostgreSQL's planner weighs the two itself from its statistics."""
    connection = connections[queryset.db]
    sql = match_sql(index, term, vendor=connection.vendor)
    if sql is not None and connection.vendor == "sqlite":
        query, params = sql
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM ({query} LIMIT {int(common) + 1})", params)
            many = cursor.fetchone()[0] > common
        if many:
            meta = queryset.model._meta
            column = f"{connection.ops.quote_name(meta.db_table)}.{connection.ops.quote_name(meta.pk.column)}"
            return queryset.extra(where=[f"+{column} IN ({query})"], params=params)
    return substring_filter(queryset, term, index=index)


def matching_ids(index: str, term: str, *, limit: int, using: str = "default") -> list[int]:
    """Up to `limit` pks of documents containing `term`, read from the index alone (no join with
    the rows, no order): the index can stop at `limit`, so a piece found everywhere costs as
    little as a rare one. For rankers that only need to know "these few" or "too many"."""
    connection = connections[using]
    sql = match_sql(index, term, vendor=connection.vendor)
    if sql is None:
        return []
    query, params = sql
    with connection.cursor() as cursor:
        cursor.execute(f"{query} LIMIT %s", [*params, int(limit)])
        return [row[0] for row in cursor.fetchall()]


def prefix_q(field: str, prefix: str, *, vendor: str) -> Q:
    """Rows whose `field` starts with `prefix`, written so that the field's index answers it.

    SQLite's LIKE ignores the case of ASCII letters, so ``number LIKE '30001000%'`` never uses an
    index: with ``ORDER BY number LIMIT 20`` it walks the whole unique index testing every row
    (90 ms at a million customers for a prefix far down the order). There the prefix becomes the
    range ``prefix <= field < prefix with its last character + 1``, which under the column's
    binary collation holds exactly the strings starting with `prefix` (case counts, as it does in
    PostgreSQL). PostgreSQL keeps ``LIKE 'prefix%'``: Django gives every indexed CharField a
    ``*_like`` pattern index that answers it under any collation."""
    if not prefix:
        return Q()
    if vendor != "sqlite":
        return Q(**{f"{field}__startswith": prefix})
    last = ord(prefix[-1]) + 1
    if 0xD800 <= last <= 0xDFFF:  # no surrogate is a character SQLite can store: the next one is
        last = 0xE000
    if last > 0x10FFFF:
        return Q(**{f"{field}__startswith": prefix})
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix[:-1] + chr(last)})


class Tail(Func):
    """The last `length` characters of a text column, for an expression index and its lookups.

    An expression index is used only for the identical expression, and SQLite takes a bound
    parameter for a different one: Django's ``Right("mobile", 4)`` sends the 4 as a parameter, so
    ``SUBSTR(mobile, (? * -1), ?)`` never matches the index built from literals and the lookup
    reads every row. Here the length is written into the SQL text, the same in the index and in
    the query; only the compared value is a parameter."""

    arity = 1
    output_field = CharField()

    def __init__(self, expression, length: int) -> None:
        self.length = int(length)
        super().__init__(expression, length=self.length)

    def as_sql(self, compiler, connection, function=None, template=None, arg_joiner=None, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        if connection.vendor == "postgresql":
            return f"RIGHT({sql}, {self.length})", params
        return f"SUBSTR({sql}, -{self.length})", params
