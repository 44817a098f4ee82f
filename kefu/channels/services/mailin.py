"""E-mail in 邮件受理: poll department mailboxes, turn each new mail into work, acknowledge it.

The IMAP conversation happens outside any transaction; each mail is then stored in one short
transaction of its own together with the mailbox's new `last_uid`, so a poll killed half-way
resumes after the last stored mail and never stores one twice (the UID and the Message-ID are
both unique). Records are made only through the tickets and complaints services, as the
mailbox's intake user, so their rules, numbering, history and scope apply unchanged.
"""

from __future__ import annotations

import contextlib
import logging
import re
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.channels import mailparse
from kefu.channels.choices import InboundKind, InboundStatus
from kefu.channels.events import MAIL_RECEIVED
from kefu.channels.models import InboundAttachment, InboundMail, Mailbox, OutboundMail, ReplyTemplate
from kefu.core.errors import KefuError, ValidationFailed
from kefu.core.masking import mask_email
from kefu.timeline.services import record

log = logging.getLogger(__name__)

# What an incoming mail may bring: the same limits as an upload on a notification.
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 20
MAX_RAW_BYTES = 40 * 1024 * 1024  # larger messages are kept as a header-only stub for a person
FETCH_BATCH = 25
ACK_TEMPLATE = "auto_ack"  # the reply template used to acknowledge a new mail, when there is one


@dataclass
class PollResult:
    fetched: int = 0
    stored: int = 0
    error: str = ""


# --- polling ------------------------------------------------------------------------------------


def _connect(mailbox: Mailbox):
    from imapclient import IMAPClient

    client = IMAPClient(mailbox.host, port=mailbox.port, ssl=mailbox.use_ssl, timeout=30)
    client.login(mailbox.username, mailbox.password)
    return client


def poll_mailbox(mailbox: Mailbox, *, limit: int = 500) -> PollResult:
    """Read the mail that arrived since the last poll (at most `limit`) and take each in."""
    result = PollResult()
    try:
        client = _connect(mailbox)
    except Exception as exc:
        result.error = f"{type(exc).__name__}: {exc}"[:1000]
        Mailbox.objects.filter(pk=mailbox.pk).update(last_error=result.error, last_polled_at=timezone.now())
        return result
    try:
        selected = client.select_folder(mailbox.folder, readonly=True)
        validity = int(selected.get(b"UIDVALIDITY", 0) or 0)
        if mailbox.uid_validity != validity:
            # A new mailbox or one rebuilt by the server: read it all again; Message-IDs stop repeats.
            Mailbox.objects.filter(pk=mailbox.pk).update(uid_validity=validity, last_uid=0)
            mailbox.uid_validity, mailbox.last_uid = validity, 0
        uids = sorted(u for u in client.search(["UID", f"{mailbox.last_uid + 1}:*"]) if u > mailbox.last_uid)
        uids = uids[:limit]
        for start in range(0, len(uids), FETCH_BATCH):
            batch = uids[start : start + FETCH_BATCH]
            fetched = client.fetch(batch, [b"BODY.PEEK[]", b"RFC822.SIZE"])
            for uid in batch:
                data = fetched.get(uid, {})
                raw = data.get(b"BODY[]") or b""
                result.fetched += 1
                try:
                    _mail, created = ingest(mailbox, raw, uid=uid, uid_validity=validity)
                except Exception as exc:  # a poison mail must not block the mailbox: keep it aside
                    log.exception("taking in UID %s of %s failed", uid, mailbox)
                    _mail, created = quarantine_failed(mailbox, raw, exc, uid=uid, uid_validity=validity)
                result.stored += int(created)
        Mailbox.objects.filter(pk=mailbox.pk).update(last_error="", last_polled_at=timezone.now())
    except Exception as exc:
        log.exception("polling %s failed", mailbox)
        result.error = f"{type(exc).__name__}: {exc}"[:1000]
        Mailbox.objects.filter(pk=mailbox.pk).update(last_error=result.error, last_polled_at=timezone.now())
    finally:
        with contextlib.suppress(Exception):
            client.logout()
    return result


def poll_all() -> dict[int, PollResult]:
    """Poll every active mailbox (the periodic task)."""
    return {mailbox.pk: poll_mailbox(mailbox) for mailbox in Mailbox.objects.filter(is_active=True)}


# --- taking one mail in -------------------------------------------------------------------------


