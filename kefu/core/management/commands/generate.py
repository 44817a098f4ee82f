"""`kefu generate`: make large volumes of realistic records fast, for benchmarks.

Each app contributes a `generate.py` with `ORDER`, `add_arguments(parser)` and
`run(options, ctx)`; they use bulk inserts in batches and a deterministic seed, so the same
command makes the same data. The demo organisation is loaded first if missing.
"""

import random
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from kefu.core import bulkload
from kefu.core.discovery import app_modules


def _generators():
    return sorted(
        (m for m in app_modules("generate") if hasattr(m, "run")), key=lambda m: getattr(m, "ORDER", 100)
    )


class Command(BaseCommand):
    help = "Generate scale data (e.g. --customers 1000000 --notifications 1000000)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--batch", type=int, default=50_000)
        for module in _generators():
            module.add_arguments(parser)

    def handle(self, *args, **options):
        from kefu.org.models import Staff

        if not Staff.objects.exists():
            call_command("demo", stdout=self.stdout)
        bulkload.prepare()
        ctx = {
            "rng": random.Random(options["seed"]),
            "stdout": self.stdout,
            "batch": options["batch"],
            "verbosity": options["verbosity"],
        }
        for module in _generators():
            started = time.perf_counter()
            made = module.run(options, ctx)
            if made:
                self.stdout.write(
                    f"  {module.__name__.split('.')[1]}: {made} in {time.perf_counter() - started:.1f}s"
                )
