from django.utils.translation import gettext_lazy as _

NAV_ITEMS = [
    {
        "label": _("Customers"),
        "url": "customers:list",
        "group": "relationship",
        "icon": "building",
        "perm": "customers.view_customer",
        "order": 20,
    },
    {
        "label": _("Customer pyramid"),
        "url": "customers:pyramid",
        "group": "relationship",
        "icon": "triangle",
        "perm": "customers.view_customer",
        "order": 21,
    },
    {
        "label": _("Customer segments"),
        "url": "customers:segments",
        "group": "relationship",
        "icon": "diagram-3",
        "perm": "customers.view_segmentrun",
        "order": 21,
    },
    {
        "label": _("Customer warnings"),
        "url": "customers:warnings",
        "group": "relationship",
        "icon": "exclamation-triangle",
        "perm": "customers.view_customer",
        "order": 22,
    },
    {
        "label": _("Access log"),
        "url": "customers:access_log",
        "group": "settings",
        "icon": "shield-lock",
        "perm": "customers.view_access_log",
        "order": 95,
    },
]