def _advance(mailbox: Mailbox, uid: int | None, uid_validity: int | None) -> None:
    if uid is None:
        return
    Mailbox.objects.filter(pk=mailbox.pk, uid_validity=uid_validity, last_uid__lt=uid).update(last_uid=uid)
    mailbox.last_uid = max(mailbox.last_uid, uid)


def ingest(
    mailbox: Mailbox, raw: bytes, *, uid: int | None = None, uid_validity: int | None = None
) -> tuple[InboundMail, bool]:
    """Store one raw mail and make it work. Returns (mail, created); created is False for a repeat."""
    if uid is not None:
        seen = InboundMail.objects.filter(mailbox=mailbox, uid_validity=uid_validity, uid=uid).first()
        if seen is not None:
            _advance(mailbox, uid, uid_validity)
            return seen, False
    try:
        with transaction.atomic():
            mail, created = _ingest(mailbox, raw, uid=uid, uid_validity=uid_validity)
            _advance(mailbox, uid, uid_validity)
            return mail, created
    except IntegrityError:  # another worker stored the same mail a moment ago
        found = InboundMail.objects.filter(mailbox=mailbox, uid_validity=uid_validity, uid=uid).first()
        if found is None:
            raise
        return found, False


def quarantine_failed(
    mailbox: Mailbox, raw: bytes, exc: Exception, *, uid: int | None, uid_validity: int | None
) -> tuple[InboundMail, bool]:
    """Keep a mail whose intake failed unexpectedly for a person, and move past it."""
    reason = _("Intake failed: %(error)s") % {"error": f"{type(exc).__name__}: {exc}"}
    with transaction.atomic():
        found = InboundMail.objects.filter(mailbox=mailbox, uid_validity=uid_validity, uid=uid).first()
        if found is None:
            found, created = _quarantine(mailbox, raw, reason, uid=uid, uid_validity=uid_validity)
        else:
            created = False
        _advance(mailbox, uid, uid_validity)
    return found, created


def _quarantine(mailbox: Mailbox, raw: bytes, reason: str, *, uid, uid_validity) -> tuple[InboundMail, bool]:
    import hashlib

    digest = hashlib.sha256(raw or b"").hexdigest()
    message_id = f"<{digest}@kefu.unreadable>"
    existing = InboundMail.objects.filter(message_id=message_id).first()
    if existing is not None:
        return existing, False
    return InboundMail.objects.create(
        mailbox=mailbox,
        uid=uid,
        uid_validity=uid_validity,
        message_id=message_id,
        status=InboundStatus.QUARANTINED,
        note=mailparse.clean(reason)[:2000],
        raw=(raw or b"")[:MAX_RAW_BYTES],
        subject=_("(unreadable mail)"),
    ), True


def _ingest(mailbox: Mailbox, raw: bytes, *, uid, uid_validity) -> tuple[InboundMail, bool]:
    if len(raw or b"") > MAX_RAW_BYTES:
        reason = _("The message is larger than %(mb)d MB.") % {"mb": MAX_RAW_BYTES // (1024 * 1024)}
        return _quarantine(mailbox, raw[:65536], reason, uid=uid, uid_validity=uid_validity)
    try:
        parsed = mailparse.parse(raw)
    except mailparse.Unreadable as exc:
        return _quarantine(mailbox, raw, str(exc), uid=uid, uid_validity=uid_validity)
    if InboundMail.objects.filter(message_id=parsed.message_id).exists():
        return InboundMail.objects.get(message_id=parsed.message_id), False
    mail = InboundMail(mailbox=mailbox, uid=uid, uid_validity=uid_validity, raw=raw)
    _fill(mail, parsed)
    return _route(mailbox, mail, parsed), True


def _fill(mail: InboundMail, parsed: mailparse.ParsedMail) -> None:
    mail.message_id = parsed.message_id
    mail.in_reply_to = parsed.in_reply_to
    mail.references = " ".join(parsed.references)
    mail.from_address = parsed.from_address
    mail.from_name = parsed.from_name
    mail.subject = parsed.subject
    mail.text = parsed.text
    mail.html = parsed.html
    mail.sent_at = parsed.sent_at
    mail.status = InboundStatus.UNMATCHED
    mail.note = ""
    if parsed.defects:
        mail.note = _("Repaired while reading: %(defects)s") % {
            "defects": ", ".join(sorted(set(parsed.defects)))
        }


def _route(
    mailbox: Mailbox, mail: InboundMail, parsed: mailparse.ParsedMail, *, keep_files: bool = True
) -> InboundMail:
    """Make the parsed mail work by the rules: a loop kept aside, a reply threaded onto its record,
    a new record for a known customer, else waiting for a person. Saves the mail."""
    if not keep_files:  # taken in again: its files were kept the first time
        parsed.attachments = []
    if parsed.is_automatic:
        mail.status = InboundStatus.LOOP
        mail.note = _("Automatic mail (%(reason)s): kept, not answered.") % {
            "reason": parsed.automatic_reason
        }
        mail.save()
        _keep_attachments(mail, parsed)
        return mail
    customer, contact = sender_customer(parsed.from_address)
    mail.customer = customer
    target = thread_target(parsed, customer)
    actor = mailbox.intake_user
    if target is not None:
        mail.status = InboundStatus.THREADED
        mail.save()
        _keep_attachments(mail, parsed)
        _attach_to(mail, target)
        _append_to_record(mail, target, actor)
        _record_again(mail, target, contact, actor)
        return mail
    if customer is None:
        mail.note = _("No customer or contact has the sender's address.")
        mail.save()
        _keep_attachments(mail, parsed)
        return mail
    mail.save()
    _keep_attachments(mail, parsed)
    try:
        with transaction.atomic():
            target = _create_record(mailbox, mail, customer, contact, actor)
    except (KefuError, PermissionDenied) as exc:
        mail.note = _("No record was made: %(reason)s") % {"reason": _error_text(exc)}
        mail.save(update_fields=["note"])
        return mail
    mail.status = InboundStatus.CREATED
    mail.save(update_fields=["status"])
    _attach_to(mail, target)
    record(target, MAIL_RECEIVED.code, actor=actor, data=_event_data(mail))
    if mailbox.auto_reply:
        acknowledge(mail, target, contact=contact)
    return mail


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationFailed) and getattr(exc, "fields", None):
        return "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in exc.fields.items())
    return str(exc) or type(exc).__name__


