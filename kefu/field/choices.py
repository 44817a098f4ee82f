"""Fixed values of field service: visit time slots and the technician's steps."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _


class Slot(models.TextChoices):
    """An agreed visit window 预约时段 of one day."""

    MORNING = "am", _("Morning 08:00–12:00")
    AFTERNOON = "pm", _("Afternoon 13:00–17:00")
    EVENING = "ev", _("Evening 18:00–21:00")


SLOT_START = {Slot.MORNING: dt.time(8), Slot.AFTERNOON: dt.time(13), Slot.EVENING: dt.time(18)}
SLOT_ORDER = {Slot.MORNING: 0, Slot.AFTERNOON: 1, Slot.EVENING: 2}


class StepKind(models.TextChoices):
    """What a technician records on site, as big buttons in the app."""

    ARRIVE = "arrive", _("Arrived on site")
    SURVEY = "survey", _("Survey result")
    REPORT = "report", _("Service report")
    PHOTO = "photo", _("Photo")
    SIGN = "sign", _("Customer acceptance signature")
