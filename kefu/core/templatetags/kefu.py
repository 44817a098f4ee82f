"""Kefu's template filters, loaded in every template (settings TEMPLATES builtins)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def money(value) -> str:
    """An amount 金额 as people read it: two places and thousands separators (13,299.99), "—" if none.

    The one money format of every page, print and mail body (SQLite hands back 13299.9900000000)."""
    if value in (None, ""):
        return "—"
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return f"{amount.quantize(Decimal('0.01'), ROUND_HALF_UP):,.2f}"