def _event_data(mail: InboundMail) -> dict:
    return {"mail": mail.pk, "from": mail.from_address, "subject": mail.subject}


def _keep_attachments(mail: InboundMail, parsed: mailparse.ParsedMail) -> None:
    """Keep the files within the upload limits; the others are named on the mail, never silently lost."""
    skipped = []
    for position, attachment in enumerate(parsed.attachments):
        size = len(attachment.content)
        if position >= MAX_ATTACHMENTS or size > MAX_ATTACHMENT_BYTES:
            skipped.append({"name": attachment.name, "size": size})
            continue
        kept = InboundAttachment(
            mail=mail, name=attachment.name, content_type=attachment.content_type[:100], size=size
        )
        kept.file.save(_storage_name(attachment.name), ContentFile(attachment.content), save=False)
        kept.save()
    if skipped:
        mail.skipped_attachments = skipped
        mail.save(update_fields=["skipped_attachments"])


def _storage_name(name: str) -> str:
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else "bin"
    ext = re.sub(r"[^a-z0-9]", "", ext)[:10] or "bin"
    return f"mail.{ext}"


def _attach_to(mail: InboundMail, target: models.Model) -> None:
    mail.content_type = ContentType.objects.get_for_model(target, for_concrete_model=True)
    mail.object_id = target.pk
    mail.save(update_fields=["content_type", "object_id"])


# --- rules --------------------------------------------------------------------------------------


def sender_customer(address: str):
    """The customer (and contact) a sender's address belongs to: a contact's address first."""
    from kefu.customers.models import Contact, Customer

    if not address:
        return None, None
    address = address.strip().lower()
    # LOWER(email) = … uses the case-insensitive address indexes of both tables.
    contact = (
        Contact.objects.annotate(email_ci=Lower("email"))
        .filter(email_ci=address)
        .select_related("customer")
        .order_by("id")
        .first()
    )
    if contact is not None:
        return contact.customer, contact
    customer = (
        Customer.objects.annotate(email_ci=Lower("email")).filter(email_ci=address).order_by("id").first()
    )
    return customer, None


def _record_models():
    from kefu.complaints.models import Complaint
    from kefu.tickets.models import Notification

    return Notification, Complaint


def record_by_number(number: str):
    Notification, Complaint = _record_models()
    if not number:
        return None
    if number.upper().startswith("KS"):
        return Complaint.objects.filter(number=number.upper()).first()
    return Notification.objects.filter(number=number).first()


