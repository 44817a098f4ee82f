"""Timeline event types of the customer archive (registered on import)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from kefu.timeline.registry import describe_changes, register

CREATED = register("customer.created", gettext_lazy("Customer created"), icon="person-plus")
CHANGED = register(
    "customer.changed", gettext_lazy("Customer changed"), describe=describe_changes, icon="pencil"
)
CONTACT_ADDED = register(
    "customer.contact_added",
    gettext_lazy("Contact added"),
    describe=lambda d: d.get("name", ""),
    icon="person",
)
CONTACT_CHANGED = register(
    "customer.contact_changed",
    gettext_lazy("Contact changed"),
    describe=lambda d: d.get("name", ""),
    icon="person",
)
CONTACT_REMOVED = register(
    "customer.contact_removed",
    gettext_lazy("Contact removed"),
    describe=lambda d: d.get("name", ""),
    icon="person-x",
)
ADDRESS_ADDED = register(
    "customer.address_added",
    gettext_lazy("Service address added"),
    describe=lambda d: d.get("code", ""),
    icon="geo",
)
ADDRESS_CHANGED = register(
    "customer.address_changed",
    gettext_lazy("Service address changed"),
    describe=lambda d: d.get("code", ""),
    icon="geo",
)
ADDRESS_REMOVED = register(
    "customer.address_removed",
    gettext_lazy("Service address removed"),
    describe=lambda d: d.get("code", ""),
    icon="geo",
)
PARTNER_ADDED = register(
    "customer.partner_added",
    gettext_lazy("Partner added"),
    describe=lambda d: f"{d.get('function', '')} {d.get('partner', '')}",
    icon="diagram-3",
)
PARTNER_REMOVED = register(
    "customer.partner_removed",
    gettext_lazy("Partner removed"),
    describe=lambda d: f"{d.get('function', '')} {d.get('partner', '')}",
    icon="diagram-3",
)
GRADE_OVERRIDDEN = register(
    "customer.grade_overridden",
    gettext_lazy("Grade set manually"),
    describe=lambda d: f"{d.get('old', '')} → {d.get('new', '')}：{d.get('reason', '')}",
    icon="award",
)
REVEALED = register(
    "customer.personal_data_revealed",
    gettext_lazy("Personal data revealed"),
    describe=lambda d: d.get("reason", ""),
    icon="eye",
)
SALES_RECORDED = register(
    "customer.sales_recorded",
    gettext_lazy("Monthly sales recorded"),
    describe=lambda d: f"{d.get('period', '')}：{d.get('old') or '—'} → {d.get('new', '')}",
    icon="cash-coin",
)
WARNING_RAISED = register(
    "customer.warning_raised",
    gettext_lazy("Warning raised"),
    describe=lambda d: d.get("message", ""),
    icon="exclamation-triangle",
)
WARNING_ACKNOWLEDGED = register(
    "customer.warning_acknowledged",
    gettext_lazy("Warning acknowledged"),
    describe=lambda d: f"{d.get('message', '')}：{d.get('note', '')}",
    icon="check2-square",
)
