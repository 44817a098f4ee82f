"""Error codes of visits and receptions (stable, published in the API)."""

from django.utils.translation import gettext_lazy as _

from kefu.core.errors import KefuError


class VisitNotPlanned(KefuError):
    code = "visit_not_planned"
    status = 409
    default_message = _("This visit is already recorded or cancelled.")


class QuestionAnswered(KefuError):
    code = "question_answered"
    status = 409
    default_message = _("This question is already answered.")
