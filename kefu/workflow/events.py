from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.timeline.registry import register

TRANSITION = "workflow.transition"


def status_label(code: str) -> str:
    """ "KSCZ 处理完成": a status code with its name in the reader's language (codes are unique
    across profiles, or share their name, so one buffered map serves every record)."""
    from django.utils.translation import get_language

    from kefu.core import buffer
    from kefu.workflow.models import Status

    names = buffer.get(
        "workflow:status-names",
        lambda: {
            code: (name, name_en)
            for code, name, name_en in Status.objects.values_list("code", "name", "name_en")
        },
    )
    name, name_en = names.get(code, ("", ""))
    shown = name_en if name_en and (get_language() or "").startswith("en") else name
    return f"{code} {shown}".strip()


def _describe(data: dict) -> str:
    text = f"{status_label(data.get('from', ''))} → {status_label(data.get('to', ''))}"
    note = data.get("inputs", {}).get("reason") or data.get("inputs", {}).get("note")
    if note:
        text += " (" + _("reason: %(note)s") % {"note": note} + ")"
    return text


register(TRANSITION, gettext_lazy("Status changed"), describe=_describe, icon="arrow-right-circle")
