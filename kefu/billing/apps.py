from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "kefu.billing"
    label = "billing"
    verbose_name = _("Service billing")

    def ready(self) -> None:
        from kefu.billing import events, services  # noqa: F401  (event types, invoice follow-up)
