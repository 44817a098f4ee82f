"""Pinyin initials 拼音首字母 for keyboard search: '申齐保健' → 'sqbj' (pypinyin, heteronyms by
the library's phrase data). Stored in the n-gram search index next to the name, so typing the
initials in any picker finds the record through the same index as a Chinese fragment."""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin


@lru_cache(maxsize=4096)
def initials(text: str | None) -> str:
    """Lower-case initials of the Chinese characters of `text`; Latin letters and digits kept."""
    if not text:
        return ""
    letters = lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default")
    out = "".join(part for part in letters if part.isalnum()).casefold()
    return out if out != "".join(ch for ch in text.casefold() if ch.isalnum()) else ""
