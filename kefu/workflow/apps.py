from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "kefu.workflow"
    label = "workflow"
    verbose_name = _("Workflow")

    def ready(self) -> None:
        from kefu.core import buffer
        from kefu.org.models import Department, Role
        from kefu.workflow import events  # noqa: F401  (registers event types)
        from kefu.workflow.models import Status, StatusProfile, Transition

        buffer.watch(StatusProfile, Status, Transition, Role, Department)  # profiles are customizing data
