from django.utils.translation import gettext_lazy as _

NAV_ITEMS = [
    {
        "label": _("Cockpit"),
        "url": "reports:cockpit",
        "group": "management",
        "icon": "speedometer2",
        "perm": "reports.view_cockpit",
        "order": 80,
    },
    {
        "label": _("Scorecards"),
        "url": "reports:scorecards",
        "group": "management",
        "icon": "award",
        "perm": "reports.view_scorecard",
        "order": 81,
    },
    {
        "label": _("Weekly reports"),
        "url": "reports:weekly",
        "group": "management",
        "icon": "journal-text",
        "perm": "reports.view_weeklyreport",
        "order": 82,
    },
    {
        "label": _("Report archive"),
        "url": "reports:archive",
        "group": "management",
        "icon": "archive",
        "perm": "reports.view_supervisionreport",
        "order": 83,
    },
]
