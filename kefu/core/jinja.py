"""The Jinja2 environment of the hot row templates (`<app>/jinja2/…`) and of form widgets.

Django's template engine costs ~20 µs per variable: a 50-row list of 11 columns spent most of its
time there. Rows are rendered by Jinja2 (a backend Django supports), with the same gettext,
escaping and `money` format as the Django templates around them."""

from __future__ import annotations

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext, npgettext, pgettext
from jinja2 import Environment

from kefu.core.htmx import is_htmx
from kefu.core.templatetags.kefu import money, navbar_html


def environment(**options) -> Environment:
    env = Environment(**options)
    # `pgettext("<app>", "Done")` for a short label whose Chinese differs between apps.
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext, ngettext, newstyle=True, pgettext=pgettext, npgettext=npgettext
    )
    env.filters["money"] = money
    env.filters["local"] = local_time
    env.globals["url"] = reverse
    env.globals["static"] = static
    env.globals["navbar_html"] = navbar_html
    env.globals["messages"] = get_messages
    env.globals["language"] = get_language
    env.globals["languages"] = available_languages
    return env


def local_time(value, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A moment in the site's time zone, as Django's `date` filter shows it; "iso" for ISO 8601."""
    if not value:
        return ""
    moment = timezone.localtime(value) if timezone.is_aware(value) else value
    return moment.isoformat() if fmt == "iso" else moment.strftime(fmt)


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
