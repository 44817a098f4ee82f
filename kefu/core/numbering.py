"""Numbers from number ranges, gap-free under concurrency (the row is locked while drawing)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from kefu.core.errors import KefuError
from kefu.core.models import NumberRange


def next_number(code: str, *, count: int = 1, defaults: dict | None = None) -> list[str]:
    """Draw `count` consecutive numbers from the range `code` (created from `defaults` if missing)."""
    with transaction.atomic():
        rng = NumberRange.objects.select_for_update().filter(code=code).first()
        if rng is None:
            NumberRange.objects.get_or_create(code=code, defaults={"name": code, **(defaults or {})})
            rng = NumberRange.objects.select_for_update().get(code=code)
        first = rng.next_value
        if first + count - 1 > rng.last_value:
            raise KefuError(
                _("Number range %(code)s is exhausted.") % {"code": code}, code="number_range_exhausted"
            )
        rng.next_value = first + count
        rng.save(update_fields=["next_value"])
    return [f"{rng.prefix}{str(n).zfill(rng.width)}" for n in range(first, first + count)]


def peek_next(code: str) -> str | None:
    rng = NumberRange.objects.filter(code=code).first()
    return f"{rng.prefix}{str(rng.next_value).zfill(rng.width)}" if rng else None
