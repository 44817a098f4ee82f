"""`{{ code|status_label }}` → "KSSL 已受理": a stored status code shown with its name (built in)."""

from django import template

from kefu.workflow.events import status_label as _status_label

register = template.Library()


@register.filter
def status_label(code: str) -> str:
    return _status_label(code or "")
