"""Workflow follow-up: when a notification or complaint closes, issue its rating and mail the link."""

from __future__ import annotations

import logging

from kefu.workflow.choices import Stage
from kefu.workflow.engine import register_followup

log = logging.getLogger(__name__)


@register_followup
def rate_closed_service(record, transition, inputs: dict, actor) -> None:
    from kefu.complaints.models import Complaint
    from kefu.tickets.models import Notification

    if not isinstance(record, Notification | Complaint):
        return
    if transition.to_status.stage != Stage.COMPLETED:
        return
    if isinstance(record, Complaint) and transition.to_status.code != "KSJA":
        return  # a complaint judged not valid is not a service to rate
    from kefu.surveys.services import send_closing_mail

    try:
        send_closing_mail(record, actor=actor)
    except Exception:  # the close has happened; a mail problem must not hide it
        log.exception("closing mail with the rating link failed for %s", record)
