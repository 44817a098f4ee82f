from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "kefu.complaints"
    label = "complaints"
    verbose_name = _("Complaints and accidents")

    def ready(self) -> None:
        from kefu.complaints import events, flows  # noqa: F401  (event types register on import)
        from kefu.complaints.models import StepTimeLimit
        from kefu.core import buffer

        buffer.watch(StepTimeLimit)  # profiles, statuses and transitions: watched by workflow
