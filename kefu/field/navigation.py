from django.utils.translation import gettext_lazy as _

NAV_ITEMS = [
    {
        "label": _("My jobs today"),
        "url": "field:today",
        "group": "service",
        "icon": "phone",
        "perm": "field.add_fieldstep",
        "order": 15,
    },
    {
        "label": _("Dispatch"),
        "url": "field:dispatch",
        "group": "service",
        "icon": "diagram-3",
        "perm": "tickets.assign_notification",
        "order": 26,
    },
]
