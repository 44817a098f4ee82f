"""htmx helpers: one view returns the full page or just its partial."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-Boosted") != "true"


def render_page(request: HttpRequest, template: str, partial: str, context: dict, **kwargs) -> HttpResponse:
    """Render `partial` for an htmx request, else the full `template` (which includes the partial)."""
    return render(request, partial if is_htmx(request) else template, context, **kwargs)


def safe_next(request, default: str) -> str:
    """Where a form's `next` asks to go, if it is on this site; else `default` (no open redirect)."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
