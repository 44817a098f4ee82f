"""Timeline event types of visits and receptions (stable codes, translated labels)."""

from django.utils.translation import gettext_lazy

from kefu.timeline.registry import describe_changes, register

VISIT_PLANNED = register(
    "visits.planned",
    gettext_lazy("Return visit planned"),
    describe=lambda d: d.get("reason", ""),
    icon="calendar",
)
VISIT_RECORDED = register(
    "visits.recorded",
    gettext_lazy("Return visit recorded"),
    describe=lambda d: d.get("summary", "")[:80],
    icon="telephone",
)
VISIT_FOLLOW_UP = register(
    "visits.follow_up",
    gettext_lazy("Follow-up from a return visit"),
    describe=lambda d: f"{d.get('number', '')} {d.get('description', '')}",
    icon="arrow-return-right",
)
VISIT_CANCELLED = register(
    "visits.cancelled", gettext_lazy("Return visit cancelled"), describe=lambda d: d.get("note", ""), icon="x"
)
RULE_SAVED = register(
    "visits.rule_saved", gettext_lazy("Visit rule saved"), describe=describe_changes, icon="gear"
)
RECEPTION_CREATED = register(
    "visits.reception_created",
    gettext_lazy("Reception recorded"),
    describe=lambda d: d.get("purpose", ""),
    icon="people",
)
QUESTION_ANSWERED = register(
    "visits.question_answered",
    gettext_lazy("Open question answered"),
    describe=lambda d: d.get("question", "")[:80],
    icon="chat-left-text",
)
