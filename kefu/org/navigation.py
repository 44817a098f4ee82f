from django.utils.translation import gettext_lazy as _

NAV_ITEMS = [
    {"label": _("Staff"), "url": "org:staff_list", "icon": "people", "perm": "org.view_staff", "order": 90},
]
