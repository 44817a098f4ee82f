"""Writes of the channels app: outbound mail (stored, then sent by a task) and in-app notices."""

from __future__ import annotations

import logging
from datetime import timedelta
from email.utils import make_msgid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.channels.choices import MailStatus
from kefu.channels.events import MAIL_FAILED, MAIL_QUEUED, MAIL_SENT, NOTICE_SENT
from kefu.channels.models import Notice, OutboundMail
from kefu.core.errors import ValidationFailed
from kefu.core.queue import enqueue
from kefu.core.validation import check_text
from kefu.timeline.services import record

log = logging.getLogger(__name__)


def _event_data(mail: OutboundMail, **extra) -> dict:
    data = {"mail": mail.pk, "subject": mail.subject, "to": list(mail.to), "attempts": mail.attempts}
    if mail.department_id:
        data["department"] = str(mail.department)
    data.update(extra)
    return data


def allowed_recipients(customer=None) -> set[str]:
    """Addresses inside the circle of a record: departments' mailboxes, staff, and the record's
    customer with its contacts. Anything else is "outside" and needs `channels.mail_outside`."""
    from kefu.org.models import Department, Staff

    addresses = set(Department.objects.exclude(mailbox="").values_list("mailbox", flat=True))
    addresses |= set(Staff.objects.filter(is_active=True).exclude(email="").values_list("email", flat=True))
    if customer is not None:
        if customer.email:
            addresses.add(customer.email)
        addresses |= set(customer.contacts.exclude(email="").values_list("email", flat=True))
    return {a.lower() for a in addresses}


def check_recipients(actor, to: list[str], *, customer=None) -> None:
    """Refuse, naming the field, recipients outside the company unless the actor may mail outside."""
    if not to or actor.has_perm("channels.mail_outside"):
        return
    allowed = allowed_recipients(customer)
    outside = [a for a in to if a.strip().lower() not in allowed]
    if outside:
        message = _(
            "You may only mail departments, colleagues and the customer's own contacts: %(addresses)s"
        ) % {"addresses": ", ".join(outside)}
        raise ValidationFailed(message, fields={"to": [message]})


def send_mail(
    *,
    actor,
    target: models.Model,
    to: list[str],
    subject: str,
    body: str,
    department=None,
    in_reply_to: str = "",
    auto_submitted: bool = False,
    redact_after_send: bool = False,
) -> OutboundMail:
    """Store a mail about `target` and send it after commit (SBWP).

    The mail is on the target's timeline at once ("mail.queued"); the send happens in a task
    so a slow or unreachable SMTP server never blocks or undoes the user's change.
    `redact_after_send`: the body holds a one-time secret and is replaced once the mail is sent.
    """
    recipients = [address.strip() for address in to if address and address.strip()]
    if not recipients and department is not None and department.mailbox:
        recipients = [department.mailbox]
    if not recipients:
        raise ValidationFailed(
            _("There is no recipient for this mail."), fields={"to": [_("Enter an e-mail address.")]}
        )
    bad = []
    for address in recipients:
        try:
            validate_email(address)
        except Exception:
            bad.append(address)
    if bad:
        raise ValidationFailed(
            _("Not a valid e-mail address: %(addresses)s") % {"addresses": ", ".join(bad)},
            fields={"to": [_("Not a valid e-mail address: %(addresses)s") % {"addresses": ", ".join(bad)}]},
        )
    check_text(subject=subject, body=body)
    if not (subject or "").strip():
        raise ValidationFailed(fields={"subject": [_("This field is required.")]})
    with transaction.atomic():
        mail = OutboundMail.objects.create(
            content_type=ContentType.objects.get_for_model(target, for_concrete_model=True),
            object_id=target.pk,
            to=recipients,
            subject=subject.strip()[:200],
            body=body or "",
            department=department,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            message_id=new_message_id(),
            in_reply_to=in_reply_to[:255],
            auto_submitted=auto_submitted,
            redact_after_send=redact_after_send,
        )
        record(target, MAIL_QUEUED.code, actor=actor, data=_event_data(mail))
        transaction.on_commit(lambda: _enqueue(mail.pk))
    return mail


def new_message_id() -> str:
    """A Message-ID in the domain of our sender address, so replies can be threaded back."""
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "kefu.local"
    return make_msgid(domain=domain)


def mail_headers(mail: OutboundMail) -> dict[str, str]:
    headers = {}
    if mail.message_id:
        headers["Message-ID"] = mail.message_id
    if mail.in_reply_to:
        headers["In-Reply-To"] = mail.in_reply_to
        headers["References"] = mail.in_reply_to
    if mail.auto_submitted:
        headers["Auto-Submitted"] = "auto-replied"
        headers["X-Auto-Response-Suppress"] = "All"
    return headers


