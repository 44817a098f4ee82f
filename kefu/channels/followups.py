"""Workflow follow-up: mail the department a transition names (e.g. ZGPZ → regional logistics).

The department is the transition's `notify_department`, or the one of kind
`notify_department_kind` that the record resolves with its optional
`department_for_kind(kind)` (e.g. the regional logistics of the notification's branch). The
record's app may give the mail's text with the engine hook `mail_content` (register_record).
"""

from __future__ import annotations

import logging

from django.utils.translation import gettext as _

from kefu.workflow.engine import hooks_for, register_followup

log = logging.getLogger(__name__)


def department_for(record, transition):
    if transition.notify_department_id:
        return transition.notify_department
    kind = transition.notify_department_kind
    if kind and hasattr(record, "department_for_kind"):
        return record.department_for_kind(kind)
    return None


@register_followup
def mail_department(record, transition, inputs: dict, actor) -> None:
    if not (transition.notify_department_id or transition.notify_department_kind):
        return
    from kefu.channels.services import send_mail

    department = department_for(record, transition)
    if department is None or not department.mailbox:
        log.warning("no department mailbox to notify for %s on %s", transition, record)
        return
    content = hooks_for(record).mail_content
    if content is not None:
        subject, body = content(record, transition, inputs)
    else:
        subject = _("%(record)s: %(action)s") % {"record": record, "action": transition.display_name}
        body = subject
    send_mail(
        actor=actor, target=record, to=[department.mailbox], subject=subject, body=body, department=department
    )


@register_followup
def wechat_status(record, transition, inputs: dict, actor) -> None:
    """Tell the customer's bound WeChat followers about the new status (a template message)."""
    if getattr(record, "customer_id", None) is None or not getattr(record, "number", None):
        return
    from kefu.channels.services.wechat import announce_status

    announce_status(record)


@register_followup
def notice_roles(record, transition, inputs: dict, actor) -> None:
    """An urgent in-app notice to every active holder of the transition's `notify_roles` who may
    see the record (scope as everywhere: a centre's supervisor hears of their centre's records)."""
    role_ids = list(transition.notify_roles.values_list("pk", flat=True))
    if not role_ids:
        return
    from django.contrib.auth import get_user_model

    from kefu.channels.services import notify

    model = type(record)
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__role__pk__in=role_ids)
        .exclude(pk=getattr(actor, "pk", None))
        .distinct()
    )
    message = _("%(record)s: %(action)s") % {"record": record, "action": transition.display_name}
    url = record.get_absolute_url() if hasattr(record, "get_absolute_url") else ""
    for user in users:
        visible = getattr(model.objects, "visible_to", None)
        if visible is not None and not visible(user).filter(pk=record.pk).exists():
            continue
        notify(recipient=user, target=record, message=message, url=url, actor=actor, urgent=True)
