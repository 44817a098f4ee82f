"""The Jinja2 environment of the hot row templates (`<app>/jinja2/…`) and of form widgets.

Django's template engine costs ~20 µs per variable: a 50-row list of 11 columns spent most of its
time there. Rows are rendered by Jinja2 (a backend Django supports), with the same gettext,
escaping and `money` format as the Django templates around them."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template import defaultfilters
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext, npgettext, pgettext
from jinja2 import Environment

from kefu.core.htmx import is_htmx
from kefu.core.templatetags.kefu import money, navbar_html


def environment(**options) -> Environment:
    env = Environment(**options)
    # `pgettext("<app>", "Done")` for a short label whose Chinese differs between apps.
    env.install_gettext_callables(  # type: ignore[attr-defined]
        catalogue_gettext, ngettext, newstyle=True, pgettext=pgettext, npgettext=npgettext
    )
    env.filters["money"] = money
    env.filters["local"] = local_time
    # Django's own filters where a page moved from Django templates must print the same text.
    env.filters["date"] = date_filter
    env.filters["floatformat"] = defaultfilters.floatformat
    env.filters["filesizeformat"] = defaultfilters.filesizeformat
    env.filters["urlencode"] = defaultfilters.urlencode
    env.globals["url"] = reverse
    env.globals["id_url"] = id_url
    env.globals["static"] = static
    env.globals["navbar_html"] = navbar_html
    env.globals["messages"] = get_messages
    env.globals["language"] = get_language
    env.globals["languages"] = available_languages
    return env


_TRANSLATED: dict[tuple[str | None, str], str] = {}


def catalogue_gettext(message: str) -> str:
    """Django's gettext, remembered per language: a page asks for ~90 fixed labels, and Django walks
    its thread-local translation and catalogues for each. Templates pass literals only, so the
    memo is bounded by the catalogues (and cleared if something passes more)."""
    key = (get_language(), message)
    try:
        return _TRANSLATED[key]
    except KeyError:
        if len(_TRANSLATED) > 20_000:
            _TRANSLATED.clear()
        translated = _TRANSLATED[key] = gettext(message)
        return translated


def csrf_once(request: HttpRequest) -> dict:
    """`csrf_token` and `csrf_input` computed once per request (a Jinja2 context processor).

    Django's Jinja2 backend passes lazy ones that mask the secret again at every use: the
    notification page has ten forms, and masking (32 random characters) was a seventh of its
    time. One masked token per request is what `{% csrf_token %}` gives Django pages. Kept per
    secret: a rotated secret (a login) gets a new token."""
    secret = request.META.get("CSRF_COOKIE")
    known = getattr(request, "_kefu_csrf", None)
    if known is None or known[0] != secret or secret is None:
        token = get_token(request)
        known = (request.META.get("CSRF_COOKIE"), token)
        request._kefu_csrf = known  # type: ignore[attr-defined]
    token = known[1]
    return {
        "csrf_token": token,
        "csrf_input": format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token),
    }


def date_filter(value, fmt: str | None = None) -> str:
    """Django's `date` filter as a Django template calls it: aware moments in the site's time zone
    first (`expects_localtime`), then Django's format codes ("Y-m-d H:i")."""
    return defaultfilters.date(timezone.template_localtime(value), fmt)  # type: ignore[attr-defined]


def local_time(value, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A moment in the site's time zone, as Django's `date` filter shows it; "iso" for ISO 8601."""
    if not value:
        return ""
    moment = timezone.localtime(value) if timezone.is_aware(value) else value
    return moment.isoformat() if fmt == "iso" else moment.strftime(fmt)


_MARK = 7_364_219_508_113  # an id no table reaches: where `id_url` puts each row's own


def id_url(name: str) -> Callable[[int], str]:
    """`reverse(name, args=[pk])` for every row of a list, resolved once: `{% set detail =
    id_url("contacts:detail") %}…{{ detail(row.id) }}` (fifty reverses were a tenth of a list)."""
    template = reverse(name, args=[_MARK]).split(str(_MARK))
    if len(template) != 2:  # the marker must appear once; else each row reverses for itself
        return lambda pk: reverse(name, args=[pk])
    head, tail = template
    return lambda pk: f"{head}{int(pk)}{tail}"


def render_page(request: HttpRequest, template: str, partial: str, context: dict) -> HttpResponse:
    """A hot page rendered by Jinja2 on `layout.html` (the twin of base.html): `partial` for an
    htmx request, else the whole `template`. The Django engine costs ~20 µs per variable and
    tag; the worklist spent a third of its server time there."""
    from django.template.loader import get_template

    name = partial if is_htmx(request) else template
    context = {**context, "LANGUAGE_CODE": get_language(), "site_name": settings.KEFU_SITE_NAME}
    return HttpResponse(get_template(name, using="jinja2").render(context, request=request))


def render_fragment(template_name: str, request: HttpRequest, **context) -> SafeString:
    """A Jinja2 fragment with the request (csrf_input, request.user) for a Django template to
    insert as is: `{% jinja_include "includes/language_switch.html" %}`."""
    from django.template.loader import get_template

    return mark_safe(get_template(template_name, using="jinja2").render(context, request=request))


def available_languages() -> list[tuple[str, str]]:
    """The languages to switch to, named in the current language (Django's get_available_languages)."""
    return [(code, gettext(name)) for code, name in settings.LANGUAGES]


def render_rows(template_name: str, **context) -> SafeString:
    """A Jinja2 fragment (e.g. a list's `<tr>`s) for a Django template to insert as is."""
    from django.template.loader import get_template

    return mark_safe(get_template(template_name, using="jinja2").render(context))
