from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "kefu.complaints"
    label = "complaints"
    verbose_name = _("Complaints and accidents")

    def ready(self) -> None:
        from kefu.complaints import events, flows  # noqa: F401  (event types register on import)
        from kefu.complaints.models import Accident, Complaint, StepTimeLimit
        from kefu.core import buffer
        from kefu.workflow.engine import register_record

        buffer.watch(StepTimeLimit)  # profiles, statuses and transitions: watched by workflow
        register_record(Complaint, apply=flows.apply_complaint_transition)
        register_record(Accident, apply=flows.apply_accident_transition)
