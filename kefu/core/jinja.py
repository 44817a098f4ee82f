"""The Jinja2 environment of the hot row templates (`<app>/jinja2/…`) and of form widgets.

Django's template engine costs ~20 µs per variable: a 50-row list of 11 columns spent most of its
time there. Rows are rendered by Jinja2 (a backend Django supports), with the same gettext,
escaping and `money` format as the Django templates around them."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext, npgettext, pgettext
from jinja2 import Environment

from kefu.core.templatetags.kefu import money


def environment(**options) -> Environment:
    env = Environment(**options)
    # `pgettext("<app>", "Done")` for a short label whose Chinese differs between apps.
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext, ngettext, newstyle=True, pgettext=pgettext, npgettext=npgettext
    )
    env.filters["money"] = money
    env.filters["local"] = local_time
    env.globals["url"] = reverse
    return env


def local_time(value, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A moment in the site's time zone, as Django's `date` filter shows it; "iso" for ISO 8601."""
    if not value:
        return ""
    moment = timezone.localtime(value) if timezone.is_aware(value) else value
    return moment.isoformat() if fmt == "iso" else moment.strftime(fmt)


def render_rows(template_name: str, **context) -> SafeString:
    """A Jinja2 fragment (e.g. a list's `<tr>`s) for a Django template to insert as is."""
    from django.template.loader import get_template

    return mark_safe(get_template(template_name, using="jinja2").render(context))
