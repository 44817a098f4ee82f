"""Error codes of contacts and calls (stable, published in the API)."""

from django.utils.translation import gettext_lazy as _

from kefu.core.errors import KefuError


class BadSignature(KefuError):
    code = "bad_signature"
    status = 401
    default_message = _("The call event is not signed with a known key, or the signature is wrong.")


class ContactClosed(KefuError):
    code = "contact_closed"
    status = 409
    default_message = _("This contact is closed; it can no longer be changed.")


class OutsideCallingHours(KefuError):
    code = "outside_calling_hours"
    status = 409
    default_message = _("It is outside this list's calling hours.")


class CallTaken(KefuError):
    code = "call_taken"
    status = 409
    default_message = _("A colleague has already taken this call.")