def thread_target(parsed: mailparse.ParsedMail, customer) -> models.Model | None:
    """The record a reply belongs to: by the mail it answers, else by `[number]` in the subject.

    A subject number alone is trusted only from the record's own customer, so a stranger cannot
    write into someone else's record by guessing a number.
    """
    ids = parsed.thread_ids
    if ids:
        for model in (OutboundMail, InboundMail):
            found = (
                model.objects.filter(message_id__in=ids, content_type__isnull=False).order_by("-id").first()
            )
            if found is not None and found.target is not None:
                return found.target
    target = record_by_number(parsed.subject_number())
    if target is not None and customer is not None and target.customer_id == customer.pk:
        return target
    return None


def kind_for(mailbox: Mailbox, subject: str, text: str) -> str:
    """A complaint when a keyword of the mailbox is in the subject or text, else its default kind."""
    haystack = f"{subject}\n{text}"
    if any(keyword in haystack for keyword in mailbox.keywords()):
        return InboundKind.COMPLAINT
    return mailbox.default_kind


def _create_record(mailbox: Mailbox, mail: InboundMail, customer, contact, actor) -> models.Model:
    from kefu.complaints import services as complaints
    from kefu.tickets import services as tickets

    # The sender's address stays on the mail (shown through the masking rule); the record's free
    # text, which every reader of the record sees, names the sender and only the address's mask.
    shown = mask_email(mail.from_address)
    subject = mail.subject.strip() or _("Mail from %(sender)s") % {"sender": shown}
    body = mail.text.strip() or subject
    sender = (contact.name if contact else mail.from_name) or shown
    created: models.Model
    if kind_for(mailbox, mail.subject, mail.text) == InboundKind.COMPLAINT:
        created = complaints.create_complaint(
            actor=actor,
            customer=customer,
            subject=subject[:100],
            received_via="email",
            description=f"{sender} <{shown}>\n\n{body}"[:20_000],
            contact_name=sender[:50],
        )
    else:
        created = tickets.create_notification(
            actor=actor,
            customer=customer,
            description=subject[:100],
            long_text=f"{_('E-mail from')} {sender} <{shown}>\n\n{body}"[: tickets.MAX_TEXT_ENTRY],
            reporter=sender[:50],
            contact_name=sender[:50],
        )
    from kefu.contacts.choices import Channel
    from kefu.contacts.services import record_inbound

    record_inbound(
        channel=Channel.MAIL, actor=actor, created=created, customer=customer, person=contact, subject=subject
    )
    return created


def _append_to_record(mail: InboundMail, target: models.Model, actor) -> None:
    """A reply goes into the record's own text (long text / follow-up) where it is still open."""
    from kefu.complaints.models import Complaint
    from kefu.complaints.services import add_follow_up
    from kefu.tickets.models import Notification
    from kefu.tickets.services import MAX_TEXT_ENTRY, add_text

    shown = mask_email(mail.from_address)
    sender = f"{mail.from_name or shown} <{shown}>"
    text = f"{_('E-mail from')} {sender}: {mail.subject}\n\n{mail.text}"
    try:
        with transaction.atomic():
            if isinstance(target, Notification):
                add_text(actor=actor, notification=target, text=text[:MAX_TEXT_ENTRY])
            elif isinstance(target, Complaint):
                add_follow_up(target, actor=actor, note=text[:2000], via="email")
    except (KefuError, PermissionDenied) as exc:
        mail.note = _("Kept on the record's history only: %(reason)s") % {"reason": _error_text(exc)}
        mail.save(update_fields=["note"])
    record(target, MAIL_RECEIVED.code, actor=actor, data=_event_data(mail))


def _record_again(mail: InboundMail, target: models.Model, contact, actor) -> None:
    """The customer wrote again on the matter: a contact record, a repeat within the window."""
    from kefu.contacts.choices import Channel
    from kefu.contacts.services import record_again

    customer = getattr(target, "customer", None)
    person = (
        contact
        if contact is not None and customer is not None and contact.customer_id == customer.pk
        else None
    )
    record_again(
        channel=Channel.MAIL,
        actor=actor,
        target=target,
        customer=customer,
        person=person,
        subject=mail.subject or str(getattr(target, "number", "")),
    )


# --- replies: acknowledgement and canned responses ------------------------------------------------

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def render(text: str, values: dict[str, str]) -> str:
    """Fill `{name}` placeholders; an unknown one stays as written so the author sees it."""
    return PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), text)


def record_kind(target: models.Model) -> str:
    _notification, complaint = _record_models()
    if isinstance(target, complaint):
        return _("complaint")
    return _("service notification")


