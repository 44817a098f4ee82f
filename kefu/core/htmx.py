"""htmx helpers: one view returns the full page or just its partial."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-Boosted") != "true"


def render_page(request: HttpRequest, template: str, partial: str, context: dict, **kwargs) -> HttpResponse:
    """Render `partial` for an htmx request, else the full `template` (which includes the partial)."""
    return render(request, partial if is_htmx(request) else template, context, **kwargs)
