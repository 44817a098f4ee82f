"""Outbound mail 外发邮件 (SBWP) and in-app notices 站内通知, generic over any record."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.channels.choices import InboundKind, InboundStatus, MailStatus
from kefu.core.crypto import EncryptedTextField
from kefu.core.scoping import ScopedQuerySet, ScopePaths

# Secrets are encrypted at rest (kefu.core.crypto) and write-only in every form.
SECRET_HELP = _("Stored encrypted, never shown. Leave empty to keep the stored value.")


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
    # Set on every mail we send, so a customer's reply threads back by In-Reply-To/References.
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True, db_index=True)
    in_reply_to = models.CharField(max_length=255, blank=True)
    auto_submitted = models.BooleanField(default=False)  # an automatic reply (RFC 3834)
    # The body holds a one-time secret (a login code): it is blanked once the mail is sent, so
    # the outbox never keeps a code that still works.
    redact_after_send = models.BooleanField(default=False)

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
        verbose_name=pgettext_lazy("channels", "from"),
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


class MailboxQuerySet(ScopedQuerySet):
    scope_paths = ScopePaths(office="sales_office")


class Mailbox(models.Model):
    """A department mailbox 部门邮箱 polled over IMAP; each new mail becomes work by its rules.

    The mail is entered as `intake_user` (its permissions and scope decide what it may create),
    so an administrator sees in the history who "received" it. `last_uid` with `uid_validity`
    is where the next poll resumes; it advances in the same transaction as each stored mail.
    """

    name = models.CharField(_("name"), max_length=60)
    address = models.EmailField(_("address"), unique=True)
    host = models.CharField(_("IMAP host"), max_length=200)
    port = models.PositiveIntegerField(_("IMAP port"), default=993)
    use_ssl = models.BooleanField(_("use SSL"), default=True)
    username = models.CharField(_("user name"), max_length=200)
    password = EncryptedTextField(_("password"), max_length=200, blank=True, help_text=SECRET_HELP)
    folder = models.CharField(_("folder"), max_length=100, default="INBOX")
    department = models.ForeignKey(
        "org.Department", verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    sales_office = models.ForeignKey(
        "org.SalesOffice",
        verbose_name=_("responsibility centre"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Whose staff see this mailbox's unmatched mail; empty: company-wide roles only."),
    )
    intake_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered as"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The staff account new records are created by."),
    )
    default_kind = models.CharField(
        _("new mail becomes"), max_length=12, choices=InboundKind.choices, default=InboundKind.NOTIFICATION
    )
    complaint_keywords = models.TextField(
        _("complaint keywords"),
        blank=True,
        default="投诉\n索赔\n破损\n丢失\n不满",
        help_text=_("One a line; a mail whose subject or text contains one becomes a complaint."),
    )
    auto_reply = models.BooleanField(_("acknowledge automatically"), default=True)
    signature = models.TextField(_("signature"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    uid_validity = models.BigIntegerField(_("UID validity"), null=True, blank=True, editable=False)
    last_uid = models.BigIntegerField(_("last UID read"), default=0, editable=False)
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True, editable=False)

    objects = MailboxQuerySet.as_manager()

    class Meta:
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} <{self.address}>"

    def keywords(self) -> list[str]:
        return [k.strip() for k in self.complaint_keywords.splitlines() if k.strip()]


class InboundMailQuerySet(ScopedQuerySet):
    scope_paths = ScopePaths(office="mailbox__sales_office")


class InboundMail(models.Model):
    """One mail read from a mailbox 来信, kept whatever became of it (nothing is lost).

    Unique per mailbox UID and per Message-ID, so a poll that was killed half-way and runs again
    stores nothing twice. A mail that cannot be read keeps its raw bytes for a person.
    """

    mailbox = models.ForeignKey(
        Mailbox, verbose_name=_("mailbox"), on_delete=models.PROTECT, related_name="mails"
    )
    uid = models.BigIntegerField(_("UID"), null=True, blank=True)
    uid_validity = models.BigIntegerField(null=True, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    in_reply_to = models.CharField(max_length=255, blank=True)
    references = models.TextField(blank=True)
    from_address = models.CharField(pgettext_lazy("channels", "from"), max_length=254, blank=True)
    from_name = models.CharField(_("sender name"), max_length=200, blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    text = models.TextField(_("text"), blank=True)
    html = models.TextField(_("HTML (sanitised)"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    received_at = models.DateTimeField(pgettext_lazy("channels", "received at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=12, choices=InboundStatus.choices)
    note = models.TextField(_("note"), blank=True)
    raw = models.BinaryField(_("raw message"), blank=True, editable=False)
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    skipped_attachments = models.JSONField(_("attachments not kept"), default=list, blank=True)

    objects = InboundMailQuerySet.as_manager()

    class Meta:
        verbose_name = _("incoming mail")
        verbose_name_plural = _("incoming mail")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["mailbox", "uid_validity", "uid"], name="channels_inbound_uid_once"
            )
        ]
        indexes = [
            models.Index(fields=["status", "-received_at"], name="channels_inbound_status"),
            models.Index(fields=["content_type", "object_id"], name="channels_inbound_target"),
        ]

    def __str__(self) -> str:
        return self.subject or self.message_id


class InboundAttachment(models.Model):
    """A file that came with a mail, kept when it is within the upload limits."""

    mail = models.ForeignKey(InboundMail, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    file = models.FileField(_("file"), upload_to="mail/%Y/%m/")

    class Meta:
        verbose_name = _("mail attachment")
        verbose_name_plural = _("mail attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class ReplyTemplate(models.Model):
    """A canned reply 回复模板 with placeholders filled from the record, e.g. {number}, {customer}."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("department"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Offered to this department's staff only; empty: to everyone."),
    )
    shortcut = models.CharField(
        _("shortcut"),
        max_length=12,
        blank=True,
        help_text=_("Typed after a semicolon in a reply or wrap-up text, then Tab, inserts the body (;hy)."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("reply template")
        verbose_name_plural = _("reply templates")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class WeChatAccount(models.Model):
    """A WeChat official account 微信公众号: the server-callback credentials and the API client's."""

    name = models.CharField(_("name"), max_length=60)
    app_id = models.CharField(_("AppID"), max_length=64, unique=True)
    # Encrypted at rest (kefu.core.crypto), write-only in forms.
    app_secret = EncryptedTextField(_("AppSecret"), max_length=128, help_text=SECRET_HELP)
    token = EncryptedTextField(_("token"), max_length=64, help_text=SECRET_HELP)
    aes_key = EncryptedTextField(
        _("EncodingAESKey"),
        max_length=43,
        blank=True,
        help_text=_(
            "Set for the encrypted (safe) mode. Stored encrypted, never shown; leave empty to keep it."
        ),
    )
    api_base_url = models.URLField(_("API base URL"), default="https://api.weixin.qq.com/cgi-bin/")
    status_template_id = models.CharField(_("status template ID"), max_length=64, blank=True)
    intake_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered as"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("WeChat official account")
        verbose_name_plural = _("WeChat official accounts")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class WeChatBindCodeQuerySet(ScopedQuerySet):
    scope_paths = ScopePaths(office="contact__customer__sales_office")


class WeChatBindCode(models.Model):
    """A one-time code 绑定码 a customer contact sends to the account to bind their WeChat."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    contact = models.ForeignKey("customers.Contact", on_delete=models.CASCADE, related_name="+")
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WeChatBindCodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("WeChat binding code")
        verbose_name_plural = _("WeChat binding codes")

    def __str__(self) -> str:
        return self.code


class WeChatFollower(models.Model):
    """A follower 粉丝 (OpenID) of an account, bound to a customer contact once they sent a code."""

    account = models.ForeignKey(WeChatAccount, on_delete=models.CASCADE, related_name="followers")
    openid = models.CharField(_("OpenID"), max_length=64)
    contact = models.ForeignKey(
        "customers.Contact", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    bound_at = models.DateTimeField(_("bound at"), null=True, blank=True)
    subscribed = models.BooleanField(_("following"), default=True)

    class Meta:
        verbose_name = _("WeChat follower")
        verbose_name_plural = _("WeChat followers")
        constraints = [models.UniqueConstraint(fields=["account", "openid"], name="channels_follower_once")]

    def __str__(self) -> str:
        return self.openid


class WeChatMessage(models.Model):
    """A message received from a follower; WeChat retries a callback, the MsgId makes it once."""

    account = models.ForeignKey(WeChatAccount, on_delete=models.CASCADE, related_name="+")
    msg_id = models.CharField(max_length=64)
    openid = models.CharField(max_length=64)
    kind = models.CharField(max_length=20)
    content = models.TextField(blank=True)
    reply = models.TextField(blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")

    class Meta:
        verbose_name = _("WeChat message")
        verbose_name_plural = _("WeChat messages")
        constraints = [models.UniqueConstraint(fields=["account", "msg_id"], name="channels_wechat_msg_once")]

    def __str__(self) -> str:
        return f"{self.openid}: {self.content[:40]}"
