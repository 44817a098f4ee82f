"""Numbers from number ranges, gap-free under concurrency (the row is locked while drawing)."""

from __future__ import annotations

from django.db import connection, transaction
from django.utils.translation import gettext as _

from kefu.core.errors import KefuError
from kefu.core.models import NumberRange


def next_number(code: str, *, count: int = 1, defaults: dict | None = None) -> list[str]:
    """Draw `count` consecutive numbers from the range `code` (created from `defaults` if missing).

    One UPDATE … RETURNING both reserves the numbers and locks the row until the caller's
    transaction ends, so numbers stay gap-free: a rolled-back caller gives its numbers back.
    """
    row = _draw(code, count)
    if row is None and not NumberRange.objects.filter(code=code).exists():
        with transaction.atomic():
            NumberRange.objects.get_or_create(code=code, defaults={"name": code, **(defaults or {})})
        row = _draw(code, count)
    if row is None:
        raise KefuError(
            _("Number range %(code)s is exhausted.") % {"code": code}, code="number_range_exhausted"
        )
    first, prefix, width = row
    return [f"{prefix}{str(n).zfill(width)}" for n in range(first, first + count)]


def _draw(code: str, count: int) -> tuple[int, str, int] | None:
    table = connection.ops.quote_name(NumberRange._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET next_value = next_value + %s "
            "WHERE code = %s AND next_value + %s - 1 <= last_value "
            "RETURNING next_value - %s, prefix, width",
            [count, code, count, count],
        )
        return cursor.fetchone()


def peek_next(code: str) -> str | None:
    rng = NumberRange.objects.filter(code=code).first()
    return f"{rng.prefix}{str(rng.next_value).zfill(rng.width)}" if rng else None
