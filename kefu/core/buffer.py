"""Buffered customizing data 配置数据缓冲: small code tables read by every write, kept per process.

Like SAP's table buffer: notification types, status profiles, transitions, catalogue and org
codes change a few times a year, yet a single IW51 create read a dozen of them. A process keeps
what it read; any save or delete of a watched model bumps one shared generation number, which
every worker checks at most once a second per thread (in Redis when configured, else the
modification time of a stamp file in the var directory, which the web workers of one machine
share) and starts afresh.

Rules that keep it correct:
- Only committed data is buffered: once a transaction has written a watched table, nothing read
  in it is stored, so a row written and rolled back can never be served. Writes bump the
  generation at once and again after commit, so a reader that loaded between the two cannot
  keep what it read.
- Entries also expire after `TTL` seconds, a safety net for writes that bypass signals (raw SQL).
- Buffer model instances only; callers must not change what they get back.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar, cast

from django.conf import settings
from django.core.cache import cache
from django.db import connection, models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

T = TypeVar("T")

TTL = 300.0
_GENERATION_KEY = "kefu:buffer:generation"
_entries: dict[str, tuple[float, int, object]] = {}
_lock = threading.Lock()
_watched: set[type[models.Model]] = set()
log = logging.getLogger(__name__)
_DIRTY = "_kefu_buffer_dirty"  # on the thread's connection: its open transaction wrote a watched table


def _stamp() -> Path | None:
    """The stamp file when the cache is local to each process (no Redis), else None."""
    if "LocMemCache" in settings.CACHES["default"]["BACKEND"]:
        return Path(settings.VAR_DIR) / "buffer.generation"
    return None


_GENERATION_SECONDS = 1.0  # how long a thread trusts the shared generation it last read
_seen = threading.local()


def _generation() -> int:
    """The shared generation, read at most once a second per thread (a write elsewhere is seen
    within a second; one in this process clears the entries at once)."""
    now = time.monotonic()
    if getattr(_seen, "until", 0.0) > now:
        return _seen.value
    value = _read_generation()
    # A negative generation means "unknown" (Redis down): trusted by no entry and not kept.
    _seen.value, _seen.until = value, (now + _GENERATION_SECONDS if value >= 0 else 0.0)
    return value


_warned_at = [0.0]
_down_until = [0.0]  # after a failure Redis is not asked again for a few seconds
_RETRY_SECONDS = 5.0


def _shared_store_down(exc: Exception) -> int:
    """Redis unreachable: serve from the database (a generation nobody holds, so no entry is
    trusted) and say so in the log at most once a minute, never failing the request."""
    _down_until[0] = time.monotonic() + _RETRY_SECONDS
    if time.monotonic() - _warned_at[0] > 60:
        _warned_at[0] = time.monotonic()
        log.warning("customizing buffer: shared generation unavailable (%s); reading the database", exc)
    return -time.monotonic_ns()


def _read_generation() -> int:
    stamp = _stamp()
    if stamp is None:
        if _down_until[0] > time.monotonic():
            return -time.monotonic_ns()
        try:
            return cache.get(_GENERATION_KEY) or 0
        except Exception as exc:  # redis.ConnectionError and friends
            return _shared_store_down(exc)
    try:
        return stamp.stat().st_mtime_ns
    except FileNotFoundError:
        return 0


def _bump_generation() -> None:
    _seen.until = 0.0  # this thread reads the new generation at its next lookup
    stamp = _stamp()
    if stamp is not None:
        stamp.touch()
        os.utime(stamp, ns=(time.time_ns(), max(time.time_ns(), _read_generation() + 1)))
        return
    try:
        try:
            cache.incr(_GENERATION_KEY)
        except ValueError:  # not set yet (or evicted)
            cache.set(_GENERATION_KEY, int(time.time()), None)
    except Exception as exc:  # Redis down: other workers' entries expire within TTL
        _shared_store_down(exc)


def get(key: str, loader: Callable[[], T]) -> T:
    """The buffered value of `key`, loaded by `loader` when missing, stale or outdated."""
    generation = _generation()
    now = time.monotonic()
    hit = _entries.get(key)
    if hit is not None and hit[1] == generation and hit[0] > now:
        return hit[2]  # type: ignore[return-value]
    value = loader()
    if not _wrote_in_transaction():
        with _lock:
            _entries[key] = (now + TTL, generation, value)
    return value


def clear() -> None:
    """Forget everything this process buffered and start this thread's transaction afresh."""
    with _lock:
        _entries.clear()
    setattr(connection, _DIRTY, False)
    _seen.until = 0.0


