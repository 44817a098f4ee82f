"""Read side of channels: a user's notices and the outbox."""

from __future__ import annotations

from django.db.models import QuerySet

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
    """Mail the user may see: all for the outbox permission, else only what they sent."""
    qs = OutboundMail.objects.select_related("department", "created_by", "content_type")
    if not user.has_perm("channels.view_outboundmail"):
        qs = qs.filter(created_by=user)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def mails_for(target) -> QuerySet[OutboundMail]:
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(target, for_concrete_model=True)
    return OutboundMail.objects.filter(content_type=ct, object_id=target.pk).select_related("department")
