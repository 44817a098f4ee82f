from django.utils.translation import gettext_lazy as _

from kefu.core.errors import KefuError


class TransitionNotAllowed(KefuError):
    code = "transition_not_allowed"
    status = 409
    default_message = _("This status change is not allowed from the current status.")


class UnknownStatus(KefuError):
    code = "unknown_status"
    status = 400
    default_message = _("Unknown status.")
