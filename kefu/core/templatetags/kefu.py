"""Kefu's template filters, loaded in every template (settings TEMPLATES builtins)."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def money(value) -> str:
    """An amount 金额 as people read it: two places and thousands separators (13,299.99), "—" if none.

    The one money format of every page, print and mail body (SQLite hands back 13299.9900000000)."""
    if value in (None, ""):
        return "—"
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return f"{amount.quantize(Decimal('0.01'), ROUND_HALF_UP):,.2f}"


_HERE = re.compile(r"<!--kefu:here ([^>]*)-->")


@register.simple_tag(takes_context=True)
def jinja_include(context, template_name: str, **values) -> str:
    """A Jinja2 fragment (kefu/<app>/jinja2/…) inside a Django template, with the page's request;
    the fragments Django and Jinja2 pages share live there once."""
    from kefu.core.jinja import render_fragment

    return render_fragment(template_name, context["request"], **values)


@register.simple_tag(takes_context=True)
def navbar_menu(context) -> str:
    """The signed-in navbar of base.html (see navbar_html)."""
    return navbar_html(context["request"], context.get("csrf_token"))


def navbar_html(request, csrf_token) -> str:
    """The signed-in navbar: the same HTML for a user and language on every page, so rendered once
    and kept in the buffer with the menu it shows (kefu.core.context_processors.navigation). Per
    request only the active entry, the CSRF field and the language switch are filled in. Django
    and Jinja2 pages (kefu.core.jinja) share it; signed out, only the language switch."""
    from django.template.loader import render_to_string
    from django.utils.translation import get_language

    from kefu.core import buffer
    from kefu.core.jinja import render_fragment

    user = request.user
    language_switch = render_fragment("includes/language_switch.html", request)
    if not user.is_authenticated:
        return mark_safe(language_switch)
    key = f"core.navbar_html:{user.pk}:{int(user.is_superuser)}:{int(user.is_staff)}:{get_language()}"
    html: str = str(buffer.get(key, lambda: render_to_string("includes/navbar_menu.html", request=request)))
    here = request.path[:8]
    home = request.resolver_match is not None and request.resolver_match.url_name == "home"
    html = _HERE.sub(lambda match: " active" if match.group(1) == here else "", html)
    html = html.replace("<!--kefu:home-->", " active" if home else "")
    html = html.replace(
        "<!--kefu:csrf-->",
        format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', csrf_token),
    )
    html = html.replace("<!--kefu:language-->", language_switch)
    return mark_safe(html)
