"""Recording timeline events. Services call `record()` explicitly, inside their transaction."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from kefu.timeline.models import TimelineEvent


def _jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, models.Model):
        return {"id": value.pk, "str": str(value)}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    return value


def record(
    target: models.Model, event_type: str, *, actor=None, data: dict | None = None, at: datetime | None = None
) -> TimelineEvent:
    """Append one event to `target`'s timeline."""
    return TimelineEvent.objects.create(
        content_type=ContentType.objects.get_for_model(target, for_concrete_model=True),
        object_id=target.pk,
        event_type=event_type,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        occurred_at=at or timezone.now(),
        data=_jsonable(data or {}),
    )


def diff(instance: models.Model, before: dict, fields: list[str]) -> dict[str, dict]:
    """{"field": {"old": ..., "new": ...}} for the fields whose value changed since `before`."""
    changes = {}
    for name in fields:
        old, new = before.get(name), field_value(instance, name)
        if old != new:
            changes[name] = {"old": _jsonable(old), "new": _jsonable(new)}
    return changes


def snapshot(instance: models.Model, fields: list[str]) -> dict:
    return {name: field_value(instance, name) for name in fields}


def field_label(model: type[models.Model], name: str) -> str:
    """A field's verbose name as history shows it (the name itself for a reverse relation)."""
    return str(getattr(model._meta.get_field(name), "verbose_name", name))


def field_value(instance: models.Model, name: str):
    """A field's value; a foreign key emptied by a form reads as None (Django's descriptor would
    raise for a required one, and validation must be the one to say so, naming the field)."""
    field = instance._meta.get_field(name)
    if (
        isinstance(field, models.ForeignKey)
        and field.many_to_one
        and getattr(instance, field.attname) is None
    ):
        return None
    return getattr(instance, name)
