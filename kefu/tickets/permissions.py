"""Service notification permissions per role (synced after migrate)."""

_VIEW = ["tickets.view_notification", "tickets.view_notificationtype", "tickets.view_servicetarget"]
# Whoever administers notification types also sets their service targets.
_TARGETS = ["tickets.add_servicetarget", "tickets.change_servicetarget", "tickets.delete_servicetarget"]
_WORK = [*_VIEW, "tickets.add_notification", "tickets.change_notification", "tickets.transition_notification"]
_DESK = [*_WORK, "tickets.export_notification", "tickets.mail_notification", "tickets.assign_notification"]

ROLE_GRANTS = {
    "manager": _DESK,
    "assistant": _DESK,
    "supervisor": _DESK,
    "technician": [*_VIEW, "tickets.change_notification", "tickets.transition_notification"],
    "complaint_specialist": [*_DESK],
    "key_account": _VIEW,
    "relationship_supervisor": _VIEW,
    "information_specialist": _VIEW,
    "marketing_director": _VIEW,
    "administrator": [*_DESK, "tickets.add_notificationtype", "tickets.change_notificationtype", *_TARGETS],
}
