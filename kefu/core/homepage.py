"""What the home page shows: each app may contribute cards with `home_cards(user)` in its `home.py`."""

from __future__ import annotations

from kefu.core.discovery import app_modules


def home_context(user) -> dict:
    cards = [card for module in app_modules("home") for card in module.home_cards(user)]
    cards.sort(key=lambda card: card.get("order", 100))
    return {"cards": cards}
