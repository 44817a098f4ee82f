from django.utils.translation import gettext_lazy as _

NAV_ITEMS = [
    {
        "label": _("Code catalogues"),
        "url": "catalog:catalogues",
        "group": "settings",
        "icon": "tags",
        "perm": "catalog.add_producttype",
        "order": 95,
    },
]
