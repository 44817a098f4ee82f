"""Outbound mail 外发邮件 (SBWP) and in-app notices 站内通知, generic over any record."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.channels.choices import MailStatus


class OutboundMail(models.Model):
    """A mail about a record, stored before it is sent so a failed send is never lost.

    A task sends it after commit; on failure it stays `failed` with the error and is retried by
    a periodic task with growing delays until `MAX_ATTEMPTS`.
    """

    MAX_ATTEMPTS = 8

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    to = models.JSONField(_("recipients"), default=list)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("department"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=MailStatus.choices, default=MailStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("outbound mail")
        verbose_name_plural = _("outbound mail")
        ordering = ["-created_at", "-id"]
        permissions = [("mail_outside", _("Can mail records to addresses outside the company"))]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="channels_mail_pending"),
            models.Index(fields=["content_type", "object_id"], name="channels_mail_target"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"


class Notice(models.Model):
    """An in-app notice 站内通知 for one user about one record (e.g. an urgent notification)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notices",
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    message = models.CharField(_("message"), max_length=300)
    url = models.CharField(_("link"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    urgent = models.BooleanField(_("urgent"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"], name="channels_notice_inbox")]

    def __str__(self) -> str:
        return self.message
