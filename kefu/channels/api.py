"""Channels API: my notices (read/mark read) and the outbox."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from ninja import Field, Router, Schema

from kefu.api.pagination import LIMIT, OFFSET, Page, page
from kefu.api.schemas import InputSchema
from kefu.channels import queries, services

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
    return {
        "id": m.pk,
        "subject": m.subject,
        "to": m.to,
        "status": m.status,
        "attempts": m.attempts,
        "last_error": m.last_error,
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
        present=lambda rows: [_mail(m) for m in rows],
    )