def invalidate(*_args, **_kwargs) -> None:
    """A watched table changed: every process reloads at its next lookup."""
    clear()
    _bump_generation()


def _wrote_in_transaction() -> bool:
    """Did the open transaction of this thread write a watched table? (False outside one.)"""
    if not connection.in_atomic_block:
        setattr(connection, _DIRTY, False)  # whatever wrote has committed or rolled back
        return False
    return getattr(connection, _DIRTY, False)


def _changed(sender, **kwargs) -> None:
    invalidate()
    if connection.in_atomic_block:
        setattr(connection, _DIRTY, True)
        transaction.on_commit(invalidate)


def watch(*model_classes: type[models.Model]) -> None:
    """Invalidate the buffer whenever one of `model_classes` (or its many-to-many) is written."""
    for model in model_classes:
        if model in _watched:
            continue
        _watched.add(model)
        uid = f"kefu.buffer.{model._meta.label_lower}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}.save", weak=False)
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}.delete", weak=False)
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                _changed, sender=field.remote_field.through, dispatch_uid=f"{uid}.{field.name}", weak=False
            )


def watch_many_to_many(model: type[models.Model]) -> None:
    """Invalidate the buffer when a many-to-many of `model` changes, not on its own saves (the
    user: group memberships matter to buffered permissions, a login's `last_login` does not)."""
    uid = f"kefu.buffer.{model._meta.label_lower}"
    for field in model._meta.local_many_to_many:
        m2m_changed.connect(
            _changed, sender=field.remote_field.through, dispatch_uid=f"{uid}.{field.name}", weak=False
        )


def by_code(model: type[models.Model], code: str, **filters) -> models.Model | None:
    """The record of `model` with `code` (and `filters`), buffered; None when there is none."""
    key = f"{model._meta.label_lower}:{code}:{sorted(filters.items())}"
    return get(key, lambda: model._default_manager.filter(code=code, **filters).first())


def table(model: type[models.Model]) -> dict[int, models.Model]:
    """Every row of a small watched code table by primary key, buffered."""
    if model not in _watched:
        raise ValueError(f"{model._meta.label} is not watched by the buffer")
    return get(f"table:{model._meta.label_lower}", lambda: model._default_manager.in_bulk())


def attach(instances: list[models.Model], *fields: str) -> None:
    """Set the foreign keys `fields` of `instances` to the buffered rows of their code tables,
    instead of joining them: a row the buffer does not know yet (written in another process
    within the last second) is left to load on access."""
    if not instances:
        return
    meta = instances[0]._meta
    for name in fields:
        field = cast(models.ForeignKey, meta.get_field(name))
        rows = table(field.related_model)
        for obj in instances:
            related = rows.get(getattr(obj, field.attname))
            if related is not None:
                field.set_cached_value(obj, related)


class CodeTablesQuerySet(models.QuerySet):
    """`with_code_tables(*fields)`: the rows come with these foreign keys set from the buffer
    (see `attach`) rather than by joins or prefetch queries."""

    _code_fields: tuple[str, ...] = ()

    def with_code_tables(self, *fields: str):
        clone = self._chain()  # type: ignore[attr-defined]
        clone._code_fields = (*self._code_fields, *fields)
        return clone

    def _clone(self):
        clone = super()._clone()  # type: ignore[misc]
        clone._code_fields = self._code_fields
        return clone

    def _fetch_all(self) -> None:
        fresh = self._result_cache is None
        super()._fetch_all()
        rows = cast(list, self._result_cache)
        if fresh and self._code_fields and rows and isinstance(rows[0], models.Model):
            attach(rows, *self._code_fields)

    def _iterator(self, use_chunked_fetch, chunk_size):
        """`iterator()` (exports, sweeps) bypasses `_fetch_all`: attach per chunk, or every row
        would read its code tables by a query of its own."""
        rows = super()._iterator(use_chunked_fetch, chunk_size)  # type: ignore[misc]
        if not self._code_fields:
            yield from rows
            return
        batch: list = []
        for row in rows:
            batch.append(row)
            if len(batch) >= (chunk_size or 2000):
                yield from self._attached(batch)
                batch = []
        yield from self._attached(batch)

    def _attached(self, batch: list) -> list:
        if batch and isinstance(batch[0], models.Model):
            attach(batch, *self._code_fields)
        return batch
