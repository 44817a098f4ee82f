from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.timeline.registry import register

TRANSITION = "workflow.transition"


def _describe(data: dict) -> str:
    text = f"{data.get('from', '')} → {data.get('to', '')}"
    note = data.get("inputs", {}).get("reason") or data.get("inputs", {}).get("note")
    if note:
        text += " (" + _("reason: %(note)s") % {"note": note} + ")"
    return text


register(TRANSITION, gettext_lazy("Status changed"), describe=_describe, icon="arrow-right-circle")
