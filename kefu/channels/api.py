"""Channels API: my notices, the outbox, incoming mail and its replies, mailboxes, WeChat binding codes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from django.db.models import Count
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from kefu.api.pagination import LIMIT, OFFSET, Page, page
from kefu.api.schemas import InputSchema
from kefu.channels import queries, services
from kefu.core.errors import NotFound
from kefu.core.scoping import access, require_perm

router = Router(tags=["channels"])


class NoticeOut(Schema):
    id: int
    message: str
    url: str
    urgent: bool
    created_at: datetime
    read: bool


class MailOut(Schema):
    id: int
    subject: str
    to: list[str]
    status: str
    attempts: int
    last_error: str
    created_at: datetime
    sent_at: datetime | None


class ReadIn(InputSchema):
    ids: list[Annotated[int, Field(ge=1, le=2**63 - 1)]] | None = Field(default=None, max_length=1000)


def _notice(n) -> dict:
    return {
        "id": n.pk,
        "message": n.message,
        "url": n.url,
        "urgent": n.urgent,
        "created_at": n.created_at,
        "read": n.read_at is not None,
    }


def _mail(m) -> dict:
    """One outbound mail; pass it through `queries.shown_outbound` first (masked recipients)."""
    return {
        "id": m.pk,
        "subject": m.subject,
        "to": m.shown_to,
        "status": m.status,
        "attempts": m.attempts,
        "last_error": m.shown_error,
        "created_at": m.created_at,
        "sent_at": m.sent_at,
    }


@router.get("/notices", response=Page[NoticeOut], summary="My notices")
def list_notices(request, unread: bool = False, limit: int = LIMIT, offset: int = OFFSET):
    return page(
        queries.inbox(request.user, unread_only=unread),
        limit=limit,
        offset=offset,
        present=lambda rows: [_notice(n) for n in rows],
    )


@router.post("/notices/read", summary="Mark notices as read")
def read_notices(request, payload: ReadIn):
    return {"updated": services.mark_read(user=request.user, notice_ids=payload.ids)}


@router.get("/mail", response=Page[MailOut], summary="Outbox")
def list_mail(request, status: str = "", limit: int = LIMIT, offset: int = OFFSET):
    return page(
        queries.outbox(request.user, status=status),
        limit=limit,
        offset=offset,
        present=lambda rows: [_mail(m) for m in queries.shown_outbound(request.user, rows)],
    )


# --- e-mail in ------------------------------------------------------------------------------------


InboundFilter = Literal["", "waiting", "created", "threaded", "unmatched", "quarantined", "loop", "dismissed"]


class InboundOut(Schema):
    id: int
    mailbox: int
    mailbox_label: str
    message_id: str
    from_address: str
    from_name: str
    subject: str
    status: str
    status_label: str
    note: str
    customer: int | None
    record_type: str
    record_id: int | None
    received_at: datetime


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    content_type: str


class InboundDetailOut(InboundOut):
    text: str
    html: str
    attachments: list[AttachmentOut]
    skipped_attachments: list[dict]


def _inbound(m, user) -> dict:
    return {
        "id": m.pk,
        "mailbox": m.mailbox_id,
        "mailbox_label": m.mailbox.name,
        "message_id": m.message_id,
        "from_address": queries.shown_sender(user, m),
        "from_name": m.from_name,
        "subject": m.subject,
        "status": m.status,
        "status_label": str(m.get_status_display()),
        "note": m.note,
        "customer": m.customer_id,
        "record_type": m.content_type.model if m.content_type_id else "",
        "record_id": m.object_id,
        "received_at": m.received_at,
    }


def _inbound_mail(request, mail_id: int):
    from kefu.channels.models import InboundMail

    require_perm(request.user, "channels.view_inboundmail")
    return access(
        InboundMail.objects.select_related("mailbox", "content_type", "customer"), request.user, mail_id
    )


@router.get("/inbound", response=Page[InboundOut], summary="Incoming mail (scoped by mailbox)")
def list_inbound(request, status: InboundFilter = "", limit: int = LIMIT, offset: int = OFFSET):
    require_perm(request.user, "channels.view_inboundmail")
    return page(
        queries.inbound(request.user, status=status),
        limit=limit,
        offset=offset,
        present=lambda rows: [_inbound(m, request.user) for m in rows],
    )


@router.get("/inbound/{int:mail_id}", response=InboundDetailOut, summary="One incoming mail")
def get_inbound(request, mail_id: int):
    mail = _inbound_mail(request, mail_id)
    data = _inbound(mail, request.user)
    data.update(
        text=mail.text,
        html=mail.html,
        attachments=[
            {"id": a.pk, "name": a.name, "size": a.size, "content_type": a.content_type}
            for a in mail.attachments.all()
        ],
        skipped_attachments=mail.skipped_attachments,
    )
    return data


class DismissIn(InputSchema):
    note: str = Field(default="", max_length=500)


@router.post(
    "/inbound/{int:mail_id}/dismiss", response=InboundOut, summary="Mark a waiting mail as dealt with"
)
def dismiss_inbound(request, mail_id: int, payload: DismissIn):
    from kefu.channels.services import mailin

    mail = _inbound_mail(request, mail_id)
    return _inbound(mailin.dismiss(actor=request.user, mail=mail, note=payload.note), request.user)


@router.post(
    "/inbound/{int:mail_id}/rerun",
    response=InboundOut,
    summary="Take a waiting mail in again after a fix (idempotent: never a second record)",
)
def rerun_inbound(request, mail_id: int):
    from kefu.channels.services import mailin

    mail = _inbound_mail(request, mail_id)
    return _inbound(mailin.rerun(actor=request.user, mail=mail), request.user)


class TemplateOut(Schema):
    id: int
    name: str
    subject: str
    body: str


@router.get("/reply-templates", response=list[TemplateOut], summary="Canned reply templates")
def list_templates(request):
    require_perm(request.user, "channels.view_inboundmail")
    return [
        {"id": t.pk, "name": t.name, "subject": t.subject, "body": t.body}
        for t in queries.reply_templates()[:200]
    ]


class ReplyIn(InputSchema):
    template: int = Field(ge=1, le=2**63 - 1)
    note: str = Field(default="", max_length=5000)
    to: list[Annotated[str, Field(max_length=254)]] = Field(default_factory=list, max_length=20)


@router.post(
    "/inbound/{int:mail_id}/reply",
    response={201: MailOut},
    summary="Reply to a mail's record with a template",
)
def reply_inbound(request, mail_id: int, payload: ReplyIn):
    from kefu.channels.models import ReplyTemplate
    from kefu.channels.services import mailin
    from kefu.core.errors import ValidationFailed

    mail = _inbound_mail(request, mail_id)
    if mail.content_type_id is None:
        raise ValidationFailed(fields={"mail": [_("This mail belongs to no record.")]})
    model = mail.content_type.model_class()
    target = access(model, request.user, mail.object_id)
    require_perm(request.user, f"{target._meta.app_label}.change_{target._meta.model_name}")
    template = ReplyTemplate.objects.filter(pk=payload.template, is_active=True).first()
    if template is None:
        raise ValidationFailed(fields={"template": [_("Choose an active reply template.")]})
    sent = mailin.reply_with_template(
        actor=request.user, target=target, template=template, to=payload.to, note=payload.note
    )
    return Status(201, _mail(queries.shown_outbound(request.user, [sent])[0]))


class MailboxOut(Schema):
    id: int
    name: str
    address: str
    department: str
    default_kind: str
    is_active: bool
    last_polled_at: datetime | None
    last_error: str
    waiting: int


@router.get("/mailboxes", response=list[MailboxOut], summary="Department mailboxes and their last poll")
def list_mailboxes(request):
    from kefu.channels.models import Mailbox

    require_perm(request.user, "channels.view_inboundmail")
    rows = Mailbox.objects.visible_to(request.user).select_related("department").order_by("name")[:200]
    waiting = {}
    for row in (
        queries.inbound(request.user, status="waiting").order_by().values("mailbox").annotate(n=Count("id"))
    ):
        waiting[row["mailbox"]] = row["n"]
    return [
        {
            "id": b.pk,
            "name": b.name,
            "address": b.address,
            "department": b.department.name,
            "default_kind": b.default_kind,
            "is_active": b.is_active,
            "last_polled_at": b.last_polled_at,
            "last_error": b.last_error,
            "waiting": waiting.get(b.pk, 0),
        }
        for b in rows
    ]


# --- WeChat -----------------------------------------------------------------------------------------


class BindCodeIn(InputSchema):
    contact: int = Field(ge=1, le=2**63 - 1)


class BindCodeOut(Schema):
    code: str
    contact: int
    expires_at: datetime


@router.post(
    "/wechat/bind-codes", response={201: BindCodeOut}, summary="A one-time WeChat binding code for a contact"
)
def create_bind_code(request, payload: BindCodeIn):
    from kefu.channels.services.wechat import issue_bind_code
    from kefu.customers.models import Contact

    require_perm(request.user, "channels.add_wechatbindcode")
    contact = Contact.objects.select_related("customer").filter(pk=payload.contact).first()
    if contact is None:
        raise NotFound()
    made = issue_bind_code(actor=request.user, contact=contact)
    return Status(201, {"code": made.code, "contact": contact.pk, "expires_at": made.expires_at})
