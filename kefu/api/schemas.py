"""The base of every request body the API accepts: unknown fields and control characters are
refused with a 400 naming the field, so nothing a client sends is silently ignored or stored
broken (a NUL byte, a lone surrogate)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import ConfigDict, field_validator
from pydantic_core import PydanticCustomError

from kefu.core.validation import CONTROL_CHARACTERS


class InputSchema(Schema):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
            raise PydanticCustomError("control_characters", "control characters are not allowed")
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _years_people_mean(cls, value: Any) -> Any:
        """A date or time from year 1900 to 2199: year 68 is a typing error, and before 1900 the
        time zone database gives Shanghai its local mean time (+08:05:43)."""
        if isinstance(value, dt.date) and not 1900 <= value.year <= 2199:
            raise PydanticCustomError("date_range", "enter a date between 1900 and 2199")
        return value
