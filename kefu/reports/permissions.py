"""Who may see the cockpit, scorecards, the report archive and weekly reports (scope from the role)."""

_COCKPIT = ["reports.view_cockpit"]
_OWN = ["reports.view_scorecard", "reports.view_weeklyreport", "reports.add_weeklyreport"]
_RATE = [*_OWN, "reports.rate_scorecard", "reports.view_indicator"]
_ARCHIVE = ["reports.view_supervisionreport"]
_GENERATE = [*_ARCHIVE, "reports.add_supervisionreport"]

ROLE_GRANTS = {
    "manager": [*_COCKPIT, *_RATE, *_GENERATE],
    "supervisor": [*_COCKPIT, *_RATE, *_ARCHIVE],
    "marketing_director": [*_COCKPIT, *_RATE, *_GENERATE],
    "relationship_supervisor": [*_COCKPIT, *_OWN, *_ARCHIVE],
    "complaint_specialist": [*_COCKPIT, *_OWN],
    "assistant": _OWN,
    "technician": _OWN,
    "key_account": _OWN,
    "information_specialist": _OWN,
    "administrator": [
        *_COCKPIT,
        *_GENERATE,
        "reports.view_indicator",
        "reports.add_indicator",
        "reports.change_indicator",
        "reports.view_scorecard",
    ],
}
