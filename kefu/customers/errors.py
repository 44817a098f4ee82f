"""Error codes of the customer archive (stable; the API publishes them)."""

from django.utils.translation import gettext_lazy as _

from kefu.core.errors import KefuError, PermissionDenied


class DuplicateNumber(KefuError):
    code = "duplicate_customer_number"
    status = 400
    default_message = _("This customer number is already used.")


class ReasonRequired(KefuError):
    code = "reason_required"
    status = 400
    default_message = _("Give a reason for seeing the personal data.")


class NotAllowed(PermissionDenied):
    code = "forbidden"
