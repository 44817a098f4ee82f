"""Read side of channels: a user's notices and the outbox."""

from __future__ import annotations

import re

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from kefu.channels.models import Notice, OutboundMail


def inbox(user, *, unread_only: bool = False) -> QuerySet[Notice]:
    qs = Notice.objects.filter(recipient=user).select_related("actor", "actor__staff")
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-urgent", "-created_at", "-id")


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notice.objects.filter(recipient=user, read_at__isnull=True)[:100].count()


def outbox(user, *, status: str = "") -> QuerySet[OutboundMail]:
    """Mail the user may see and send again: with the outbox permission, the mail of every record
    the user may see (scoped like the records themselves); else only what they sent."""
    qs = OutboundMail.objects.select_related("department", "created_by", "content_type")
    if not user.has_perm("channels.view_outboundmail"):
        qs = qs.filter(created_by=user)
    else:
        qs = qs.filter(_visible_targets(user))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def _visible_targets(user) -> Q:
    from kefu.org.scope import scope_for

    if scope_for(user).company_wide:
        return Q()
    q = Q(created_by=user)
    for ct_id in OutboundMail.objects.order_by().values_list("content_type", flat=True).distinct():
        model = ContentType.objects.get_for_id(ct_id).model_class()
        manager = getattr(model, "objects", None)
        if manager is not None and hasattr(manager.all(), "visible_to"):
            q |= Q(content_type_id=ct_id, object_id__in=manager.all().visible_to(user).values("pk"))
    return q


def mails_for(target) -> QuerySet[OutboundMail]:
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(target, for_concrete_model=True)
    return OutboundMail.objects.filter(content_type=ct, object_id=target.pk).select_related("department")


def inbound(user, *, status: str = "", mailbox: int | None = None) -> QuerySet:
    """Incoming mail the user may see: scoped by the mailbox's responsibility centre."""
    from kefu.channels.models import InboundMail

    if not user.has_perm("channels.view_inboundmail"):
        return InboundMail.objects.none()
    qs = (
        InboundMail.objects.visible_to(user)
        .select_related("mailbox", "customer", "content_type")
        .defer("raw", "html", "text")
    )
    if status == "waiting":
        qs = qs.filter(status__in=["unmatched", "quarantined"])
    elif status:
        qs = qs.filter(status=status)
    if mailbox:
        qs = qs.filter(mailbox_id=mailbox)
    return qs.order_by("-received_at", "-id")


def waiting_count(user) -> int:
    """Mail waiting for a person (unknown sender, unreadable), at most 100 counted."""
    return inbound(user, status="waiting")[:100].count() if getattr(user, "is_authenticated", False) else 0


def reply_templates() -> QuerySet:
    from kefu.channels.models import ReplyTemplate

    return ReplyTemplate.objects.filter(is_active=True).order_by("name")


def mails_about(target) -> QuerySet:
    from kefu.channels.models import InboundMail

    ct = ContentType.objects.get_for_model(target, for_concrete_model=True)
    return (
        InboundMail.objects.filter(content_type=ct, object_id=target.pk).defer("raw").order_by("received_at")
    )


_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def shown_outbound(user, mails) -> list:
    """Outbound mails with `shown_to` and `shown_error` as `user` may see them: recipients (the
    customer's and its contacts' addresses) and addresses quoted in an SMTP error are masked for
    a reader without `view_personal_data`, like the sender of incoming mail."""
    from kefu.core.masking import mask_email
    from kefu.customers.queries import can_see_personal_data

    unmasked = can_see_personal_data(user)
    rows = list(mails)
    for mail in rows:
        mail.shown_to = list(mail.to) if unmasked else [mask_email(a) for a in mail.to]
        error = mail.last_error or ""
        mail.shown_error = error if unmasked else _ADDRESS.sub(lambda m: mask_email(m.group()), error)
    return rows


def shown_sender(user, mail) -> str:
    """The sender's address as `user` may see it (the one masking rule for e-mail addresses)."""
    from kefu.core.privacy import mask_value
    from kefu.customers.queries import can_see_personal_data

    if not mail.from_address or can_see_personal_data(user, mail.customer):
        return mail.from_address
    return mask_value("email", mail.from_address)


def with_shown_senders(user, mails) -> list:
    rows = list(mails)
    for mail in rows:
        mail.shown_from = shown_sender(user, mail)
    return rows


CANNED_TARGETS = {
    "notification": ("tickets", "Notification", "tickets.view_notification"),
    "complaint": ("complaints", "Complaint", "complaints.view_complaint"),
    "contact": ("contacts", "Contact", "contacts.view_contact"),
}


def canned_responses(user, target=None) -> list[dict]:
    """Canned responses 快捷回复 for a reply or a wrap-up text about `target`: the active reply
    templates with a shortcut, of the writer's department or of everyone, filled from the record
    (the one placeholder rule of mail replies: {customer} {number} {salutation} {date} …)."""
    from django.db.models import Q

    from kefu.channels.services.mailin import placeholders, render

    staff = getattr(user, "staff", None)
    department = getattr(staff, "department_id", None)
    rows = (
        reply_templates()
        .exclude(shortcut="")
        .filter(Q(department__isnull=True) | Q(department_id=department))
        .order_by("shortcut", "name")
    )
    values = placeholders(target, actor=user) if target is not None else {}
    values["signature"] = ""
    return [{"shortcut": t.shortcut, "name": t.name, "text": render(t.body, values)} for t in rows]
