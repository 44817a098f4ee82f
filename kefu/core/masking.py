"""Masking of personal data 个人信息脱敏 for roles that may not see it.

Masking happens where data leaves the service layer (queries build masked read models for
views, API and exports alike), so no template or endpoint can forget it.
"""

from __future__ import annotations

import re

_DIGIT = re.compile(r"\d")


def mask_phone(value: str | None) -> str:
    """138****5678 for mobiles; for other numbers keep the first 3 and last 2 digits."""
    if not value:
        return ""
    digits = [i for i, ch in enumerate(value) if ch.isdigit()]
    if len(digits) < 7:
        return "*" * len(value)
    number = "".join(value[i] for i in digits)
    is_mobile = len(number) >= 11 and number[-11] == "1" and number[-10] in "3456789"
    keep_head, keep_tail = (len(digits) - 8, 4) if is_mobile else (3, 2)
    hidden = set(digits[keep_head : len(digits) - keep_tail])
    return "".join("*" if i in hidden else ch for i, ch in enumerate(value))


def mask_email(value: str | None) -> str:
    if not value:
        return ""
    local, _, domain = value.partition("@")
    if not domain:
        return mask_text(value)
    return f"{local[:1]}***@{domain}"


def mask_id_number(value: str | None) -> str:
    """身份证号 / 统一社会信用代码: first 4 and last 4 characters."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_address(value: str | None) -> str:
    """Keep the region (the first 6 characters: 省市 or 市区), hide the street and number."""
    if not value:
        return ""
    head = value[:6]
    return head + "****" if len(value) > 6 else head[:2] + "****"


def mask_text(value: str | None) -> str:
    if not value:
        return ""
    return value[:1] + "*" * max(len(value) - 1, 2)
