"""Who may do what with complaints, accidents and carriers (data scope comes from the role)."""

_VIEW = ["complaints.view_complaint", "complaints.view_accident", "complaints.view_carrier"]
_HANDLE = [
    *_VIEW,
    "complaints.add_complaint",
    "complaints.change_complaint",
    "complaints.add_accident",
    "complaints.change_accident",
]
_REPORTS = ["complaints.view_complaint_reports"]
_CARRIERS = ["complaints.add_carrier", "complaints.change_carrier"]

ROLE_GRANTS = {
    "manager": [*_HANDLE, *_REPORTS, *_CARRIERS, "complaints.decide_complaint"],
    "assistant": [*_HANDLE],
    "supervisor": [*_HANDLE, *_REPORTS, *_CARRIERS],
    "technician": [
        "complaints.view_complaint",
        "complaints.view_accident",
        "complaints.add_accident",
        "complaints.change_accident",
    ],
    "complaint_specialist": [*_HANDLE, *_REPORTS],
    "key_account": [*_HANDLE],
    "relationship_supervisor": [*_VIEW, *_REPORTS],
    "information_specialist": [*_VIEW],
    "marketing_director": [*_VIEW, *_REPORTS, "complaints.change_complaint", "complaints.decide_complaint"],
    "administrator": [*_VIEW, *_REPORTS, *_CARRIERS],
}
