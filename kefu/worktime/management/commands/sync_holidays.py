"""Add public holidays and 调休 workdays from chinese-calendar to every work calendar.

Run after upgrading the library (it learns next year's holidays each December); manual
entries are kept.
"""

from django.core.management.base import BaseCommand

from kefu.worktime.holidays import fill_calendar
from kefu.worktime.models import WorkCalendar


class Command(BaseCommand):
    help = "Refresh public holidays and make-up workdays from the chinese-calendar library."

    def handle(self, *args, **options):
        for calendar in WorkCalendar.objects.all():
            added = fill_calendar(calendar)
            self.stdout.write(f"{calendar.code}: {added} days added")
