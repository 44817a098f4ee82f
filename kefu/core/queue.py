"""Putting work on the task queue 任务队列 without ever failing the request that asks.

With Redis as the queue, Redis down must not turn a saved record into a 500: the write has
committed, and every task Kefu queues from a request has a periodic sweep that finds its work
again (mail: `channels.tasks.retry_pending_mail_task`, every minute). So a failed enqueue is
logged and reported, not raised.
"""

from __future__ import annotations

import logging
import time

log = logging.getLogger(__name__)
_WARN_EVERY = 60.0
_last_warning = 0.0


def enqueue(task, *args, **kwargs) -> bool:
    """Queue `task(*args, **kwargs)`; False (and a warning at most once a minute) when the queue
    cannot be reached. Call it after commit (`transaction.on_commit`), never inside a transaction."""
    global _last_warning
    try:
        task(*args, **kwargs)
    except Exception as exc:  # redis ConnectionError, TimeoutError, a full disk for SqliteHuey…
        now = time.monotonic()
        if now - _last_warning >= _WARN_EVERY:
            _last_warning = now
            name = getattr(getattr(task, "func", task), "__name__", repr(task))
            log.warning("task queue unavailable, %s left for its sweep: %s", name, exc)
        return False
    return True
