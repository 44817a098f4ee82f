"""API authentication: personal tokens (Authorization: Bearer kefu_…) or the browser session."""

from __future__ import annotations

from ninja.security import APIKeyHeader, HttpBearer, SessionAuth

from kefu.api.services import user_for_key


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_key(token)
        if user is not None:
            request.user = user
        return user


class TokenHeaderAuth(APIKeyHeader):
    """`X-API-Key: kefu_…` for clients that cannot set Authorization."""

    param_name = "X-API-Key"

    def authenticate(self, request, key):
        user = user_for_key(key)
        if user is not None:
            request.user = user
        return user


class ActiveSessionAuth(SessionAuth):
    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None
