"""Timeline event types of contacts and calls (stable codes, translated labels)."""

from django.utils.translation import gettext_lazy

from kefu.timeline.registry import register

CREATED = register(
    "contacts.created",
    gettext_lazy("Contact received"),
    describe=lambda d: f"{d.get('channel', '')} {d.get('first_responsible', '')}",
    icon="telephone-inbound",
)
HANDED_OVER = register(
    "contacts.handed_over",
    gettext_lazy("Handed over (work liaison slip)"),
    describe=lambda d: f"→ {d.get('to', '')}: {d.get('reason', '')[:60]}",
    icon="arrow-left-right",
)
WRAPPED_UP = register(
    "contacts.wrapped_up",
    gettext_lazy("Call wrapped up"),
    describe=lambda d: f"{d.get('classification', '')} {d.get('resolution', '')}",
    icon="journal-check",
)
CLOSED = register("contacts.closed", gettext_lazy("Contact closed"), icon="check2-circle")
FLAGGED = register(
    "contacts.flagged",
    gettext_lazy("Flagged by the sweep"),
    describe=lambda d: ", ".join(d.get("reasons", [])),
    icon="exclamation-triangle",
)
CALL_EVENT = register(
    "calls.event",
    gettext_lazy("Call event"),
    describe=lambda d: f"{d.get('kind', '')} {d.get('agent', '')}",
    icon="telephone",
)
CUSTOMER_PICKED = register(
    "calls.customer_picked",
    gettext_lazy("Caller identified"),
    describe=lambda d: d.get("customer", ""),
    icon="person-check",
)
ATTEMPT = register(
    "calls.attempt",
    gettext_lazy("Outbound call attempt"),
    describe=lambda d: f"{d.get('outcome', '')} {d.get('note', '')[:60]}",
    icon="telephone-outbound",
)
TAKEN = register(
    "calls.taken",
    gettext_lazy("Queue call taken"),
    describe=lambda d: f"{d.get('queue', '')} → {d.get('agent', '')}",
    icon="hand-index",
)
CALL_LIST_CREATED = register(
    "calls.list_created",
    gettext_lazy("Outbound call list created"),
    describe=lambda d: f"{d.get('name', '')} ({d.get('tasks', 0)})",
    icon="list-check",
)
