"""API authentication: personal tokens (Authorization: Bearer kefu_…) or the browser session."""

from __future__ import annotations

from ninja.security import APIKeyHeader, HttpBearer, SessionAuth

from kefu.api.services import user_for_key


def _side_checked(request, user):
    """A customer user (portal account) reaches the portal API only: 403 everywhere else, however
    they authenticate (the session case is stopped earlier by CustomerBoundaryMiddleware)."""
    if user is None:
        return None
    from kefu.core.middleware import CUSTOMER_API_PREFIX
    from kefu.org.scope import scope_for

    if scope_for(user).is_customer and not request.path_info.startswith(CUSTOMER_API_PREFIX):
        from kefu.core.errors import PermissionDenied

        raise PermissionDenied()
    return user


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = _side_checked(request, user_for_key(token))
        if user is not None:
            request.user = user
        return user


class TokenHeaderAuth(APIKeyHeader):
    """`X-API-Key: kefu_…` for clients that cannot set Authorization."""

    param_name = "X-API-Key"

    def authenticate(self, request, key):
        user = _side_checked(request, user_for_key(key))
        if user is not None:
            request.user = user
        return user


class ActiveSessionAuth(SessionAuth):
    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        return _side_checked(request, user) if user is not None and user.is_active else None
