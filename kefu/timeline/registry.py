"""Event types: the stable code, its translated label and an optional renderer of details.

Each app registers its event types in its AppConfig.ready() (or at import of its services)
with `register("ticket.created", _("Notification created"))`. Unknown codes still render,
with the code as label, so old events never break a page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import pgettext


@dataclass(frozen=True)
class EventType:
    code: str
    label: object
    describe: Callable[[dict], str] | None = None
    icon: str = "dot"


_TYPES: dict[str, EventType] = {}


def describe_changes(data: dict) -> str:
    """The one way history shows a change: "label: old → new" per field, labels from the
    record's model (added by `timeline.queries.present`), never a bare field name."""
    labels = data.get("labels") or {}
    choices = data.get("choices") or {}
    parts = []
    for name, change in (data.get("changes") or {}).items():
        if isinstance(change, dict) and ("old" in change or "new" in change):
            old, new = change.get("old"), change.get("new")
            old = old.get("str") if isinstance(old, dict) else old
            new = new.get("str") if isinstance(new, dict) else new
            coded = choices.get(name, {})
            old, new = coded.get(str(old), old), coded.get(str(new), new)
            parts.append(f"{labels.get(name, name)}: {_shown(old)} → {_shown(new)}")
        else:
            parts.append(str(labels.get(name, name)))
    return "; ".join(parts)


def _shown(value) -> str:
    if value in (None, "", [], {}):
        return "—"
    if value is True or value == "True":
        return str(pgettext("boolean", "yes"))
    if value is False or value == "False":
        return str(pgettext("boolean", "no"))
    return str(value)


def register(
    code: str, label, *, describe: Callable[[dict], str] | None = None, icon: str = "dot"
) -> EventType:
    event_type = EventType(code, label, describe, icon)
    _TYPES[code] = event_type
    return event_type


def get(code: str) -> EventType:
    return _TYPES.get(code) or EventType(code, code)


def all_types() -> dict[str, EventType]:
    return dict(_TYPES)
