from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelsConfig(AppConfig):
    name = "kefu.channels"
    label = "channels"
    verbose_name = _("Channels")

    def ready(self) -> None:
        from kefu.channels import events, followups  # noqa: F401  (event types, workflow follow-up)
