from django.utils.translation import gettext_lazy as _

NAV_ITEMS = [
    {
        "label": _("Organisation"),
        "url": "org:structure",
        "group": "settings",
        "icon": "diagram-3",
        "perm": "org.view_staff",
        "order": 90,
    },
]
