"""Issuing, checking and revoking API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.api.models import ApiToken
from kefu.core.errors import NotFound, ValidationFailed
from kefu.timeline.registry import register
from kefu.timeline.services import record

TOKEN_PREFIX = "kefu_"
TOKEN_CREATED = register("api.token_created", gettext_lazy("API token created"), icon="key")
TOKEN_REVOKED = register("api.token_revoked", gettext_lazy("API token revoked"), icon="key")


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_token(*, actor, name: str, days_valid: int | None = None, user=None) -> tuple[ApiToken, str]:
    """Create a token for `user` (default: `actor`).

    Returns the token and the plain key, which is never stored and never shown again.
    """
    owner = user or actor
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(
            fields={"name": [_("Give the token a name, e.g. the program that will use it.")]}
        )
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=owner,
            name=name[:60],
            prefix=key[: len(TOKEN_PREFIX) + 6],
            key_hash=_hash(key),
            expires_at=timezone.now() + timedelta(days=days_valid) if days_valid else None,
        )
        record(owner, TOKEN_CREATED.code, actor=actor, data={"token": token.prefix, "name": token.name})
    return token, key


def revoke_token(*, actor, token_id: int) -> None:
    token = ApiToken.objects.filter(pk=token_id, user=actor, revoked_at__isnull=True).first()
    if token is None:
        raise NotFound()
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record(actor, TOKEN_REVOKED.code, actor=actor, data={"token": token.prefix})


def user_for_key(key: str):
    """The active user a key belongs to, or None for an unknown, revoked or expired key."""
    if not key or not key.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user").filter(key_hash=_hash(key), revoked_at__isnull=True).first()
    )
    now = timezone.now()
    if token is None or (token.expires_at and token.expires_at <= now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
