"""Workbench tiles of return visits: each counts exactly what its list link lists."""

from django.urls import reverse
from django.utils.translation import gettext as _

from kefu.core.homepage import list_card
from kefu.visits import queries


def home_cards(user) -> list[dict]:
    if not user.has_perm("visits.view_visit"):
        return []
    return [
        list_card(
            label=_("My visits due"),
            rows=queries.my_visits_due(user),
            url=reverse("visits:mine"),
            query="",
            icon="telephone-outbound",
            order=50,
            alarm=False,
        )
    ]
