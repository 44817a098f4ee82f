"""Who may see ratings, enter survey answers and read the results."""

_VIEW = ["surveys.view_rating", "surveys.view_surveyresponse", "surveys.view_surveytemplate"]
_COLLECT = [*_VIEW, "surveys.add_surveyresponse"]
_REPORTS = ["surveys.view_satisfaction_reports", "surveys.view_surveycampaign"]
# The December new-needs campaign 年度新需求调查 (seed 004: 客服部 sends it).
_CAMPAIGN = ["surveys.view_surveycampaign", "surveys.add_surveycampaign"]

ROLE_GRANTS = {
    "manager": [*_COLLECT, *_REPORTS, *_CAMPAIGN],
    "assistant": [*_VIEW],
    "supervisor": [*_COLLECT, *_REPORTS],
    "complaint_specialist": [*_VIEW],
    "key_account": [*_COLLECT],
    "relationship_supervisor": [*_COLLECT, *_REPORTS, *_CAMPAIGN, "surveys.change_surveytemplate"],
    "information_specialist": [*_VIEW],
    "marketing_director": [*_VIEW, *_REPORTS],
    "administrator": [*_VIEW, "surveys.change_surveytemplate"],
}
