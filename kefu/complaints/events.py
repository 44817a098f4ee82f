"""Timeline event types of complaints, accidents and carriers (stable codes, translated labels)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.timeline.registry import describe_changes, register


def _escalated(data: dict) -> str:
    level = _("manager") if data.get("level") == 2 else _("supervisor")
    return _("step %(step)s late, escalated to the %(level)s: %(to)s") % {
        "step": data.get("step", ""),
        "level": level,
        "to": "、".join(data.get("recipients", [])) or "—",
    }


COMPLAINT_CREATED = register("complaints.created", gettext_lazy("Complaint received"), icon="megaphone")
COMPLAINT_UPDATED = register(
    "complaints.updated", gettext_lazy("Complaint changed"), describe=describe_changes, icon="pencil"
)
FOLLOW_UP = register(
    "complaints.follow_up",
    gettext_lazy("Follow-up recorded"),
    describe=lambda d: d.get("note", "")[:80],
    icon="telephone",
)
ESCALATED = register(
    "complaints.escalated", gettext_lazy("Escalated"), describe=_escalated, icon="exclamation-triangle"
)
QUALITY_FEEDBACK = register(
    "complaints.quality_feedback",
    gettext_lazy("Passed to quality"),
    describe=lambda d: d.get("material", ""),
    icon="clipboard-check",
)
QUALITY_RESOLVED = register(
    "complaints.quality_resolved",
    gettext_lazy("Quality problem stopped"),
    describe=lambda d: d.get("material", ""),
    icon="check2-circle",
)
ACCIDENT_CREATED = register("accidents.created", gettext_lazy("Accident registered"), icon="truck")
ACCIDENT_UPDATED = register(
    "accidents.updated", gettext_lazy("Accident changed"), describe=describe_changes, icon="pencil"
)
ACCIDENT_ACTION = register(
    "accidents.action",
    gettext_lazy("Handling action"),
    describe=lambda d: f"{d.get('method', '')} {d.get('amount_claimed', '')}/{d.get('amount_recovered', '')}",
    icon="cash-coin",
)
LOSS_REPORTED = register(
    "accidents.loss_reported",
    gettext_lazy("Loss reported"),
    describe=lambda d: f"{d.get('severity', '')} → {d.get('department', '')} ({d.get('loss')})",
    icon="send",
)
CARRIER_SAVED = register(
    "carriers.saved", gettext_lazy("Carrier saved"), describe=describe_changes, icon="truck"
)
CARRIER_TRAINING = register(
    "carriers.training",
    gettext_lazy("Training recorded"),
    describe=lambda d: d.get("topic", ""),
    icon="mortarboard",
)
CARRIER_APPRAISAL = register(
    "carriers.appraisal",
    gettext_lazy("Appraisal recorded"),
    describe=lambda d: f"{d.get('period', '')} {d.get('score', '')}",
    icon="award",
)
