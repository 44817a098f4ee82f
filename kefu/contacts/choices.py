"""Fixed system states of contacts and calls (codes stored, labels translated)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    PORTAL = "portal", _("Portal")
    MAIL = "mail", _("E-mail")
    WECHAT = "wechat", _("WeChat")
    VISIT = "visit", _("In person")
    STAFF = "staff", _("Entered by staff")


class Direction(models.TextChoices):
    INBOUND = "in", _("Inbound")
    OUTBOUND = "out", _("Outbound")


class CallEventKind(models.TextChoices):
    RING = "ring", _("Ringing")
    ANSWER = "answer", _("Answered")
    HANGUP = "hangup", _("Hung up")


class CallOutcome(models.TextChoices):
    RINGING = "ringing", _("Ringing")
    TALKING = "talking", _("In conversation")
    ANSWERED = "answered", _("Answered")
    MISSED = "missed", _("Missed")


class Classification(models.TextChoices):
    """Seed 003 inbound flow, step 4: what the caller needs."""

    INQUIRY = "inquiry", _("Inquiry")
    SERVICE = "service", _("Service request")
    COMPLAINT = "complaint", _("Complaint")
    ORDER = "order", _("Order / delivery")
    SUGGESTION = "suggestion", _("Suggestion")
    OTHER = "other", _("Other")


class Resolution(models.TextChoices):
    RESOLVED = "resolved", _("Resolved on the call")
    HANDED_OVER = "handed_over", _("Handed over")
    FOLLOW_UP = "follow_up", _("I follow up myself")


class TaskStatus(models.TextChoices):
    PENDING = "pending", _("To call")
    RETRY = "retry", _("Call again")
    DONE = "done", pgettext_lazy("contacts", "Done")
    FAILED = "failed", _("Given up")


class AttemptOutcome(models.TextChoices):
    REACHED = "reached", _("Reached")
    NO_ANSWER = "no_answer", _("No answer")
    BUSY = "busy", _("Busy")
    WRONG_NUMBER = "wrong_number", _("Wrong number")
    CALL_BACK = "call_back", _("Asked to call back")
    REFUSED = "refused", _("Refused")


RETRY_OUTCOMES = {AttemptOutcome.NO_ANSWER, AttemptOutcome.BUSY, AttemptOutcome.CALL_BACK}
FINAL_FAILURES = {AttemptOutcome.WRONG_NUMBER, AttemptOutcome.REFUSED}


class ListPurpose(models.TextChoices):
    RETURN_VISIT = "return_visit", _("Return visits due")
    SATISFACTION = "satisfaction", _("Satisfaction calls")
    NEEDS_SURVEY = "needs_survey", _("Year-end needs survey")
    ACCEPTANCE = "acceptance", _("Overdue acceptance confirmations")
    OTHER = "other", _("Other")
