"""Server-side PDF: the page's own HTML printed by headless Debian chromium (fonts-noto-cjk)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

from kefu.reports.errors import RendererUnavailable

CHROMIUM = os.environ.get("KEFU_CHROMIUM", "/usr/bin/chromium")
TIMEOUT_SECONDS = 60


def chromium_path() -> str | None:
    return CHROMIUM if os.path.exists(CHROMIUM) else shutil.which(CHROMIUM)


def html_to_pdf(html: str) -> bytes:
    """Print self-contained HTML (inline styles and SVG, no network) to PDF bytes."""
    binary = chromium_path()
    if not binary:
        raise RendererUnavailable()
    with tempfile.TemporaryDirectory(prefix="kefu-pdf-") as folder:
        source = os.path.join(folder, "report.html")
        target = os.path.join(folder, "report.pdf")
        with open(source, "w", encoding="utf-8") as handle:
            handle.write(html)
        command = [
            binary,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-extensions",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
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
