"""Secrets at rest 敏感字段加密: one encrypted model field for passwords and keys Kefu must use
later in clear (an IMAP mailbox's password, a WeChat account's AppSecret, token, EncodingAESKey).

- Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`), stored as ``enc:v1:<token>``.
- The key: the setting ``KEFU_FIELD_KEY`` (environment variable of the same name; a Fernet key,
  or any passphrase, which is stretched with HKDF), else one derived from ``SECRET_KEY``. Values
  written under an earlier key stay readable while that key is listed: ``SECRET_KEY`` and
  ``SECRET_KEY_FALLBACKS`` always are, and ``KEFU_FIELD_KEY_FALLBACKS`` (comma-separated).
  So setting ``KEFU_FIELD_KEY`` later needs no migration; ``rotate_field_keys`` re-encrypts.
- Write-only in forms: the widget never renders the stored value; an empty input keeps it.
- A value without the prefix is legacy plaintext (before the migration that encrypts it) and
  is read as is, so the migration can run on a live system.
"""

from __future__ import annotations

import base64
import logging
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django import forms
from django.conf import settings
from django.db import models

log = logging.getLogger(__name__)

PREFIX = "enc:v1:"


def _fernet_key(secret: str) -> bytes:
    """A Fernet key as given, or one stretched from a passphrase / SECRET_KEY with HKDF."""
    raw = secret.encode()
    try:
        if len(base64.urlsafe_b64decode(raw)) == 32 and len(raw) == 44:
            return raw
    except (ValueError, TypeError):
        pass
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"kefu.core.crypto", info=b"field").derive(raw)
    return base64.urlsafe_b64encode(derived)


def _secrets() -> tuple[str, ...]:
    chosen = [str(getattr(settings, "KEFU_FIELD_KEY", "") or "")]
    chosen += [str(k) for k in getattr(settings, "KEFU_FIELD_KEY_FALLBACKS", []) or []]
    chosen += [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    seen: list[str] = []
    for secret in chosen:
        if secret and secret not in seen:
            seen.append(secret)
    return tuple(seen)


@lru_cache(maxsize=4)
def _cipher(secrets_: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(_fernet_key(s)) for s in secrets_])


def cipher() -> MultiFernet:
    """Encrypts with the first key, decrypts with any listed key."""
    return _cipher(_secrets())


def is_encrypted(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def encrypt(value: str) -> str:
    if not value or is_encrypted(value):
        return value
    return PREFIX + cipher().encrypt(value.encode()).decode()


def decrypt(value: str) -> str:
    """The clear value; legacy plaintext as is; "" (and an error in the log) for a value no listed
    key opens (a lost key must not take every page that lists the record down)."""
    if not is_encrypted(value):
        return value
    try:
        return cipher().decrypt(value[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        log.error("an encrypted field could not be decrypted: KEFU_FIELD_KEY or SECRET_KEY changed?")
        return ""


def rotate(value: str) -> str:
    """The value re-encrypted under the current first key (plaintext gets encrypted)."""
    if not value:
        return value
    if not is_encrypted(value):
        return encrypt(value)
    return PREFIX + cipher().rotate(value[len(PREFIX) :].encode()).decode()


class SecretInput(forms.PasswordInput):
    """Never renders the stored value; says whether one is stored."""

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs={"autocomplete": "new-password", **(attrs or {})}, render_value=False)


class SecretFormField(forms.CharField):
    widget = SecretInput

    def __init__(self, *args, **kwargs) -> None:
        kwargs["required"] = False  # empty keeps the stored value (say so in the model's help_text)
        super().__init__(*args, **kwargs)

    def has_changed(self, initial, data) -> bool:
        return bool(data)


class EncryptedTextField(models.TextField):
    """A text column holding a secret encrypted at rest; the Python value is the clear text.

    Not searchable or orderable (each encryption differs). In model forms (admin included) it is
    write-only: an empty input keeps the stored secret."""

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def to_python(self, value):
        value = super().to_python(value)
        return decrypt(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else value

    def value_to_string(self, obj) -> str:
        # Serialised (dumpdata, fixtures) encrypted: a dump holds no secret in clear.
        return encrypt(str(self.value_from_object(obj) or ""))

    def formfield(self, **kwargs):
        # Whatever widget a caller asks for (the admin asks for a textarea for text fields),
        # a secret is entered in a password input that never renders it.
        return super().formfield(**{**kwargs, "form_class": SecretFormField, "widget": SecretInput})

    def save_form_data(self, instance, data) -> None:
        if data:
            setattr(instance, self.attname, data)
