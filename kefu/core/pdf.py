"""The one server-side PDF renderer: a page's own HTML printed by headless Debian chromium.

Self-contained HTML in (inline styles, inline SVG charts and QR codes, images as data URLs, the
system's fonts-noto-cjk for Chinese glyphs), PDF bytes out. Used by the service form 家具服务单,
the work plan and the monthly supervision report.

Why a browser kept alive: starting chromium costs 0.9–2.6 s a PDF on this machine (measured; it
grows with load), printing a page in a running one 0.3 s. So each process keeps one headless
chromium, driven by Playwright over the DevTools protocol (`/usr/bin/chromium`, never a
downloaded browser), in one renderer thread: Playwright's sync API belongs to the thread that
started it, and a thread per process serialises the prints of a web worker's threads. The browser
closes after `IDLE_SECONDS` unused and is started again on the next print; a browser that died is
replaced. Where Playwright is missing, each PDF starts `chromium --print-to-pdf` (slower, same
output). JavaScript is off and the context offline: a page waits on nothing.

No chromium: `RendererUnavailable` (503, a Chinese message); pages then show their HTML with the
print stylesheet instead.
"""

from __future__ import annotations

import atexit
import logging
import os
import queue
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header

from kefu.core.errors import RendererUnavailable

log = logging.getLogger(__name__)

CHROMIUM = os.environ.get("KEFU_CHROMIUM", "/usr/bin/chromium")
TIMEOUT_SECONDS = 60
IDLE_SECONDS = 300
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-extensions",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str | None:
    """The chromium binary, or None when it is not installed."""
    return CHROMIUM if os.path.exists(CHROMIUM) else shutil.which(CHROMIUM)


def html_to_pdf(html: str) -> bytes:
    """Print self-contained HTML to PDF bytes; the page size and margins come from its CSS `@page`.
    Raises RendererUnavailable when chromium is missing or fails."""
    binary = chromium_path()
    if not binary:
        raise RendererUnavailable()
    if _playwright_available():
        return _RENDERER.render(binary, html)
    return _print_once(binary, html)


def pdf_response(
    request, template_name: str, context: dict, *, filename: str, fallback_template: str = ""
) -> HttpResponse:
    """A page printed to PDF (`for_pdf` true in its context), or, when chromium is unavailable,
    the page as HTML with its print stylesheet (`fallback_template`, by default the same one)
    and the reason in `pdf_error` (503)."""
    html = render_to_string(template_name, {**context, "for_pdf": True}, request=request)
    try:
        content = html_to_pdf(html)
    except RendererUnavailable as exc:
        fallback = {**context, "for_pdf": False, "pdf_error": str(exc.message)}
        return render(request, fallback_template or template_name, fallback, status=exc.status)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=False, filename=filename) or "inline"
    )
    return response


def engine() -> str:
    """Which engine prints: "devtools" (kept-alive chromium), "process" (one per PDF) or "none"."""
    if not chromium_path():
        return "none"
    return "devtools" if _playwright_available() else "process"


def _playwright_available() -> bool:
    if os.environ.get("KEFU_PDF_ENGINE") == "process":
        return False
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


# --- one chromium process per PDF (no Playwright) -----------------------------------------------
def _print_once(binary: str, html: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="kefu-pdf-") as folder:
        source = os.path.join(folder, "page.html")
        target = os.path.join(folder, "page.pdf")
        with open(source, "w", encoding="utf-8") as handle:
            handle.write(html)
        command = [
            binary,
            "--headless",
            *FLAGS,
            "--no-pdf-header-footer",
            f"--user-data-dir={os.path.join(folder, 'profile')}",
            f"--print-to-pdf={target}",
            f"file://{source}",
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise RendererUnavailable() from exc
        if not os.path.exists(target) or os.path.getsize(target) == 0:
            raise RendererUnavailable()
        with open(target, "rb") as handle:
            return handle.read()


# --- one chromium kept alive per process, driven over the DevTools protocol ----------------------
@dataclass
class _Job:
    binary: str
    html: str
    done: threading.Event = field(default_factory=threading.Event)
    result: bytes = b""
    error: BaseException | None = None


class _Renderer:
    """The renderer thread of this process and its browser (started on first use, after a fork
    too: a forked worker starts its own)."""

    def __init__(self) -> None:
        self._jobs: queue.Queue[_Job | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._pid = 0
        self._lock = threading.Lock()

    def render(self, binary: str, html: str) -> bytes:
        job = _Job(binary, html)
        with self._lock:
            if self._thread is None or not self._thread.is_alive() or self._pid != os.getpid():
                self._jobs = queue.Queue()
                self._pid = os.getpid()
                self._thread = threading.Thread(target=self._run, name="kefu-pdf", daemon=True)
                self._thread.start()
            self._jobs.put(job)
        if not job.done.wait(TIMEOUT_SECONDS):
            raise RendererUnavailable()
        if job.error is not None:
            raise RendererUnavailable() from job.error
        return job.result

    def stop(self) -> None:
        if self._thread is not None and self._thread.is_alive() and self._pid == os.getpid():
            self._jobs.put(None)
            self._thread.join(timeout=5)

    def _run(self) -> None:
        from playwright.sync_api import sync_playwright

        driver = browser = page = None
        jobs = self._jobs

        def close() -> None:
            nonlocal driver, browser, page
            try:
                if browser is not None:
                    browser.close()
            except Exception:  # already gone
                pass
            try:
                if driver is not None:
                    driver.stop()
            except Exception:
                pass
            driver = browser = page = None

        while True:
            try:
                job = jobs.get(timeout=IDLE_SECONDS)
            except queue.Empty:
                close()  # idle: give the memory back; the next print starts it again
                continue
            if job is None:
                close()
                return
            try:
                if browser is None or page is None or not browser.is_connected() or page.is_closed():
                    close()
                    driver = sync_playwright().start()
                    browser = driver.chromium.launch(executable_path=job.binary, args=FLAGS)
                    # One page for every print: a new one costs a renderer process and loading
                    # the CJK fonts again (0.4 s measured). set_content replaces the whole document.
                    page = browser.new_context(java_script_enabled=False, offline=True).new_page()
                page.set_content(job.html, wait_until="load", timeout=TIMEOUT_SECONDS * 1000)
                job.result = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
            except Exception as exc:  # the browser died or would not start: the next job starts anew
                log.warning("PDF rendering failed: %s", exc)
                job.error = exc
                close()
            finally:
                job.done.set()


_RENDERER = _Renderer()
atexit.register(_RENDERER.stop)
