"""Permissions read once per user and kept in the buffer between requests.

Django's ModelBackend reads a user's permissions with two queries on every request. They change
when roles, groups or memberships change, which the buffer watches (kefu.org.apps), so a page
costs no permission query and a change is seen by every process within a second.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from kefu.core import buffer


class BufferedModelBackend(ModelBackend):
    def _get_permissions(self, user_obj, obj, from_name):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        key = f"auth.perms:{from_name}:{user_obj.pk}:{int(user_obj.is_superuser)}"
        load = super()._get_permissions
        return buffer.get(key, lambda: frozenset(load(user_obj, obj, from_name)))

    def get_user(self, user_id):
        """The signed-in user of a request, by a lookup prepared once (kefu.core.prepared)."""
        from django.contrib.auth import get_user_model

        from kefu.core import prepared

        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        model = get_user_model()
        rows = prepared.fetch("auth.get_user", lambda pk: model._default_manager.filter(pk=pk), pk=pk)
        user = rows[0] if rows else None
        return user if user is not None and self.user_can_authenticate(user) else None
