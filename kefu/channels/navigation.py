from django.utils.translation import gettext_lazy as _

NAV_ITEMS = [
    {"label": _("Notices"), "url": "channels:notices", "icon": "bell", "perm": None, "order": 80},
    {
        "label": _("Outbox"),
        "url": "channels:outbox",
        "icon": "envelope",
        "perm": "channels.view_outboundmail",
        "order": 85,
    },
]
