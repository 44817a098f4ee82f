"""Database sessions whose lookup is prepared once (kefu.core.prepared): every request reads its
session, and compiling that one-row query cost more than running it. Behaviour is Django's."""

from __future__ import annotations

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils import timezone

from kefu.core import prepared


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        key = self.session_key
        if not isinstance(key, str) or not key:
            self._session_key = None
            return None
        model = self.model
        rows = prepared.fetch("core.session", lambda key: model.objects.filter(session_key=key), key=key)
        session = rows[0] if rows else None
        if session is None or session.expire_date <= timezone.now():
            self._session_key = None
            return None
        return session
