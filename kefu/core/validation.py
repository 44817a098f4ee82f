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
        if isinstance(f, models.ForeignKey) and f.is_cached(obj) and getattr(obj, f.attname) is not None
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


def model_decimal(value, *, model: type[models.Model], field: str, name: str | None = None):
    """`value` as a Decimal that fits `model.field`: quantised to its decimal places (half up)
    and refused, naming the field, when it is not a number or has more digits than the column
    holds (SQLite would store it and every page showing it would fail from then on)."""
    from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

    from django.utils.translation import gettext as _

    column = model._meta.get_field(field)
    assert isinstance(column, models.DecimalField), f"{model.__name__}.{field} is not a money column"
    label = name or field
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationFailed(fields={label: [_("Enter a number.")]}) from None
    if not number.is_finite():
        raise ValidationFailed(fields={label: [_("Enter a number.")]})
    places = column.decimal_places
    number = number.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    whole_digits = column.max_digits - places
    if abs(number) >= Decimal(10) ** whole_digits:
        message = _("Too large: at most %(digits)d digits before the decimal point.") % {
            "digits": whole_digits
        }
        raise ValidationFailed(message, fields={label: [message]})
    return number
