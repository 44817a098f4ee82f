"""Domain errors: a stable code, a translated message and the fields concerned.

Services raise these; one API handler renders them as {"error": {"code", "message", "fields"}}
and HTML views put the message next to the field. Codes never change once published.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _


class KefuError(Exception):
    code = "error"
    status = 400
    default_message = _("The request could not be processed.")

    def __init__(self, message=None, *, code: str | None = None, fields: Mapping[str, list] | None = None):
        self.message = message if message is not None else self.default_message
        if code:
            self.code = code
        self.fields = {k: [str(m) for m in v] for k, v in (fields or {}).items()}
        super().__init__(str(self.message))

    def as_dict(self) -> dict:
        return {"error": {"code": self.code, "message": str(self.message), "fields": self.fields}}


class ValidationFailed(KefuError):
    code = "invalid"
    status = 400
    default_message = _("Some fields are not valid.")

    @classmethod
    def from_django(cls, exc) -> ValidationFailed:
        """Wrap a django ValidationError, keeping per-field messages."""
        if hasattr(exc, "message_dict"):
            fields = {("__all__" if k == "__all__" else k): v for k, v in exc.message_dict.items()}
        else:
            fields = {"__all__": list(exc.messages)}
        first = next(iter(fields.values()), [None])[0]
        return cls(first or cls.default_message, fields=fields)


class NotFound(KefuError):
    """Missing and forbidden look the same from outside, so ids cannot be probed."""

    code = "not_found"
    status = 404
    default_message = _("Not found.")


class PermissionDenied(KefuError):
    code = "forbidden"
    status = 403
    default_message = _("You do not have permission to do this.")


class ConcurrentUpdate(KefuError):
    code = "conflict"
    status = 409
    default_message = _(
        "Someone else changed this record after you opened it. Reload it to see their change, then try again."
    )


class NotAuthenticated(KefuError):
    code = "not_authenticated"
    status = 401
    default_message = _("Authentication is required: log in or send a valid API token.")


class RendererUnavailable(KefuError):
    """The PDF renderer (headless chromium, `kefu.core.pdf`) is missing or failed."""

    code = "renderer_unavailable"
    status = 503
    default_message = _("The PDF renderer (chromium) is not available on this server.")
