from django.utils.translation import gettext_lazy as _

NAV_ITEMS = [
    {
        "label": _("Complaints"),
        "url": "complaints:complaint_list",
        "group": "complaints",
        "icon": "megaphone",
        "perm": "complaints.view_complaint",
        "order": 40,
    },
    {
        "label": _("Accidents"),
        "url": "complaints:accident_list",
        "group": "complaints",
        "icon": "truck",
        "perm": "complaints.view_accident",
        "order": 45,
    },
]