def _enqueue(mail_id: int) -> None:
    from kefu.channels.tasks import deliver_mail_task

    # The queue unavailable (Redis down): the minutely sweep sends the queued mail later.
    enqueue(deliver_mail_task, mail_id)


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4 … minutes, at most an hour, between attempts."""
    return timedelta(minutes=min(60, 2 ** max(0, attempts - 1)))


SEND_LEASE = timedelta(minutes=10)  # a claimed mail is not claimed again while it is being sent


def _claim(mail_id: int, *, force: bool, now=None) -> OutboundMail | None:
    """Take one mail for sending in a short transaction of its own (one UPDATE), so no lock is
    held while the SMTP server is talked to and two workers never send the same mail."""
    now = now or timezone.now()
    due = OutboundMail.objects.filter(pk=mail_id).exclude(status=MailStatus.SENT)
    if not force:
        due = due.filter(models.Q(next_attempt_at__isnull=True) | models.Q(next_attempt_at__lte=now))
    if not due.update(attempts=models.F("attempts") + 1, next_attempt_at=now + SEND_LEASE):
        return None
    return OutboundMail.objects.get(pk=mail_id)


def deliver_mail(mail_id: int, *, force: bool = False, now=None) -> OutboundMail | None:
    """Try to send one stored mail now and record the result. Never raises.

    The network call runs outside any database transaction. A failure is put on the record's
    timeline once (the first time); later attempts only count up on the mail, whose last error
    and next attempt the outbox shows.
    """
    mail = _claim(mail_id, force=force, now=now)
    if mail is None:
        return OutboundMail.objects.filter(pk=mail_id).first()
    try:
        message = EmailMessage(
            subject=mail.subject,
            body=mail.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=list(mail.to),
            headers=mail_headers(mail),
            connection=get_connection(fail_silently=False),
        )
        message.send(fail_silently=False)
    except Exception as exc:
        was_failed = mail.status == MailStatus.FAILED
        mail.status = MailStatus.FAILED
        mail.last_error = f"{type(exc).__name__}: {exc}"[:1000]
        mail.next_attempt_at = timezone.now() + retry_delay(mail.attempts)
        with transaction.atomic():
            mail.save(update_fields=["status", "last_error", "next_attempt_at"])
            target = mail.target
            if target is not None and not was_failed:
                record(target, MAIL_FAILED.code, data=_event_data(mail))
        return mail
    mail.status = MailStatus.SENT
    mail.sent_at = timezone.now()
    mail.next_attempt_at = None
    fields = ["status", "sent_at", "next_attempt_at"]
    if mail.redact_after_send:
        mail.body = _("(The text of this mail held a one-time code and was removed after sending.)")
        fields.append("body")
    with transaction.atomic():
        mail.save(update_fields=fields)
        target = mail.target
        if target is not None:
            record(target, MAIL_SENT.code, data=_event_data(mail))
    return mail


def retry_pending_mail(*, now=None, force: bool = False) -> int:
    """Send again every failed mail whose retry time has come (and queued ones left behind).

    Queued mail older than a minute counts as left behind (e.g. the queue was down at commit).
    Idempotent and restart-safe: a mail is locked while sent and never sent twice once `sent`.
    """
    now = now or timezone.now()
    due = OutboundMail.objects.filter(attempts__lt=OutboundMail.MAX_ATTEMPTS)
    if force:
        due = due.exclude(status=MailStatus.SENT)
    else:
        due = due.filter(
            models.Q(status=MailStatus.FAILED, next_attempt_at__lte=now)
            | models.Q(
                models.Q(next_attempt_at__isnull=True) | models.Q(next_attempt_at__lte=now),
                status=MailStatus.QUEUED,
                created_at__lte=now - timedelta(minutes=1),
            )
        )
    count = 0
    for mail_id in due.values_list("pk", flat=True)[:200]:
        deliver_mail(mail_id, force=force, now=now)
        count += 1
    return count


def retry_mail(*, actor, mail: OutboundMail) -> OutboundMail:
    """A user's "send again" on a failed mail: try at once."""
    if mail.status == MailStatus.SENT:
        return mail
    return deliver_mail(mail.pk, force=True) or mail


def notify(
    *, recipient, target: models.Model | None, message: str, url: str = "", actor=None, urgent: bool = False
) -> Notice | None:
    """Put an in-app notice in `recipient`'s inbox (the bell); recorded on the target's timeline."""
    if recipient is None:
        return None
    user = getattr(recipient, "user", recipient)  # a Staff record or a user
    notice = Notice.objects.create(
        recipient=user,
        content_type=ContentType.objects.get_for_model(target, for_concrete_model=True)
        if target is not None
        else None,
        object_id=target.pk if target is not None else None,
        message=str(message)[:300],
        url=url or "",
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        urgent=urgent,
    )
    if target is not None:
        staff = getattr(user, "staff", None)
        record(
            target,
            NOTICE_SENT.code,
            actor=actor,
            data={"recipient": staff.name if staff else user.get_username(), "message": notice.message},
        )
    return notice


def alert_staff(
    *,
    recipients: list,
    target: models.Model,
    subject: str,
    body: str,
    url: str,
    actor=None,
    department=None,
) -> None:
    """An urgent in-app notice to each of `recipients` (Staff) and one mail to them (or to the
    department's mailbox): how every escalation reaches people (complaints, service clocks)."""
    for staff in recipients:
        notify(recipient=staff, target=target, message=subject, url=url, actor=actor, urgent=True)
    addresses = [s.email for s in recipients if s.email]
    if addresses or (department is not None and department.mailbox):
        try:
            send_mail(
                actor=actor, target=target, to=addresses, subject=subject, body=body, department=department
            )
        except ValidationFailed:
            log.warning("no valid address to mail %s about %s", recipients, target)


def mark_read(*, user, notice_ids: list[int] | None = None) -> int:
    """Mark the user's notices (all unread when `notice_ids` is None) as read."""
    qs = Notice.objects.filter(recipient=user, read_at__isnull=True)
    if notice_ids is not None:
        qs = qs.filter(pk__in=notice_ids)
    return qs.update(read_at=timezone.now())
