"""QR codes drawn on the server as inline SVG (segno, pure Python): no network, no JavaScript, the
same code on the page and in the PDF printed from it."""

from __future__ import annotations

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_code(data: str) -> segno.QRCode:
    """The QR code of `data` (error correction M: a printed form survives a fold or a stain)."""
    return segno.make(data, error="m", micro=False)


def qr_svg(data: str, *, scale: int = 3, title: str = "") -> SafeString:
    """An inline `<svg>` element of the QR code of `data`, ready for a template."""
    svg = qr_code(data).svg_inline(scale=scale, border=2, title=title or None, dark="#000")
    return mark_safe(svg)
