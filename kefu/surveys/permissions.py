"""Who may see ratings, enter survey answers and read the results."""

_VIEW = ["surveys.view_rating", "surveys.view_surveyresponse", "surveys.view_surveytemplate"]
_COLLECT = [*_VIEW, "surveys.add_surveyresponse"]
_REPORTS = ["surveys.view_satisfaction_reports"]

ROLE_GRANTS = {
    "manager": [*_COLLECT, *_REPORTS],
    "assistant": [*_VIEW],
    "supervisor": [*_COLLECT, *_REPORTS],
    "complaint_specialist": [*_VIEW],
    "key_account": [*_COLLECT],
    "relationship_supervisor": [*_COLLECT, *_REPORTS, "surveys.change_surveytemplate"],
    "information_specialist": [*_VIEW],
    "marketing_director": [*_VIEW, *_REPORTS],
    "administrator": [*_VIEW, "surveys.change_surveytemplate"],
}
