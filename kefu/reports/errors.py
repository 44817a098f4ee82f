"""Error codes of management reports (the shared envelope is kefu.core.errors)."""

from django.utils.translation import gettext_lazy as _

from kefu.core.errors import KefuError


class CardLocked(KefuError):
    code = "card_signed"
    status = 409
    default_message = _("This scorecard has been signed off and can no longer change.")


class RendererUnavailable(KefuError):
    code = "renderer_unavailable"
    status = 503
    default_message = _("The PDF renderer (chromium) is not available on this server.")
