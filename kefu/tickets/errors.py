from django.utils.translation import gettext_lazy as _

from kefu.core.errors import KefuError


class CloseBlocked(KefuError):
    """A notification cannot be completed yet (e.g. accepted quote without service report)."""

    code = "close_blocked"
    status = 409
    default_message = _("The notification cannot be completed yet.")


class AttachmentRefused(KefuError):
    code = "attachment_refused"
    status = 400
    default_message = _("This file cannot be attached.")
