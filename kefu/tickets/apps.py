from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "kefu.tickets"
    label = "tickets"
    verbose_name = _("Service notifications")

    def ready(self) -> None:
        from kefu.core import buffer
        from kefu.tickets import (
            events,  # noqa: F401  (registers event types)
            services,
        )
        from kefu.tickets.models import Dispute, Notification, NotificationType, ServiceTarget
        from kefu.workflow.engine import register_record

        buffer.watch(NotificationType, ServiceTarget)
        register_record(
            Notification,
            apply=services.apply_transition,
            check=services.check_transition,
            # A workflow hand-off goes only to the department's own mailbox, which does the work.
            mail_content=lambda n, transition, inputs: services.mail_content(
                n, note=transition.display_name, masked=False
            ),
        )
        register_record(
            Dispute, apply=services.apply_dispute_transition, check=services.check_dispute_transition
        )
