"""Optimistic locking for VersionedModel: the second of two concurrent saves is refused."""

from __future__ import annotations

from django.db.models import F

from kefu.core.errors import ConcurrentUpdate
from kefu.core.models import VersionedModel


def save_versioned(obj: VersionedModel, *, expected_version: int | None, update_fields: list[str]) -> None:
    """Save `update_fields` only if the stored version is still `expected_version`.

    One conditional UPDATE, so it is atomic on every database without a lock held across the
    user's think time. `expected_version=None` means the caller holds a row lock already.
    """
    model = type(obj)
    # A foreign key by name or by column (`customer` or `customer_id`), as Model.save() allows.
    columns = {f.name: f for f in model._meta.concrete_fields}
    columns |= {f.attname: f for f in model._meta.concrete_fields}
    fields = sorted(set(update_fields) | {"updated_at"})
    values = {name: getattr(obj, columns[name].attname) for name in fields}
    for name in fields:
        if getattr(columns[name], "auto_now", False):
            values[name] = columns[name].pre_save(obj, add=False)
    query = model._base_manager.filter(pk=obj.pk)
    if expected_version is not None:
        query = query.filter(version=expected_version)
    updated = query.update(**values, version=F("version") + 1)
    if not updated:
        raise ConcurrentUpdate()
    obj.version = (expected_version if expected_version is not None else obj.version) + 1
