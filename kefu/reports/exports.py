"""The scorecards of a month as .xlsx (the one writer, kefu.core.xlsx)."""

from __future__ import annotations

from datetime import date

from django.http import HttpResponse
from django.utils.translation import gettext as _

from kefu.core.xlsx import XlsxWriter
from kefu.reports.models import ScorecardLine

EXPORT_LIMIT = 5000


def shown(value) -> object:
    return "—" if value is None else value


def scorecards_xlsx(cards, period: date) -> HttpResponse:
    cards = list(cards[:EXPORT_LIMIT])
    writer = XlsxWriter()
    writer.add_sheet(
        _("Scorecards"),
        [
            _("Month"),
            _("Responsibility centre"),
            _("Personnel number"),
            _("Appraised"),
            _("Score"),
            _("Grade"),
            _("Status"),
        ],
    )
    for card in cards:
        writer.append(
            [
                f"{card.period_start:%Y-%m}",
                f"{card.sales_office.code} {card.sales_office.name}",
                card.staff.personnel_number if card.staff_id else "",
                card.staff.name if card.staff_id else _("Centre"),
                shown(card.score),
                card.grade or "—",
                card.get_status_display(),
            ]
        )
    writer.add_sheet(
        _("Indicators"),
        [
            _("Month"),
            _("Personnel number"),
            _("Appraised"),
            _("Indicator"),
            _("Value"),
            _("Numerator"),
            _("Denominator"),
            _("Weight"),
            _("Points"),
        ],
    )
    lines = (
        ScorecardLine.objects.filter(scorecard__in=[c.pk for c in cards])
        .select_related("indicator", "scorecard__staff", "scorecard__sales_office")
        .order_by("scorecard__sales_office__code", "scorecard__staff__personnel_number", "indicator__order")
    )
    for line in lines:
        card = line.scorecard
        writer.append(
            [
                f"{card.period_start:%Y-%m}",
                card.staff.personnel_number if card.staff_id else card.sales_office.code,
                card.staff.name if card.staff_id else card.sales_office.name,
                line.indicator.display_name,
                shown(line.value),
                shown(line.numerator),
                shown(line.denominator),
                line.weight,
                shown(line.points),
            ]
        )
    return writer.response(f"考核表_{period:%Y-%m}.xlsx")
