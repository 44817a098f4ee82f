from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "kefu.tickets"
    label = "tickets"
    verbose_name = _("Service notifications")

    def ready(self) -> None:
        from kefu.core import buffer
        from kefu.tickets import events  # noqa: F401  (registers event types)
        from kefu.tickets.models import NotificationType

        buffer.watch(NotificationType)
