from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "kefu.portal"
    label = "portal"
    verbose_name = _("Customer portal")

    def ready(self) -> None:
        from kefu.core import buffer
        from kefu.portal import events  # noqa: F401  (event types register on import)
        from kefu.portal.models import PortalAccount

        buffer.watch(PortalAccount)  # a user's scope (kefu.org.scope) depends on it
