"""Timeline event types of service notifications (stable codes; labels translated at display)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.timeline.registry import describe_changes, register


def _item(data: dict) -> str:
    return f"{_('item')} {data.get('position', '')} {data.get('summary', '')}".strip()


CREATED = register(
    "ticket.created",
    gettext_lazy("Notification created"),
    describe=lambda d: f"{d.get('type', '')} {d.get('number', '')} {d.get('status', '')}",
    icon="plus-circle",
)
CHANGED = register(
    "ticket.changed", gettext_lazy("Notification changed"), describe=describe_changes, icon="pencil"
)
TEXT_ADDED = register(
    "ticket.text_added",
    gettext_lazy("Long text added"),
    describe=lambda d: d.get("text", "")[:120],
    icon="chat-text",
)
ITEM_ADDED = register("ticket.item_added", gettext_lazy("Item added"), describe=_item, icon="list-check")
ITEM_CHANGED = register(
    "ticket.item_changed", gettext_lazy("Item changed"), describe=_item, icon="list-check"
)
ITEM_REMOVED = register(
    "ticket.item_removed", gettext_lazy("Item removed"), describe=_item, icon="list-check"
)
ATTACHMENT_ADDED = register(
    "ticket.attachment_added",
    gettext_lazy("Attachment added"),
    describe=lambda d: d.get("name", ""),
    icon="paperclip",
)
ASSIGNED = register(
    "ticket.assigned",
    gettext_lazy("Person responsible assigned"),
    describe=lambda d: f"{d.get('old') or '—'} → {d.get('new') or '—'}",
    icon="person-check",
)
URGENT = register(
    "ticket.urgent",
    gettext_lazy("Marked urgent"),
    describe=lambda d: d.get("responsible", ""),
    icon="exclamation-triangle",
)


def _responded(data: dict) -> str:
    how = {
        "status": _("status changed"),
        "appointment": _("visit agreed"),
        "arrival": _("technician arrived"),
    }.get(data.get("how", ""), data.get("how", ""))
    met = data.get("met")
    verdict = _("on time") if met else _("late") if met is False else ""
    return " ".join(part for part in (how, verdict) if part)


def _escalated(data: dict) -> str:
    from kefu.tickets.choices import ClockKind

    kind = data.get("clock", "")
    label = str(ClockKind(kind).label) if kind in ClockKind.values else kind
    level = _("supervisor") if data.get("level") == 1 else _("manager")
    return f"{label} → {level}: {', '.join(data.get('recipients') or []) or '—'}"


RESPONDED = register("ticket.responded", gettext_lazy("First response"), describe=_responded, icon="reply")
CLOCK_ESCALATED = register(
    "ticket.clock_escalated",
    gettext_lazy("Late: escalated"),
    describe=_escalated,
    icon="alarm",
)


DISPUTE_SUBMITTED = register(
    "ticket.dispute_submitted", gettext_lazy("Disagreement submitted to the office"), icon="people"
)
DISPUTE_RULED = register("ticket.dispute_ruled", gettext_lazy("Office ruling enforced"), icon="hammer")
