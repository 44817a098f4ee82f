"""Prepared querysets: a hot query's SQL compiled once per shape, not on every request.

Django compiles a queryset to SQL each time it runs. For the one-row lookups of a detail page
that costs more than the database does: the notification page's lookup (scope filter, four
select_related tables) took ~3 ms to compile and well under 1 ms to run. `fetch` keeps the
compiled SQL of a shape and runs it again with new values, building model instances with
Django's own iterable, so callers get the same objects the queryset would have returned.

    rows = fetch(("tickets.page", scope), lambda pk: Notification.objects...filter(pk=pk), pk=42)

- `key` must name every input of `build` other than the slots (e.g. the user's scope: another
  scope is another SQL text), because `build` runs only once per key.
- Slots are the values that change between runs of one shape: int or str only (they reach the
  SQL parameters unchanged; dates and decimals are converted by the ORM and could not be found).
- Model rows and `values_list` tuples are supported; `prefetch_related` is not (refused).
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, ValuesListIterable
from django.db.models.sql.compiler import SQLCompiler

MAX_SHAPES = 4096  # per process; a shape is a few KB (keys carry a user's scope)

_shapes: OrderedDict[Hashable, _Shape | None] = OrderedDict()
_lock = threading.Lock()


@dataclass(frozen=True)
class _Shape:
    queryset: QuerySet
    compiler: SQLCompiler
    sql: str
    params: tuple
    slots: dict[str, tuple[int, ...]]  # slot name -> positions in params
    # The column converters, found on the first run: Django looks them up for every column of
    # every run (a dozen-table page lookup: ~380 lookups, a tenth of the notification page).
    converters: dict = field(default_factory=dict, compare=False)


def _sentinel(index: int, value: Any) -> int | str:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError(f"prepared slots take int or str, not {type(value).__name__}")
    # Inside a 32-bit integer column's range: PostgreSQL's `integer` ids compile an out-of-range
    # value to "no rows" (Django's integer overflow rule), which would prepare an empty shape.
    return 2_000_000_000 + index if isinstance(value, int) else f"\x00kefu-slot-{index}\x00"


def _prepare(build: Callable[..., QuerySet], values: dict[str, Any]) -> _Shape | None:
    sentinels = {name: _sentinel(i, value) for i, (name, value) in enumerate(values.items())}
    queryset = build(**sentinels)
    if queryset._prefetch_related_lookups:  # type: ignore[attr-defined]
        raise ValueError("prepared querysets cannot prefetch")
    if queryset._iterable_class not in (ModelIterable, ValuesListIterable):
        raise ValueError("prepared querysets return model rows or values_list tuples")
    compiler = queryset.query.get_compiler(using=queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return None  # e.g. visible_to() of someone who may see nothing: no query at all
    params = tuple(params)
    slots = {}
    for name, sentinel in sentinels.items():
        positions = tuple(i for i, param in enumerate(params) if param == sentinel)
        if not positions:
            raise ValueError(f"slot {name!r} did not reach the SQL parameters")
        slots[name] = positions
    return _Shape(queryset, compiler, sql, params, slots)


class _Run:
    """What ModelIterable reads of a queryset, with the prepared compiler in place of a new one."""

    def __init__(self, shape: _Shape, compiler: SQLCompiler) -> None:
        self.db = shape.queryset.db
        self.model = shape.queryset.model
        self.query = self
        self._known_related_objects: dict = {}
        self._compiler = compiler

    def get_compiler(self, using=None, connection=None, elide_empty=True) -> SQLCompiler:
        return self._compiler


def _converters(shape: _Shape, compiler: SQLCompiler, expressions: list) -> dict:
    # One shape is one SQL text on one database: the same columns, the same converters. They are
    # called with the running connection, so the first run's lookup serves every thread.
    # Keyed by the expressions themselves (a copied compiler shares them with the shape's).
    key = tuple(map(id, expressions))
    known = shape.converters.get(key)
    if known is None:
        known = shape.converters[key] = SQLCompiler.get_converters(compiler, expressions)
    return known


def fetch(key: Hashable, build: Callable[..., QuerySet], /, **values: Any) -> list:
    """The rows of `build(**values)`, compiling its SQL only the first time `key` is seen."""
    with _lock:
        known = key in _shapes
        shape = _shapes.get(key)
        if known:
            _shapes.move_to_end(key)
    if not known:
        shape = _prepare(build, values)
        with _lock:
            _shapes[key] = shape
            while len(_shapes) > MAX_SHAPES:
                _shapes.popitem(last=False)
    if shape is None:
        return []
    if any(isinstance(v, int) and not -(2**63) <= v < 2**63 for v in values.values()):
        return []  # no 64-bit column holds it (the ORM answers such lookups with no rows too)
    params = list(shape.params)
    for name, positions in shape.slots.items():
        for position in positions:
            params[position] = values[name]
    compiler = copy.copy(shape.compiler)
    compiler.connection = connections[shape.queryset.db]  # this thread's connection
    sql, bound = shape.sql, tuple(params)
    compiler.as_sql = lambda *args, **kwargs: (sql, bound)  # type: ignore[method-assign]
    compiler.get_converters = partial(_converters, shape, compiler)  # type: ignore[method-assign]
    if shape.queryset._iterable_class is ValuesListIterable:
        return [tuple(row) for row in compiler.results_iter(compiler.execute_sql())]  # type: ignore[arg-type]
    rows: list = list(ModelIterable(_Run(shape, compiler)))  # type: ignore[arg-type]
    code_fields = getattr(shape.queryset, "_code_fields", ())
    if code_fields and rows:
        from kefu.core import buffer

        buffer.attach(rows, *code_fields)
    return rows


_EXISTS_SQL: dict[tuple, str] = {}


def which_exist(relations: tuple[tuple[type[Model], str], ...], value: int) -> list[bool]:
    """For each (model, field) whether some row has that field = `value`, in one query: a page whose
    cards are mostly empty asks once instead of once per card (each empty fetch still costs a
    round trip and the ORM's row machinery). The SQL text is built once per `relations`."""
    sql = _EXISTS_SQL.get(relations)
    if sql is None:
        quote = connections["default"].ops.quote_name
        columns = [
            str(model._meta.get_field(name).get_attname_column()[1])  # type: ignore[union-attr]
            for model, name in relations
        ]
        sql = "SELECT " + ", ".join(
            f"EXISTS (SELECT 1 FROM {quote(model._meta.db_table)} WHERE {quote(column)} = %s)"
            for (model, _name), column in zip(relations, columns, strict=True)
        )
        _EXISTS_SQL[relations] = sql
    with connections["default"].cursor() as cursor:
        cursor.execute(sql, [value] * len(relations))
        return [bool(found) for found in cursor.fetchone()]


def clear() -> None:
    """Forget every prepared shape (tests that change models' SQL at run time)."""
    with _lock:
        _shapes.clear()
