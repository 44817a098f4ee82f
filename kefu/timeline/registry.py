"""Event types: the stable code, its translated label and an optional renderer of details.

Each app registers its event types in its AppConfig.ready() (or at import of its services)
with `register("ticket.created", _("Notification created"))`. Unknown codes still render,
with the code as label, so old events never break a page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class EventType:
    code: str
    label: object
    describe: Callable[[dict], str] | None = None
    icon: str = "dot"


_TYPES: dict[str, EventType] = {}


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
