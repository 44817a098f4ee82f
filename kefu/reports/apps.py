from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "kefu.reports"
    label = "reports"
    verbose_name = _("Management and appraisal")

    def ready(self) -> None:
        from kefu.reports import events  # noqa: F401  (event types register on import)
