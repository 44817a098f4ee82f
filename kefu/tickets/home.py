"""Workbench tiles of the service desk: each counts exactly what its worklist link lists."""

from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _

from kefu.core.homepage import list_card
from kefu.tickets import queries

OPEN = "stage=outstanding&stage=in_process&stage=postponed"


def home_cards(user) -> list[dict]:
    if not user.has_perm("tickets.view_notification"):
        return []
    url = reverse("tickets:worklist")
    tiles = [
        (_("Outstanding notifications"), "stage=outstanding", "clipboard", 20, False),
        (_("Urgent notifications"), f"urgent=true&{OPEN}", "exclamation-triangle", 21, False),
        (_("Overdue notifications"), f"overdue=true&{OPEN}", "alarm", 22, True),
        (_("Late service clocks"), "clock=late", "stopwatch", 23, True),
    ]
    return [
        list_card(
            label=label,
            rows=queries.worklist(user, QueryDict(query)),
            url=url,
            query=query,
            icon=icon,
            order=order,
            alarm=alarm,
        )
        for label, query, icon, order, alarm in tiles
    ]
