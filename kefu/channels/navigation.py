from django.utils.translation import gettext_lazy as _

NAV_ITEMS = [
    {
        "label": _("Notices"),
        "url": "channels:notices",
        "group": "channels",
        "icon": "bell",
        "perm": None,
        "order": 80,
    },
    {
        "label": _("Outbox"),
        "url": "channels:outbox",
        "group": "channels",
        "icon": "envelope",
        "perm": "channels.view_outboundmail",
        "order": 85,
    },
    {
        "label": _("Incoming mail"),
        "url": "channels:inbound",
        "group": "channels",
        "icon": "envelope-arrow-down",
        "perm": "channels.view_inboundmail",
        "order": 86,
    },
]

# The unread-notice bell in the navbar, refreshed every minute (see kefu.core.navigation.navbar_widgets).
NAVBAR_WIDGETS = [{"url": "channels:notice_badge", "poll": 60}]
