"""The base of every request body the API accepts: unknown fields and control characters are
refused with a 400 naming the field, so nothing a client sends is silently ignored or stored
broken (a NUL byte, a lone surrogate)."""

from __future__ import annotations

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
