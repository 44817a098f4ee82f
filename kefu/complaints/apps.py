from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "kefu.complaints"
    label = "complaints"
    verbose_name = _("Complaints and accidents")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from kefu.complaints import events, flows  # noqa: F401  (event types register on import)
        from kefu.complaints.models import StepTimeLimit
        from kefu.workflow.models import Status, StatusProfile, Transition

        # Cache invalidation only: cached profiles and limits are dropped when an administrator edits them.
        for model in (StepTimeLimit, Status, StatusProfile, Transition):
            post_save.connect(
                flows.invalidate, sender=model, dispatch_uid=f"complaints.inv.save.{model.__name__}"
            )
            post_delete.connect(
                flows.invalidate, sender=model, dispatch_uid=f"complaints.inv.del.{model.__name__}"
            )
