from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "kefu.visits"
    label = "visits"
    verbose_name = _("Return visits and receptions")

    def ready(self) -> None:
        from kefu.visits import events  # noqa: F401  (event types register on import)
        from kefu.visits.models import Reception
        from kefu.workflow.engine import register_record

        register_record(Reception, apply=_apply_reception)


def _apply_reception(reception, transition, inputs: dict, actor) -> list[str]:
    from kefu.visits.services import apply_reception_transition

    return apply_reception_transition(reception, transition, inputs, actor)
