from django.utils.translation import gettext_lazy as _

NAV_ITEMS = [
    {
        "label": _("Notifications"),
        "url": "tickets:worklist",
        "group": "service",
        "icon": "clipboard-check",
        "perm": "tickets.view_notification",
        "order": 20,
    },
    {
        "label": _("Work plan"),
        "url": "tickets:work_plan",
        "group": "service",
        "icon": "printer",
        "perm": "tickets.view_notification",
        "order": 25,
    },
    {
        "label": _("Cross-department disputes"),
        "url": "tickets:dispute_list",
        "group": "management",
        "icon": "people",
        "perm": "tickets.view_dispute",
        "order": 85,
    },
]
