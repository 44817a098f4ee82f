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

        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group, Permission

        from kefu.core import buffer
        from kefu.org.models import (
            BusinessArea,
            DistributionChannel,
            Division,
            Role,
            SalesGroup,
            SalesOffice,
            SalesOrganization,
            Staff,
            WorkCentre,
        )

        buffer.watch(DistributionChannel, Division, SalesGroup)  # defaults of every new document
        buffer.watch(SalesOffice, WorkCentre, SalesOrganization, BusinessArea)  # codes named on every row
        # Who may see and do what (scope_for, BufferedModelBackend) is buffered per user.
        buffer.watch(Role, Staff, Group, Permission)
        buffer.watch_many_to_many(get_user_model())