def placeholders(target: models.Model, *, contact=None, mail: InboundMail | None = None, actor=None) -> dict:
    """The values a template may use, written from the record (no personal data of third parties)."""
    customer = getattr(target, "customer", None)
    name = (
        (contact.name if contact else "")
        or (mail.from_name if mail else "")
        or (customer.name if customer else "")
    )
    status = getattr(target, "status", None)
    mailbox = mail.mailbox if mail is not None else None
    return {
        "number": getattr(target, "number", ""),
        "kind": record_kind(target),
        "customer": customer.name if customer else "",
        "contact": name,
        "salutation": _("Dear %(name)s") % {"name": name} if name else _("Dear customer"),
        "subject": mail.subject
        if mail
        else (getattr(target, "subject", "") or getattr(target, "description", "")),
        "status": status.display_name if status is not None else "",
        "date": timezone.localdate().isoformat(),
        "signature": signature(actor=actor, mailbox=mailbox),
    }


def signature(*, actor=None, mailbox: Mailbox | None = None) -> str:
    """The sender's signature 落款: who writes (name, title, department), then the mailbox's own."""
    lines = []
    staff = (
        getattr(actor, "staff", None)
        if actor is not None and getattr(actor, "is_authenticated", False)
        else None
    )
    if staff is not None and (mailbox is None or actor != mailbox.intake_user):
        lines.append(" ".join(p for p in (staff.name, staff.title) if p))
        if staff.department_id:
            lines.append(str(staff.department.name))
    if mailbox is not None:
        lines.append(mailbox.signature.strip() or f"{mailbox.department.name}\n{mailbox.address}")
    return "\n".join(line for line in lines if line)


DEFAULT_ACK_SUBJECT = "[{number}] 您的来信已收到：{subject}"
DEFAULT_ACK_BODY = (
    "{salutation}：\n\n"
    "您好！这里是客户服务中心。您的来信已收到，我们已登记为{kind} {number}，将尽快安排专人处理并与您联系。\n"
    "如需补充说明或附件，请直接回复本邮件，并保留主题中的编号 [{number}]，以便我们归档到同一单据。\n\n"
    "此致\n敬礼\n\n{signature}\n（本邮件由系统自动发送）"
)


def acknowledge(mail: InboundMail, target: models.Model, *, contact=None) -> OutboundMail:
    """The automatic acknowledgement 自动回复 with the record's number (seed 003's e-mail rules:
    correct recipient, a clear subject with the number, a polite salutation, a signature)."""
    from kefu.channels.services import send_mail

    template = ReplyTemplate.objects.filter(name=ACK_TEMPLATE, is_active=True).first()
    values = placeholders(target, contact=contact, mail=mail)
    subject = render(template.subject if template else DEFAULT_ACK_SUBJECT, values)
    if f"[{values['number']}]" not in subject:
        subject = f"[{values['number']}] {subject}"
    body = render(template.body if template else DEFAULT_ACK_BODY, values)
    return send_mail(
        actor=mail.mailbox.intake_user,
        target=target,
        to=[mail.from_address],
        subject=subject[:200],
        body=body,
        department=mail.mailbox.department,
        in_reply_to=mail.message_id,
        auto_submitted=True,
    )


def reply_with_template(
    *, actor, target: models.Model, template: ReplyTemplate, to: list[str] | None = None, note: str = ""
) -> OutboundMail:
    """A reply written from the record with a canned template and the writer's signature,
    threaded onto the customer's last mail about the record."""
    from kefu.channels.services import check_recipients, send_mail

    if not template.is_active:
        raise ValidationFailed(fields={"template": [_("This template is not active.")]})
    ct = ContentType.objects.get_for_model(target, for_concrete_model=True)
    last = (
        InboundMail.objects.filter(content_type=ct, object_id=target.pk)
        .select_related("mailbox", "mailbox__department")
        .order_by("-id")
        .first()
    )
    recipients = [a for a in (to or []) if a.strip()] or ([last.from_address] if last else [])
    customer = getattr(target, "customer", None)
    if not recipients and customer is not None and customer.email:
        recipients = [customer.email]
    check_recipients(actor, recipients, customer=customer)
    values = placeholders(target, mail=last, actor=actor)
    values["signature"] = signature(actor=actor, mailbox=last.mailbox if last else None)
    subject = render(template.subject, values)
    number = values["number"]
    if number and f"[{number}]" not in subject:
        subject = f"[{number}] {subject}"
    body = render(template.body, values)
    if note.strip():
        body = f"{body}\n\n{note.strip()}"
    return send_mail(
        actor=actor,
        target=target,
        to=recipients,
        subject=subject[:200],
        body=body,
        department=last.mailbox.department if last else None,
        in_reply_to=last.message_id if last else "",
    )


