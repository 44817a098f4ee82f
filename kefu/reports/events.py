"""Timeline event types of scorecards, supervision reports and weekly reports (stable codes)."""

from django.utils.translation import gettext_lazy

from kefu.timeline.registry import register

CARD_COMPUTED = register(
    "report.card_computed",
    gettext_lazy("Scorecard computed"),
    describe=lambda d: f"{d.get('score') or '—'} {d.get('grade') or ''}".strip(),
    icon="calculator",
)
CARD_RATED = register(
    "report.card_rated",
    gettext_lazy("Scorecard rated"),
    describe=lambda d: ", ".join(f"{k} {v}" for k, v in (d.get("points") or {}).items()),
    icon="star",
)
CARD_SIGNED = register(
    "report.card_signed",
    gettext_lazy("Scorecard signed off"),
    describe=lambda d: d.get("comment", ""),
    icon="pen",
)
REPORT_GENERATED = register(
    "report.supervision_generated",
    gettext_lazy("Supervision report generated"),
    describe=lambda d: d.get("period", ""),
    icon="file-earmark-pdf",
)
WEEKLY_SUBMITTED = register(
    "report.weekly_submitted",
    gettext_lazy("Weekly report submitted"),
    describe=lambda d: d.get("week", ""),
    icon="send",
)
