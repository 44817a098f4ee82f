"""Server push to the browser: a server-sent events (SSE) stream that wakes a user's open page.

The web server (gunicorn, threads) cannot hold a connection per open page: 50 agents listening
would need 50 threads. So `kefu serve` also runs one small ASGI process (uvicorn, `kefu.asgi`)
that serves only the streams; a stream holds a coroutine, not a thread.

What travels on a stream is the event's id, and, where the view gives a `render`, what the page's
own endpoint would answer for that event, made by the same permission-checked, masked code for the
stream's (authenticated) user: the screen pop's card comes with its event, so fifty agents of a
hotline queue do not each send a request back the moment it rings. Without a `render`, or when it
fails, the id alone wakes the page and it asks. A page that misses an event (reconnect, push server
down) catches up from its own cursor on its next ask: the stream never moves that cursor.

A `Hub` per process tails one table of events by id (one indexed query every `interval` seconds
for all listeners, and only while someone listens) and hands each new event's id to the
listeners of the event's user. It reads a few ids back (`lookback`) and remembers what it handed
out: on PostgreSQL two transactions can commit their ids out of order (two callers on one hotline
at once), and an id that shows up late is still handed out, once.

Where browsers reach the push server is `settings.KEFU_PUSH_URL`:
- ""  no push (pages poll, as before);
- ":8001"  this site's host, another port (what `make run` uses: the site on 8000, push on 8001);
- "https://push.example.com"  another origin (it must be this site's host name);
- "/"  this site's own origin (a reverse proxy routes the stream paths to the push server).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from urllib.parse import urlsplit

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 5.0  # a comment line this often: dead connections surface, proxies keep them
MAX_STREAM_SECONDS = 600  # then the stream ends and the browser reconnects (and is authenticated again)
RETRY_MS = 2000  # how long a browser waits before reconnecting


class Hub:
    """Listeners by user id, woken with the ids of that user's new events.

    `tail(cursor)` returns `(event_id, user_id)` rows with ids above `cursor`, in id order; `start()`
    gives the newest id at the moment listening begins (older events are the pages' to catch up)."""

    def __init__(
        self,
        tail: Callable[[int], list[tuple[int, int]]],
        start: Callable[[], int],
        *,
        interval: float = 0.1,
        lookback: int = 100,
    ) -> None:
        self._tail = sync_to_async(tail)
        self._start = sync_to_async(start)
        self.interval = interval
        self.lookback = lookback
        self._handed: set[int] = set()  # ids handed out within the lookback
        self._floor = 0  # ids at or below it were there before listening began: never handed out
        self._listeners: dict[int, set[asyncio.Queue[int]]] = {}
        self._task: asyncio.Task | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._cursor = 0

    def listeners(self) -> int:
        return sum(len(queues) for queues in self._listeners.values())

    def subscribe(self, user_id: int) -> asyncio.Queue[int]:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:  # a new server in this process (tests): nothing carries over
            self._loop, self._listeners, self._task = loop, {}, None
        queue: asyncio.Queue[int] = asyncio.Queue(maxsize=100)
        self._listeners.setdefault(user_id, set()).add(queue)
        if self._task is None or self._task.done():
            self._task = loop.create_task(self._run())
        return queue

    def unsubscribe(self, user_id: int, queue: asyncio.Queue[int]) -> None:
        queues = self._listeners.get(user_id)
        if queues is not None:
            queues.discard(queue)
            if not queues:
                del self._listeners[user_id]

    async def _run(self) -> None:
        """Tail while anyone listens; a failed read (database restarting) is retried, not fatal.
        Each start begins at the newest event: what came while nobody listened is the pages' to
        catch up from their cursors, never old cards pushed to the next listener."""
        while True:
            try:
                self._cursor = self._floor = await self._start()
                break
            except Exception:
                if not self._listeners:
                    self._task = None
                    return
                await asyncio.sleep(1)
        self._handed = set()
        while self._listeners:
            try:
                rows = await self._tail(max(self._floor, self._cursor - self.lookback))
            except Exception:
                rows = []
                await asyncio.sleep(1)
            for event_id, user_id in rows:
                if event_id in self._handed:
                    continue
                self._handed.add(event_id)
                self._cursor = max(self._cursor, event_id)
                for queue in self._listeners.get(user_id, ()):
                    if not queue.full():  # a page that stopped reading is woken once anyway
                        queue.put_nowait(event_id)
            if len(self._handed) > 4 * self.lookback:  # forget what the lookback no longer reads
                self._handed = {i for i in self._handed if i > self._cursor - self.lookback}
            await asyncio.sleep(self.interval)
        self._task = None


def is_streaming_server(request: HttpRequest) -> bool:
    """Only the ASGI push server can hold a stream; the thread-per-request web server must not."""
    return isinstance(request, ASGIRequest)


def push_url(path: str) -> str:
    """Where a page opens the stream served at `path` ("" when push is off)."""
    base = getattr(settings, "KEFU_PUSH_URL", "")
    if not base:
        return ""
    return path if base == "/" else base.rstrip("/") + path


def push_origin(request: HttpRequest) -> str:
    """The push server's origin as the page's Content-Security-Policy must allow it ("" if same)."""
    base = getattr(settings, "KEFU_PUSH_URL", "")
    if base.startswith(":"):
        return f"{request.scheme}://{_hostname(request)}{base}"
    if base.startswith(("http://", "https://")):
        parts = urlsplit(base)
        return f"{parts.scheme}://{parts.netloc}"
    return ""


def _hostname(request: HttpRequest) -> str:
    """The request's host without its port (IPv6 in brackets), as ALLOWED_HOSTS accepted it."""
    host = urlsplit(f"//{request.get_host()}").hostname or ""
    return f"[{host}]" if ":" in host else host


def _allowed_origin(request: HttpRequest) -> str:
    """A page of this site on another port (or the configured origin) may read the stream."""
    origin = request.headers.get("Origin", "")
    if not origin:
        return ""
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    return origin if parts.hostname == _hostname(request).strip("[]") else ""


async def _data(render: Callable[[int], Awaitable[str | None]] | None, event_id: int) -> str:
    """The event's data line: the rendered event, or its id when there is no render or it fails
    (the page then asks its endpoint, as without push). Never more than one line."""
    if render is not None:
        try:
            data = await render(event_id)
        except Exception:
            logger.exception("push: rendering event %s failed; sending its id", event_id)
        else:
            if data and "\n" not in data and "\r" not in data:
                return data
    return str(event_id)


def event_stream(
    request: HttpRequest,
    hub: Hub,
    user_id: int,
    *,
    event: str,
    keep_alive: Callable[[], Awaitable[None]] | None = None,
    render: Callable[[int], Awaitable[str | None]] | None = None,
) -> HttpResponse | StreamingHttpResponse:
    """The response of a stream view: an `event` line for each of the user's new events, its data
    what `render(event_id)` makes of it for this user (one line, e.g. JSON) or else the id."""
    if not is_streaming_server(request):
        # 204 tells EventSource not to reconnect: the page keeps polling instead.
        return HttpResponse(status=204)

    async def lines() -> AsyncIterator[str]:
        queue = hub.subscribe(user_id)
        loop = asyncio.get_running_loop()
        ends = loop.time() + MAX_STREAM_SECONDS
        try:
            yield f"retry: {RETRY_MS}\n: listening\n\n"
            while loop.time() < ends:
                if keep_alive is not None:
                    await keep_alive()
                try:
                    event_id = await asyncio.wait_for(queue.get(), timeout=HEARTBEAT_SECONDS)
                except TimeoutError:
                    yield ": keep-alive\n\n"
                    continue
                yield f"event: {event}\ndata: {await _data(render, event_id)}\n\n"
        finally:
            hub.unsubscribe(user_id, queue)

    response = StreamingHttpResponse(lines(), content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-store"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    origin = _allowed_origin(request)
    if origin:
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Allow-Credentials"] = "true"
    response["Vary"] = "Origin"
    return response
