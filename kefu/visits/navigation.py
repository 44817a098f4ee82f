from django.utils.translation import gettext_lazy as _

NAV_ITEMS = [
    {
        "label": _("Return visits"),
        "url": "visits:mine",
        "group": "relationship",
        "icon": "telephone-outbound",
        "perm": "visits.view_visit",
        "order": 50,
    },
    {
        "label": _("Receptions"),
        "url": "visits:receptions",
        "group": "relationship",
        "icon": "people",
        "perm": "visits.view_reception",
        "order": 52,
    },
]
