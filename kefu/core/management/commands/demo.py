"""`kefu demo`: load the demo company and every app's demo data (each app's `demo.py`, by ORDER)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from kefu.core.discovery import app_modules


class Command(BaseCommand):
    help = "Load the demo company (华美家具): organisation, staff and each app's demo records."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when staff already exist.")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (the demo is deterministic).")

    def handle(self, *args, if_empty=False, seed=2026, **options):
        from kefu.org.models import Staff
        from kefu.org.roles import sync_roles

        if if_empty and Staff.objects.exists():
            self.stdout.write("Demo data already present; skipped.")
            return
        sync_roles()
        import random

        ctx: dict = {"rng": random.Random(seed), "stdout": self.stdout}
        modules = sorted(
            (m for m in app_modules("demo") if hasattr(m, "load")), key=lambda m: getattr(m, "ORDER", 100)
        )
        for module in modules:
            with transaction.atomic():
                module.load(ctx)
            self.stdout.write(f"  demo: {module.__name__.split('.')[1]} loaded")
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
