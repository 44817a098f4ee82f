"""Service notification permissions per role (synced after migrate)."""

_VIEW = ["tickets.view_notification", "tickets.view_notificationtype", "tickets.view_servicetarget"]
# Whoever administers notification types also sets their service targets.
_TARGETS = ["tickets.add_servicetarget", "tickets.change_servicetarget", "tickets.delete_servicetarget"]
_WORK = [*_VIEW, "tickets.add_notification", "tickets.change_notification", "tickets.transition_notification"]
_DESK = [*_WORK, "tickets.export_notification", "tickets.mail_notification", "tickets.assign_notification"]

# 跨部门协作: the desk submits disagreements between departments; the office rules on them.
_DISPUTE = ["tickets.view_dispute", "tickets.add_dispute"]

ROLE_GRANTS = {
    "manager": [*_DESK, *_DISPUTE],
    "assistant": [*_DESK, *_DISPUTE],
    "supervisor": [*_DESK, *_DISPUTE],
    "office": [*_VIEW, "tickets.view_dispute", "tickets.rule_dispute"],
    "technician": [*_VIEW, "tickets.change_notification", "tickets.transition_notification"],
    "complaint_specialist": [*_DESK],
    "key_account": _VIEW,
    "relationship_supervisor": _VIEW,
    "information_specialist": _VIEW,
    "marketing_director": _VIEW,
    "administrator": [*_DESK, "tickets.add_notificationtype", "tickets.change_notificationtype", *_TARGETS],
}
