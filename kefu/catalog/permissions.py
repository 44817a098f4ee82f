_VIEW = [
    "catalog.view_producttype",
    "catalog.view_colourcode",
    "catalog.view_reasoncode",
    "catalog.view_material",
]
_EDIT = [p.replace("view_", m) for p in _VIEW for m in ("add_", "change_")]

ROLE_GRANTS = {
    "manager": _VIEW,
    "assistant": _VIEW,
    "supervisor": _VIEW,
    "technician": _VIEW,
    "complaint_specialist": _VIEW,
    "key_account": _VIEW,
    "information_specialist": _VIEW,
    "administrator": _VIEW + _EDIT,
}
