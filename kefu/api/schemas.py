"""The base of every request body the API accepts: unknown fields and control characters are
refused with a 400 naming the field, so nothing a client sends is silently ignored or stored
broken (a NUL byte, a lone surrogate)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from kefu.core.validation import CONTROL_CHARACTERS

ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day(value: Any) -> Any:
    """A date as the document says (YYYY-MM-DD): pydantic alone also reads 0 or "1700000000" as
    a Unix time, so `?day=0` was 1970-01-01 and a request the schema forbids answered 200."""
    if isinstance(value, dt.date) or value is None:
        return value
    if isinstance(value, str) and ISO_DAY.fullmatch(value.strip()):
        return value.strip()
    raise PydanticCustomError("date_parsing", "enter a valid date (YYYY-MM-DD)")


def _day_in_range(value: dt.date | None) -> dt.date | None:
    if value is not None and not 1900 <= value.year <= 2199:
        raise PydanticCustomError("date_range", "enter a date between 1900 and 2199")
    return value


# A date query parameter: YYYY-MM-DD only, years 1900–2199 (as InputSchema's date fields).
Day = Annotated[dt.date, BeforeValidator(_iso_day), AfterValidator(_day_in_range)]


def _is_date_field(annotation: Any) -> bool:
    args = getattr(annotation, "__args__", ())
    return annotation in (dt.date, dt.datetime) or any(a in (dt.date, dt.datetime) for a in args)


def _is_int_field(annotation: Any) -> bool:
    args = [a for a in getattr(annotation, "__args__", ()) if a is not type(None)]
    return annotation is int or args == [int]


class InputSchema(Schema):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _no_control_characters(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
            raise PydanticCustomError("control_characters", "control characters are not allowed")
        field = cls.model_fields.get(info.field_name or "")
        if field is None:
            return value
        if (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and _is_date_field(field.annotation)
        ):
            # A number is no date here (pydantic would read it as a Unix time).
            raise PydanticCustomError("date_parsing", "enter a valid date (YYYY-MM-DD)")
        if isinstance(value, bool | str) and _is_int_field(field.annotation):
            # JSON's true or "5" is no integer: pydantic would read them as 1 and 5.
            raise PydanticCustomError("int_parsing", "enter a whole number")
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _years_people_mean(cls, value: Any) -> Any:
        """A date or time from year 1900 to 2199: year 68 is a typing error, and before 1900 the
        time zone database gives Shanghai its local mean time (+08:05:43)."""
        if isinstance(value, dt.date) and not 1900 <= value.year <= 2199:
            raise PydanticCustomError("date_range", "enter a date between 1900 and 2199")
        return value


def choice_query(values, *, description: str | None = None):
    """A query filter whose allowed values the document lists (an `enum`, with "" for none), so
    a client — or a fuzzer — knows which values answer 200; the list's FilterSet still checks
    the value and answers 400 naming the field for any other."""
    from ninja import Query

    allowed = ["", *(str(v) for v in values)]
    param = Query("", description=description)
    param.json_schema_extra["enum"] = allowed  # ninja sets it to a dict
    return param
