"""Field service permissions per role (synced after migrate)."""

_APPOINT = ["field.view_appointment", "field.add_appointment", "field.change_appointment"]
_DESK = [*_APPOINT, "field.view_fieldstep"]

ROLE_GRANTS = {
    "manager": _DESK,
    "assistant": _DESK,
    "supervisor": _DESK,
    # The technician app: his own work only (checked in the services).
    "technician": [*_APPOINT, "field.view_fieldstep", "field.add_fieldstep"],
    "administrator": _DESK,
}
