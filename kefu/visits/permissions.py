"""Who may plan, record and review return visits and receptions (data scope comes from the role).

A visit's problem becomes a notification or complaint created by the visitor (谁的问题谁负责:
owned by the problem's owner), so the relationship supervisor and key-account staff may create
those records too.
"""

_VIEW = ["visits.view_visit", "visits.view_reception", "visits.view_visitrule"]
_VISIT = [*_VIEW, "visits.change_visit", "visits.add_reception", "visits.change_reception"]
_PLAN = [*_VISIT, "visits.add_visit", "visits.view_visit_report"]
_RULES = ["visits.add_visitrule", "visits.change_visitrule"]
_FOLLOW_UPS = ["tickets.add_notification", "complaints.add_complaint"]

ROLE_GRANTS = {
    "manager": [*_PLAN, *_RULES],
    "assistant": [*_VIEW],
    "supervisor": [*_VISIT, "visits.view_visit_report"],
    "complaint_specialist": [*_VISIT],
    "key_account": [*_PLAN, *_FOLLOW_UPS],
    "relationship_supervisor": [*_PLAN, *_RULES, *_FOLLOW_UPS],
    "information_specialist": [*_VIEW],
    "marketing_director": [*_VIEW, "visits.view_visit_report"],
    "administrator": [*_VIEW, *_RULES],
}
