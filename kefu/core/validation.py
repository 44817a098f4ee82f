"""Model validation for services: Django's full_clean, raised as our ValidationFailed, and the one
text boundary: control characters are refused in every text a user, a client or a file sends."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.core.errors import ValidationFailed

# C0 controls except tab, LF and CR; DEL; and UTF-16 surrogates (not characters at all). A NUL
# byte breaks PostgreSQL text and xlsx exports; the others are invisible and break search.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
CONTROL_CHARACTERS_MESSAGE = _("Control characters (such as NUL) are not allowed.")


def no_control_characters(value) -> None:
    """A field validator (forms and models): refuse control characters."""
    if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
        raise ValidationError(CONTROL_CHARACTERS_MESSAGE, code="control_characters")


def check_text(**values: str | None) -> None:
    """Refuse, naming each field, texts that hold control characters (for values that reach a
    model without its full_clean: text entries, mail, quotation lines)."""
    bad = {
        name: [str(CONTROL_CHARACTERS_MESSAGE)]
        for name, value in values.items()
        if isinstance(value, str) and CONTROL_CHARACTERS.search(value)
    }
    if bad:
        raise ValidationFailed(str(CONTROL_CHARACTERS_MESSAGE), fields=bad)


def blank_nulls(obj: models.Model) -> None:
    """A text column that holds no NULL reads a `null` from a client as empty (cleared), not as a
    database error."""
    for f in obj._meta.concrete_fields:
        if (
            isinstance(f, models.CharField | models.TextField)
            and not f.null
            and getattr(obj, f.attname) is None
        ):
            setattr(obj, f.attname, "")


def text_errors(obj: models.Model) -> dict[str, list[str]]:
    """The text fields of `obj` that hold control characters, each with the message."""
    return {
        f.name: [str(CONTROL_CHARACTERS_MESSAGE)]
        for f in obj._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and CONTROL_CHARACTERS.search(getattr(obj, f.attname) or "")
    }


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
    blank_nulls(obj)
    bad_text = text_errors(obj)
    try:
        obj.full_clean(exclude=[*(exclude or []), *loaded_relations(obj)], validate_unique=unique)
    except ValidationError as exc:
        failed = ValidationFailed.from_django(exc)
        raise ValidationFailed(failed.message, fields={**failed.fields, **bad_text}) from exc
    if bad_text:
        raise ValidationFailed(next(iter(bad_text.values()))[0], fields=bad_text)


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


MAX_ID = 2**63 - 1  # the largest BigAutoField id (PostgreSQL bigint; SQLite's INTEGER alike)


def parse_id(value, *, maximum: int = MAX_ID) -> int | None:
    """A whole number from a query-string or form value (an id, a version, a page), else None.

    Only ASCII digits from 0 to `maximum` count: `str.isdigit()` also accepts "²" and "①", which
    `int()` refuses (a 500 where a page number or a version was expected), `int()` of 5,000 digits
    refuses too, and a number past 64 bits makes the database driver fail: none reach a query."""
    text = str(value if value is not None else "").strip()
    if not is_number(text) or len(text) > len(str(maximum)):
        return None
    number = int(text)
    return number if number <= maximum else None


def is_number(text) -> bool:
    """Whether `text` is a plain ASCII whole number (see `parse_id`)."""
    return isinstance(text, str) and text.isascii() and text.isdigit()


def posted_ids(values) -> list[int]:
    """The ids among posted values (selected rows, ?id=…); anything else is not an id and is left out."""
    return [number for number in map(parse_id, values) if number is not None]


def posted_version(value, field: str = "version") -> int | None:
    """The record version a form was read at (None when the form sent none); a value that is not a
    whole number is refused naming the field, never a crash."""
    text = (value or "").strip() if isinstance(value, str) else value
    if text in (None, ""):
        return None
    number = parse_id(text)
    if number is None:
        raise ValidationFailed(fields={field: [str(_("Enter a whole number."))]})
    return number
