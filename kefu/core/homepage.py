"""What the home page shows: each app may contribute cards with `home_cards(user)` in its `home.py`."""

from __future__ import annotations

from django.db.models import QuerySet

from kefu.core.discovery import app_modules

# A tile counts up to this many rows, then shows "10000+": the worklist behind it pages anyway.
COUNT_CAP = 1000  # a tile says "1000+": counting further costs a scan on every workbench visit


def list_card(
    *,
    label,
    rows: QuerySet,
    url: str,
    query: str = "",
    icon: str,
    order: int,
    alarm: bool = False,
) -> dict:
    """A tile whose number is the length of the list it links to: `rows` must be that list's
    own query for `query` (the same filterset, the same scope), so the two never disagree."""
    count = rows.order_by()[:COUNT_CAP].count()
    card = {
        "label": label,
        "value": f"{COUNT_CAP}+" if count >= COUNT_CAP else count,
        "icon": icon,
        "href": f"{url}?{query}" if query else url,
        "order": order,
    }
    if alarm:
        card["colour"] = "danger" if count else "success"
    return card


def home_context(user) -> dict:
    cards = [card for module in app_modules("home") for card in module.home_cards(user)]
    cards.sort(key=lambda card: card.get("order", 100))
    return {"cards": cards}
