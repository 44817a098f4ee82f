"""Reading a record's timeline."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from kefu.core import prepared
from kefu.core.privacy import mask_payload
from kefu.timeline import registry
from kefu.timeline.models import TimelineEvent


def events_for(target: models.Model, *, limit: int | None = 200) -> list[TimelineEvent]:
    """A record's history, newest first: every detail page shows one, so its SQL is prepared once
    per record type (kefu.core.prepared) instead of compiled on every page."""
    content_type_id = ContentType.objects.get_for_model(target, for_concrete_model=True).pk

    def build(pk: int) -> QuerySet[TimelineEvent]:
        qs = (
            TimelineEvent.objects.filter(content_type_id=content_type_id, object_id=pk)
            .select_related("actor", "actor__staff")
            .order_by("-occurred_at", "-id")
        )
        return qs[:limit] if limit else qs

    return prepared.fetch(("timeline.events_for", content_type_id, limit), build, pk=target.pk)


def _fields(content_type_id: int) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """The record's field labels, and the labels of coded values (choices), so history never
    shows a field name or a raw code."""
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None:
        return {}, {}
    fields = model._meta.get_fields()
    labels = {f.name: str(getattr(f, "verbose_name", f.name)) for f in fields}
    choices = {
        f.name: {str(value): str(label) for value, label in f.flatchoices}
        for f in fields
        if isinstance(f, models.Field) and f.choices
    }
    return labels, choices


def present(events, *, masked: bool = True) -> list[dict]:
    """Events with their translated label and a one-line description, ready for a template or API.

    Personal values in a payload (old and new phone, address …) are masked unless the reader may
    see them (`masked=False`), so history never shows what the record's page hides.
    """
    rows = []
    fields: dict[int, tuple[dict, dict]] = {}  # one model's labels per call, not per event
    for event in events:
        data = mask_payload(event.data) if masked else event.data
        if isinstance(data, dict) and data.get("changes"):
            if event.content_type_id not in fields:
                fields[event.content_type_id] = _fields(event.content_type_id)
            labels, choices = fields[event.content_type_id]
            data = {**data, "labels": {**labels, **(data.get("labels") or {})}, "choices": choices}
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
                "description": kind.describe(data) if kind.describe else "",
                "actor": actor_name,
                "occurred_at": event.occurred_at,
                "data": data,
            }
        )
    return rows


def first_event_at(model: type[models.Model], event_type: str):
    """A subquery: the time of a record's first event of `event_type` (to annotate `model` rows)."""
    from django.db.models import OuterRef, Subquery

    ct = ContentType.objects.get_for_model(model)
    return Subquery(
        TimelineEvent.objects.filter(content_type=ct, object_id=OuterRef("pk"), event_type=event_type)
        .order_by("occurred_at")
        .values("occurred_at")[:1]
    )


def transitioned_ids(model: type[models.Model], event_type: str, lo, hi, *, from_codes, to_codes, among):
    """Ids of `model` records (within the id subquery `among`) with an event of `event_type` in
    [lo, hi) whose payload went from one of `from_codes` to one of `to_codes` (one query)."""
    ct = ContentType.objects.get_for_model(model)
    return (
        TimelineEvent.objects.filter(
            content_type=ct,
            event_type=event_type,
            occurred_at__gte=lo,
            occurred_at__lt=hi,
            object_id__in=among,
            data__from__in=list(from_codes),
            data__to__in=list(to_codes),
        )
        .values("object_id")
        .distinct()
    )
