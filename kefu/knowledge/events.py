"""Timeline event types of the knowledge base (stable codes, translated labels)."""

from django.utils.translation import gettext_lazy

from kefu.timeline.registry import register

SOLUTION_LINKED = register(
    "knowledge.solution_linked",
    gettext_lazy("Knowledge article used as the solution"),
    describe=lambda d: f"{d.get('number', '')} {d.get('title', '')}",
    icon="journal-check",
)
