"""Error codes of management reports (the shared envelope is kefu.core.errors)."""

from django.utils.translation import gettext_lazy as _

from kefu.core.errors import KefuError, RendererUnavailable  # noqa: F401  (re-exported: moved to core)


class CardLocked(KefuError):
    code = "card_signed"
    status = 409
    default_message = _("This scorecard has been signed off and can no longer change.")
