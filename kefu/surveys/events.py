"""Timeline event types of ratings and surveys (stable codes, translated labels)."""

from django.utils.translation import gettext_lazy

from kefu.timeline.registry import register

RATING_ISSUED = register(
    "surveys.rating_issued", gettext_lazy("Rating link sent"), describe=lambda d: d.get("to", ""), icon="star"
)
RATED = register(
    "surveys.rated",
    gettext_lazy("Rated by the customer"),
    describe=lambda d: f"{'★' * int(d.get('stars') or 0)} {d.get('comment', '')[:60]}",
    icon="star-fill",
)
LOW_RATING = register(
    "surveys.low_rating",
    gettext_lazy("Low rating warning"),
    describe=lambda d: f"{d.get('number', '')} {'★' * int(d.get('stars') or 0)}",
    icon="exclamation-triangle",
)
SURVEY_ANSWERED = register(
    "surveys.answered",
    gettext_lazy("Survey answered"),
    describe=lambda d: d.get("survey", ""),
    icon="clipboard-data",
)
CAMPAIGN_STARTED = register(
    "surveys.campaign_started",
    gettext_lazy("Survey campaign started"),
    describe=lambda d: d.get("code", ""),
    icon="send",
)
CAMPAIGN_FINISHED = register(
    "surveys.campaign_finished",
    gettext_lazy("Survey campaign sent"),
    describe=lambda d: f"{d.get('sent', 0)} / {d.get('without_email', 0)}",
    icon="send-check",
)
