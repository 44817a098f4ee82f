from django.urls import reverse
from django.utils.translation import gettext as _

from kefu.channels.queries import unread_count


def home_cards(user) -> list[dict]:
    return [
        {
            "label": _("Unread notices"),
            "value": unread_count(user),
            "icon": "bell",
            "href": reverse("channels:notices"),
            "order": 5,
        }
    ]
