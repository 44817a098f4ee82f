"""Timeline event types of field service (stable codes; labels translated at display)."""

from django.utils.translation import gettext_lazy

from kefu.timeline.registry import register

APPOINTED = register(
    "field.appointed",
    gettext_lazy("Visit appointed"),
    describe=lambda d: f"{d.get('date', '')} {d.get('slot_label', '')}".strip(),
    icon="calendar-check",
)
ARRIVED = register(
    "field.arrived", gettext_lazy("Technician arrived"), describe=lambda d: d.get("at", ""), icon="geo-alt"
)
REPORTED = register(
    "field.reported",
    gettext_lazy("Service report written on site"),
    describe=lambda d: d.get("work_done", "")[:120],
    icon="clipboard-check",
)
SIGNED = register(
    "field.signed",
    gettext_lazy("Customer signed the acceptance"),
    describe=lambda d: f"{d.get('signer', '')} {d.get('signed_at', '')}".strip(),
    icon="pen",
)
