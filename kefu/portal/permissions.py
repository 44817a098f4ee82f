"""Who on the staff side may see and invite portal accounts (customer users have no roles)."""

_VIEW = ["portal.view_portalaccount"]
_INVITE = [*_VIEW, "portal.invite_portalaccount"]

ROLE_GRANTS = {
    "manager": _INVITE,
    "assistant": _INVITE,
    "supervisor": _INVITE,
    "key_account": _INVITE,
    "complaint_specialist": _VIEW,
    "relationship_supervisor": _VIEW,
    "information_specialist": _INVITE,
    "administrator": _INVITE,
}
