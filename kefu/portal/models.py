"""The customer portal 客户自助服务: logins for a customer's contacts, their invitations, and the
messages they exchange with the service desk on a notification."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.core.models import TimeStampedModel
from kefu.core.scoping import ScopedQuerySet, ScopePaths
from kefu.portal.choices import MessageKind


class PortalAccountQuerySet(ScopedQuerySet):
    scope_paths = ScopePaths(
        office="customer__sales_office", owner_staff="customer__responsible", customer="customer"
    )


class PortalAccount(TimeStampedModel):
    """A customer contact's login 客户账号: a user of its own kind, never staff, never with roles.

    Its user sees the records of `customer` only (kefu.core.scoping, customer path) and reaches
    the portal only (kefu.core.middleware.CustomerBoundaryMiddleware)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="portal_account"
    )
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="portal_accounts",
    )
    contact = models.OneToOneField(
        "customers.Contact",
        verbose_name=_("contact"),
        on_delete=models.PROTECT,
        related_name="portal_account",
    )
    email = models.EmailField(_("e-mail"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = PortalAccountQuerySet.as_manager()

    class Meta:
        verbose_name = _("portal account")
        verbose_name_plural = _("portal accounts")
        ordering = ["customer", "email"]
        permissions = [("invite_portalaccount", _("Can invite customer contacts to the portal"))]

    def __str__(self) -> str:
        return self.email


class Invitation(models.Model):
    """A one-time link 邀请链接 mailed to the contact; only a hash of its token is stored."""

    account = models.ForeignKey(PortalAccount, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.account} {self.created_at:%Y-%m-%d}"


class LoginCode(models.Model):
    """A one-time login code 邮件验证码 mailed to a portal account's address (the way in for a
    contact who has no password or forgot it). Only a keyed hash of the code is stored; it works
    once, until `expires_at`, and is void after `MAX_FAILURES` wrong tries or when a newer code
    is sent (kefu.portal.services.request_login_code / login_with_code)."""

    account = models.ForeignKey(PortalAccount, on_delete=models.CASCADE, related_name="login_codes")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    failures = models.PositiveSmallIntegerField(_("wrong tries"), default=0)

    class Meta:
        verbose_name = _("login code")
        verbose_name_plural = _("login codes")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["account", "-created_at"], name="portal_code_latest")]

    def __str__(self) -> str:
        return f"{self.account} {self.created_at:%Y-%m-%d %H:%M}"


class MessageQuerySet(ScopedQuerySet):
    scope_paths = ScopePaths(
        office="notification__sales_office",
        work_centre="notification__work_centre",
        owner_staff="notification__responsible",
        customer="notification__customer",
    )


class Message(models.Model):
    """One message on a notification between the customer and the desk 客户留言/公开回复.

    The desk's internal notes stay in the notification's long text; a public reply is written
    here and is the only staff text a customer ever reads."""

    notification = models.ForeignKey(
        "tickets.Notification", on_delete=models.CASCADE, related_name="portal_messages"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=MessageKind.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_name = models.CharField(_("author"), max_length=50)
    body = models.TextField(pgettext_lazy("portal", "message"))
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("portal message")
        verbose_name_plural = _("portal messages")
        ordering = ["notification", "created_at", "id"]
        indexes = [models.Index(fields=["notification", "created_at"], name="portal_msg_order")]

    def __str__(self) -> str:
        return self.body[:40]
