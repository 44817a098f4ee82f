"""Model validation for services: Django's full_clean, raised as our ValidationFailed."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from kefu.core.errors import ValidationFailed


def loaded_relations(obj: models.Model) -> list[str]:
    """Foreign keys whose related record is already in memory, hence known to exist."""
    return [
        f.name
        for f in obj._meta.concrete_fields
        if f.is_relation and f.is_cached(obj) and getattr(obj, f.attname) is not None
    ]


def full_clean(obj: models.Model, *, exclude: list[str] | None = None, unique: bool = False) -> None:
    """Validate `obj` before a write, naming each bad field.

    Related records already loaded (resolved from codes, forms or defaults) are not checked again:
    Django would spend one existence query per foreign key on records we just read. Empty
    required relations are still reported, as they are not loaded.
    """
    try:
        obj.full_clean(exclude=[*(exclude or []), *loaded_relations(obj)], validate_unique=unique)
    except ValidationError as exc:
        raise ValidationFailed.from_django(exc) from exc
