"""Timeline event types of the portal (stable codes, translated labels)."""

from django.utils.translation import gettext_lazy

from kefu.timeline.registry import register

SUBMITTED = register(
    "portal.submitted",
    gettext_lazy("Submitted by the customer in the portal"),
    describe=lambda d: d.get("contact", ""),
    icon="globe",
)
MESSAGE = register(
    "portal.message",
    gettext_lazy("Message from the customer"),
    describe=lambda d: d.get("text", "")[:80],
    icon="chat-left-text",
)
REPLY = register(
    "portal.reply",
    gettext_lazy("Public reply to the customer"),
    describe=lambda d: d.get("text", "")[:80],
    icon="reply",
)
INVITED = register(
    "portal.invited",
    gettext_lazy("Invited to the portal"),
    describe=lambda d: d.get("contact", ""),
    icon="envelope",
)
ACTIVATED = register(
    "portal.activated",
    gettext_lazy("Portal account activated"),
    describe=lambda d: d.get("contact", ""),
    icon="person-check",
)
PASSWORD_CHANGED = register(
    "portal.password_changed",
    gettext_lazy("Portal password changed"),
    describe=lambda d: d.get("contact", ""),
    icon="key",
)
