from django.urls import reverse
from django.utils.translation import gettext as _

from kefu.channels.queries import unread_count, waiting_count


def home_cards(user) -> list[dict]:
    cards = []
    if user.has_perm("channels.view_inboundmail"):
        cards.append(
            {
                "label": _("Mail waiting for a person"),
                "value": waiting_count(user),
                "icon": "envelope-exclamation",
                "href": reverse("channels:inbound"),
                "order": 6,
            }
        )
    return [
        *cards,
        {
            "label": _("Unread notices"),
            "value": unread_count(user),
            "icon": "bell",
            "href": reverse("channels:notices"),
            "order": 5,
        },
    ]