class RerunFailed(KefuError):
    code = "rerun_failed"
    status = 409
    default_message = gettext_lazy("Taking the mail in failed again; the reason is on the mail.")


def _stamp(actor, text: str) -> str:
    who = getattr(getattr(actor, "staff", None), "name", "") or actor.get_username()
    return f"[{timezone.localtime().strftime('%Y-%m-%d %H:%M')} {who}] {text}"


def rerun(*, actor, mail: InboundMail) -> InboundMail:
    """Take a mail that waits for a person in again, after a fix (the parser or a rule corrected,
    the sender's address added to a contact): the same rules as a new mail, from its kept bytes.

    Idempotent: a mail that already became work (a record made, or threaded onto one) is returned
    as it is, and a mail that arrived again meanwhile under its real Message-ID is not taken in
    twice (this copy is dismissed, pointing at the other's record) — never a second notification.
    Still unreadable: it stays quarantined with the reason. Failing unexpectedly: nothing is
    half-saved, the reason goes on the mail (RerunFailed, 409)."""
    from kefu.core.scoping import access, require_perm

    require_perm(actor, "channels.change_inboundmail")
    mail = access(InboundMail, actor, mail.pk)  # another centre's mailbox: 404
    try:
        with transaction.atomic():
            return _rerun(actor, mail)
    except (KefuError, PermissionDenied):
        raise
    except Exception as exc:
        log.exception("re-running intake of mail %s failed", mail.pk)
        reason = _stamp(actor, _("Re-run failed: %(error)s") % {"error": f"{type(exc).__name__}: {exc}"})
        fresh = InboundMail.objects.get(pk=mail.pk)
        fresh.note = f"{fresh.note}\n{mailparse.clean(reason)[:1000]}".strip()
        fresh.save(update_fields=["note"])
        raise RerunFailed() from exc


def _rerun(actor, mail: InboundMail) -> InboundMail:
    mail = InboundMail.objects.select_for_update().select_related("mailbox").get(pk=mail.pk)
    if mail.object_id is not None:  # already became work: nothing to do, nothing made twice
        return mail
    if mail.status not in InboundStatus.needs_person():
        message = _("Only mail waiting for a person can be taken in again.")
        raise ValidationFailed(message, fields={"status": [message]})
    previous = mail.note
    raw = bytes(mail.raw or b"")
    try:
        parsed = mailparse.parse(raw)
    except mailparse.Unreadable as exc:
        mail.note = (
            f"{previous}\n{_stamp(actor, _('Re-run: still unreadable: %(reason)s') % {'reason': exc})}"
        )
        mail.save(update_fields=["note"])
        return mail
    twin = InboundMail.objects.filter(message_id=parsed.message_id).exclude(pk=mail.pk).first()
    if twin is not None:
        mail.status = InboundStatus.DISMISSED
        mail.content_type_id, mail.object_id = twin.content_type_id, twin.object_id
        same = _("Re-run: the same mail was taken in as #%(id)s.") % {"id": twin.pk}
        mail.note = f"{previous}\n{_stamp(actor, same)}"
        mail.save(update_fields=["status", "content_type", "object_id", "note"])
        return mail
    _fill(mail, parsed)
    had_files = mail.attachments.exists()
    mail = _route(mail.mailbox, mail, parsed, keep_files=not had_files)
    outcome = _stamp(actor, _("Taken in again: %(status)s") % {"status": mail.get_status_display()})
    mail.note = "\n".join(t for t in (mail.note, previous, outcome) if t)
    mail.save(update_fields=["note"])
    return mail


def dismiss(*, actor, mail: InboundMail, note: str = "") -> InboundMail:
    """A person has looked at an unmatched or unreadable mail and dealt with it by hand."""
    from kefu.core.scoping import require_perm

    require_perm(actor, "channels.change_inboundmail")
    if mail.status not in InboundStatus.needs_person():
        raise ValidationFailed(
            _("Only mail waiting for a person can be dismissed."),
            fields={"status": [_("Only mail waiting for a person can be dismissed.")]},
        )
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    who = getattr(getattr(actor, "staff", None), "name", "") or actor.get_username()
    mail.status = InboundStatus.DISMISSED
    mail.note = f"{mail.note}\n[{stamp} {who}] {note.strip()}".strip()
    mail.save(update_fields=["status", "note"])
    return mail
