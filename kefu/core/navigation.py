"""The main navigation, assembled from each app's `navigation.py` (`NAV_ITEMS`).

An item: {"label", "url": url name, "icon": bootstrap-icon name, "perm": permission or None,
"order", "group": a key of `GROUPS`}. Items whose page does not exist yet or that the user may not
open are left out. Items of one group become one dropdown menu; a group with a single item the
user may open stays a plain link (a technician sees "My jobs today", not a menu of one).
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import pgettext_lazy

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


# The menus of the navbar, in their order: what a desk does, then who it serves, then who runs it.
GROUPS: dict[str, dict] = {
    "service": {"label": pgettext_lazy("menu", "Service"), "icon": "tools", "order": 10},  # 服务
    "complaints": {  # 投诉与事故
        "label": pgettext_lazy("menu", "Complaints and accidents"),
        "icon": "megaphone",
        "order": 20,
    },
    "relationship": {"label": pgettext_lazy("menu", "Customers"), "icon": "people", "order": 30},  # 客户
    "channels": {"label": pgettext_lazy("menu", "Contact centre"), "icon": "headset", "order": 40},  # 联络
    "management": {"label": pgettext_lazy("menu", "Management"), "icon": "graph-up", "order": 50},  # 管理
    "settings": {"label": pgettext_lazy("menu", "Settings"), "icon": "sliders", "order": 60},  # 设置
}


def nav_menu(user) -> list[dict]:
    """The navbar's entries for `user`: links, and dropdowns {"label", "icon", "items"} per group."""
    entries: list[dict] = []
    grouped: dict[str, list[dict]] = {}
    for item in nav_items(user):
        key = item.get("group")
        if key in GROUPS:
            grouped.setdefault(key, []).append(item)
        else:
            entries.append(item)
    for key, members in grouped.items():
        group = GROUPS[key]
        if len(members) == 1:
            entries.append({**members[0], "order": group["order"]})
        else:
            entries.append({**group, "key": key, "items": members})
    entries.sort(key=lambda entry: entry.get("order", 100))
    return entries


def nav_items(user) -> list[dict]:
    """Every navigation item `user` may open, in order (flat: the menu groups them)."""
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
