"""The main navigation, assembled from each app's `navigation.py` (`NAV_ITEMS`).

An item: {"label", "url": url name, "icon": bootstrap-icon name, "perm": permission or None,
"order"}. Items whose page does not exist yet or that the user may not open are left out.
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from kefu.core.discovery import app_modules


def navbar_widgets(user) -> list[dict]:
    """Small live parts of the navbar (e.g. the unread-notice bell) from each app's `NAVBAR_WIDGETS`.

    A widget: {"url": url name of an htmx partial, "poll": seconds between refreshes, "perm"}.
    """
    widgets = []
    for module in app_modules("navigation"):
        for widget in getattr(module, "NAVBAR_WIDGETS", []):
            perm = widget.get("perm")
            if perm and not user.has_perm(perm):
                continue
            try:
                widgets.append({**widget, "href": reverse(widget["url"])})
            except NoReverseMatch:
                continue
    return widgets


def nav_items(user) -> list[dict]:
    items = []
    for module in app_modules("navigation"):
        for item in getattr(module, "NAV_ITEMS", []):
            perm = item.get("perm")
            if perm and not user.has_perm(perm):
                continue
            try:
                url = reverse(item["url"])
            except NoReverseMatch:
                continue
            items.append({**item, "href": url})
    items.sort(key=lambda item: item.get("order", 100))
    return items
