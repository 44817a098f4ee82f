from django.utils.translation import gettext_lazy as _

NAV_ITEMS = [
    {
        "label": _("Portal accounts"),
        "url": "portal:accounts",
        "group": "relationship",
        "icon": "people",
        "perm": "portal.view_portalaccount",
        "order": 80,
    },
]
