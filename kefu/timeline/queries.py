"""Reading a record's timeline."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from kefu.timeline import registry
from kefu.timeline.models import TimelineEvent


def events_for(target: models.Model, *, limit: int | None = 200) -> QuerySet[TimelineEvent]:
    qs = (
        TimelineEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(target, for_concrete_model=True),
            object_id=target.pk,
        )
        .select_related("actor", "actor__staff")
        .order_by("-occurred_at", "-id")
    )
    return qs[:limit] if limit else qs


def present(events) -> list[dict]:
    """Events with their translated label and a one-line description, ready for a template or API."""
    rows = []
    for event in events:
        kind = registry.get(event.event_type)
        actor = event.actor
        actor_name = ""
        if actor is not None:
            staff = getattr(actor, "staff", None)
            actor_name = staff.name if staff else actor.get_username()
        rows.append(
            {
                "id": event.pk,
                "code": event.event_type,
                "label": str(kind.label),
                "icon": kind.icon,
                "description": kind.describe(event.data) if kind.describe else "",
                "actor": actor_name,
                "occurred_at": event.occurred_at,
                "data": event.data,
            }
        )
    return rows
