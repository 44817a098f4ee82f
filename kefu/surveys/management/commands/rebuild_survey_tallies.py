"""Recount the daily rating and answer tallies the satisfaction results read (after rows were
loaded or changed past the services); exact whatever they held before."""

from datetime import date

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Recount the survey results' daily tallies from the ratings and answers (all days by default)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--start", type=date.fromisoformat, help="First day (YYYY-MM-DD), Asia/Shanghai.")
        parser.add_argument("--end", type=date.fromisoformat, help="Last day (YYYY-MM-DD), Asia/Shanghai.")

    def handle(self, *args, **options) -> None:
        from kefu.surveys.services import rebuild_tallies

        counted = rebuild_tallies(options["start"], options["end"])
        self.stdout.write(f"{counted['ratings']} rating tally rows, {counted['answers']} answer tally rows.")
