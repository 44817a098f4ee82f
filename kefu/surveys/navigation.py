from django.utils.translation import gettext_lazy as _

NAV_ITEMS = [
    {
        "label": _("Satisfaction"),
        "url": "surveys:results",
        "group": "relationship",
        "icon": "star-half",
        "perm": "surveys.view_satisfaction_reports",
        "order": 55,
    },
]
