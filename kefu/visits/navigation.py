from django.utils.translation import gettext_lazy as _

NAV_ITEMS = [
    {
        "label": _("Return visits"),
        "url": "visits:mine",
        "icon": "telephone-outbound",
        "perm": "visits.view_visit",
        "order": 50,
    },
    {
        "label": _("Receptions"),
        "url": "visits:receptions",
        "icon": "people",
        "perm": "visits.view_reception",
        "order": 52,
    },
]
