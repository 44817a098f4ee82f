from django.urls import reverse
from django.utils.translation import gettext as _

from kefu.tickets.models import Notification
from kefu.workflow.choices import Stage


def home_cards(user) -> list[dict]:
    if not user.has_perm("tickets.view_notification"):
        return []
    mine = Notification.objects.visible_to(user)
    url = reverse("tickets:worklist")
    return [
        {
            "label": _("Outstanding notifications"),
            "value": mine.filter(stage=Stage.OUTSTANDING)[:10000].count(),
            "icon": "clipboard",
            "href": f"{url}?stage=outstanding",
            "order": 20,
        },
        {
            "label": _("Urgent notifications"),
            "value": mine.filter(urgent=True, stage__in=Stage.open_values())[:10000].count(),
            "icon": "exclamation-triangle",
            "href": f"{url}?urgent=true",
            "order": 21,
        },
    ]
