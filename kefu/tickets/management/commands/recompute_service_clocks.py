"""Set the service clocks of every notification from the current targets (bulk-loaded data, or
after the targets were changed in the admin); writes only rows whose clocks change."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Recompute the response/resolution clocks of notifications from the service targets."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--open-only", action="store_true", help="Only notifications still open.")

    def handle(self, *args, **options) -> None:
        from kefu.tickets.models import Notification
        from kefu.tickets.services import recompute_clocks
        from kefu.workflow.choices import Stage

        qs = Notification.objects.all()
        if options["open_only"]:
            qs = qs.filter(stage__in=Stage.open_values())
        changed = recompute_clocks(qs)
        self.stdout.write(f"{changed} notifications' clocks set.")
