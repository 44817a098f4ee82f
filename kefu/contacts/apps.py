from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "kefu.contacts"
    label = "contacts"
    verbose_name = _("Contacts and calls")

    def ready(self) -> None:
        from kefu.contacts import events  # noqa: F401  (event types register on import)
