from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "kefu.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from kefu.org.roles import sync_roles_after_migrate

        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="kefu.org.sync_roles")

        from kefu.core import buffer
        from kefu.org.models import DistributionChannel, Division, SalesGroup

        buffer.watch(DistributionChannel, Division, SalesGroup)  # defaults of every new document
