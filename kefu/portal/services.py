"""Every write of the customer portal: invitations and accounts, requests that become service
notifications (kefu.tickets.services), messages between customer and desk, quote decisions
(kefu.billing.services). Customer users act for their own customer only: the one scope rule."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.contacts.choices import Channel
from kefu.contacts.services import record_again, record_inbound
from kefu.core.errors import KefuError, NotFound, PermissionDenied, ValidationFailed
from kefu.core.scoping import access, customer_of, require_perm
from kefu.core.validation import check_text
from kefu.portal import events
from kefu.portal.choices import REQUEST_TYPE_CODES, MessageKind, RequestKind
from kefu.portal.models import Invitation, LoginCode, Message, PortalAccount
from kefu.timeline.services import record
from kefu.worktime import clock

INVITATION_DAYS = 7
MAX_MESSAGE = 2000
MAX_PHOTOS = 6
USERNAME_PREFIX = "kh."  # 客户: a customer user's username, never one a staff member is given
LOGIN_CODE_MINUTES = 10  # a mailed login code works this long, once
LOGIN_CODE_MAX_FAILURES = 5  # wrong tries after which the code is void
LOGIN_CODE_INTERVAL = dt.timedelta(minutes=1)  # at most one code a minute per account


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def account_for(user) -> PortalAccount:
    """The portal account of a customer user; PermissionDenied for staff and anonymous."""
    if customer_of(user) is None:
        raise PermissionDenied()
    account = PortalAccount.objects.select_related("customer", "contact").filter(user=user).first()
    if account is None or not account.is_active:
        raise PermissionDenied()
    return account


def invite(*, actor, contact, email: str = "", base_url: str = "") -> tuple[PortalAccount, str]:
    """Invite a customer's contact to the portal: a customer user and a one-time link by mail.

    Inviting again (e.g. the mail was lost) sends a new link and voids the old ones. Returns
    the account and the link (shown to the inviting staff member too)."""
    from kefu.channels.services import send_mail
    from kefu.customers.models import Customer

    require_perm(actor, "portal.invite_portalaccount")
    if not Customer.objects.visible_to(actor).filter(pk=contact.customer_id).exists():
        raise NotFound()
    email = (email or contact.email or "").strip().lower()
    try:
        validate_email(email)
    except DjangoValidationError:
        message = _("Enter the contact's e-mail address: the invitation is sent there.")
        raise ValidationFailed(message, fields={"email": [message]}) from None
    User = get_user_model()
    with transaction.atomic():
        account = PortalAccount.objects.select_for_update().filter(contact=contact).first()
        if PortalAccount.objects.filter(email=email).exclude(contact=contact).exists():
            message = _("Another contact already uses this e-mail address for the portal.")
            raise ValidationFailed(message, fields={"email": [message]})
        if account is None:
            username = f"{USERNAME_PREFIX}{email}"[:150]
            if User.objects.filter(username=username).exists():
                message = _("Another contact already uses this e-mail address for the portal.")
                raise ValidationFailed(message, fields={"email": [message]})
            user = User(username=username, email=email, first_name=contact.name[:150], is_staff=False)
            user.set_unusable_password()
            user.save()
            account = PortalAccount.objects.create(
                user=user, customer_id=contact.customer_id, contact=contact, email=email, invited_by=actor
            )
        else:
            account.email = email
            account.invited_by = actor
            account.save(update_fields=["email", "invited_by", "updated_at"])
            User.objects.filter(pk=account.user_id).update(email=email)
        Invitation.objects.filter(account=account, used_at__isnull=True).update(expires_at=timezone.now())
        token = secrets.token_urlsafe(32)
        Invitation.objects.create(
            account=account,
            token_hash=_hash(token),
            expires_at=timezone.now() + dt.timedelta(days=INVITATION_DAYS),
        )
        link = f"{base_url.rstrip('/')}{reverse('portal:accept', kwargs={'token': token})}"
        record(contact.customer, events.INVITED.code, actor=actor, data={"contact": contact.name})
        customer_name = contact.customer.name
        send_mail(
            actor=actor,
            target=contact.customer,
            to=[email],
            subject=_("Your invitation to the customer service portal of %(customer)s")
            % {"customer": customer_name},
            body=_(
                "Dear %(name)s,\n\nYou have been invited to our customer service portal, where you can "
                "submit service requests, follow them and read our replies.\n\nSet your password with "
                "this link (valid for %(days)d days, once):\n%(link)s\n\nBest regards,\nCustomer Service"
            )
            % {"name": contact.name, "days": INVITATION_DAYS, "link": link},
        )
    return account, link


def accept_invitation(*, token: str, password: str) -> PortalAccount:
    """Set the password with a one-time link: the link works once and only until it expires."""
    invitation = (
        Invitation.objects.select_related("account__user", "account__contact")
        .filter(token_hash=_hash(token or ""))
        .first()
    )
    if invitation is None or invitation.used_at is not None or invitation.expires_at <= timezone.now():
        raise ValidationFailed(
            _(
                "This invitation link is not valid any more. "
                "Ask your contact at our service desk for a new one."
            ),
            code="invitation_invalid",
        )
    account = invitation.account
    if not account.is_active:
        raise ValidationFailed(_("This portal account has been closed."), code="invitation_invalid")
    user = account.user
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationFailed(exc.messages[0], fields={"password": list(exc.messages)}) from None
    with transaction.atomic():
        updated = Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(
            used_at=timezone.now()
        )
        if not updated:  # two tabs used the same link at once: the first wins
            raise ValidationFailed(
                _("This invitation link has already been used."), code="invitation_invalid"
            )
        user.set_password(password)
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
        if account.activated_at is None:
            account.activated_at = timezone.now()
            account.save(update_fields=["activated_at", "updated_at"])
        record(account.customer, events.ACTIVATED.code, actor=user, data={"contact": account.contact.name})
    return account


def _code_hash(account: PortalAccount, code: str) -> str:
    # Keyed by the site's secret and the account: six digits alone would be guessed from a
    # plain hash in a moment.
    return salted_hmac("kefu.portal.login_code", f"{account.pk}:{code}", algorithm="sha256").hexdigest()


def _code_account(email: str) -> PortalAccount | None:
    """The open portal account of a customer contact with this address; None for anything else
    (unknown addresses, closed accounts, staff)."""
    email = (email or "").strip().lower()
    if not email:
        return None
    account = (
        PortalAccount.objects.select_related("user", "customer", "contact")
        .filter(email=email, is_active=True, user__is_active=True, user__is_staff=False)
        .first()
    )
    if account is None or customer_of(account.user) is None:
        return None
    return account


def request_login_code(*, email: str) -> None:
    """Mail a six-digit login code 邮件验证码 to a portal account's address.

    Whether the address has an account is never told: an unknown address, a staff member's, a
    closed account, or a second request within a minute all end quietly like a sent code. A new
    code voids the earlier ones; the mail goes out after commit (kefu.channels.services)."""
    from kefu.channels.services import send_mail

    account = _code_account(email)
    if account is None:
        return
    now = clock.now()
    code = f"{secrets.randbelow(1_000_000):06d}"
    with transaction.atomic():
        PortalAccount.objects.select_for_update().filter(pk=account.pk).first()  # one request at a time
        latest = LoginCode.objects.filter(account=account).order_by("-created_at", "-id").first()
        if latest is not None and latest.created_at > now - LOGIN_CODE_INTERVAL:
            return
        LoginCode.objects.filter(account=account, used_at__isnull=True, expires_at__gt=now).update(
            expires_at=now
        )
        LoginCode.objects.create(
            account=account,
            code_hash=_code_hash(account, code),
            created_at=now,
            expires_at=now + dt.timedelta(minutes=LOGIN_CODE_MINUTES),
        )
        send_mail(
            actor=None,
            target=account.customer,
            to=[account.email],
            subject=_("Your login code for the customer service portal: %(code)s") % {"code": code},
            body=_(
                "Dear %(name)s,\n\nYour login code is: %(code)s\n\nEnter it on the login page of the "
                "customer service portal within %(minutes)d minutes; it works once. If you did not ask "
                "for it, you can ignore this mail.\n\nBest regards,\nCustomer Service"
            )
            % {"name": account.contact.name, "code": code, "minutes": LOGIN_CODE_MINUTES},
            redact_after_send=True,
        )


def login_with_code(*, email: str, code: str) -> PortalAccount:
    """The account whose newest valid code this is; the code is used up. A wrong code counts a
    failure (the fifth voids it); every refusal reads the same, whatever the reason."""
    message = _("The code is not correct or no longer valid. Ask for a new code.")
    invalid = ValidationFailed(message, code="login_code_invalid", fields={"code": [message]})
    account = _code_account(email)
    code = (code or "").strip()
    if account is None or not (len(code) == 6 and code.isdigit()):
        raise invalid
    now = clock.now()
    with transaction.atomic():
        current = (
            LoginCode.objects.select_for_update()
            .filter(
                account=account,
                used_at__isnull=True,
                expires_at__gt=now,
                failures__lt=LOGIN_CODE_MAX_FAILURES,
            )
            .order_by("-created_at", "-id")
            .first()
        )
        if current is None:
            raise invalid
        matches = constant_time_compare(current.code_hash, _code_hash(account, code))
        if matches:
            current.used_at = now
            current.save(update_fields=["used_at"])
            if account.activated_at is None:
                account.activated_at = now
                account.save(update_fields=["activated_at", "updated_at"])
        else:
            # The failure is kept (this transaction commits); the refusal is raised after it.
            current.failures += 1
            if current.failures >= LOGIN_CODE_MAX_FAILURES:
                current.expires_at = now
            current.save(update_fields=["failures", "expires_at"])
    if not matches:
        raise invalid
    return account


def change_password(*, actor, password: str, current_password: str | None = None):
    """A customer user sets a new password 修改密码 (after a code login, without the old one:
    the mailed code has just proven who they are). `current_password`, when given, must match."""
    account = account_for(actor)
    user = account.user
    if current_password is not None and not user.check_password(current_password):
        message = _("The current password is not correct.")
        raise ValidationFailed(message, fields={"current_password": [message]})
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationFailed(exc.messages[0], fields={"password": list(exc.messages)}) from None
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        record(
            account.customer, events.PASSWORD_CHANGED.code, actor=user, data={"contact": account.contact.name}
        )
    return user


def close_account(*, actor, account: PortalAccount) -> PortalAccount:
    """Close a portal account: its user can no longer log in (nothing is deleted)."""
    require_perm(actor, "portal.invite_portalaccount")
    access(PortalAccount, actor, account.pk)
    with transaction.atomic():
        account.is_active = False
        account.save(update_fields=["is_active", "updated_at"])
        get_user_model().objects.filter(pk=account.user_id).update(is_active=False)
    return account


def _check_photos(photos: list) -> None:
    from kefu.tickets.services import ALLOWED_UPLOADS, MAX_UPLOAD_BYTES

    if len(photos) > MAX_PHOTOS:
        message = _("At most %(count)d photos.") % {"count": MAX_PHOTOS}
        raise ValidationFailed(message, fields={"photos": [message]})
    for photo in photos:
        name = getattr(photo, "name", "") or ""
        ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if ext not in ALLOWED_UPLOADS or not ALLOWED_UPLOADS[ext].startswith("image/"):
            message = _("Only photos can be added (jpg, png, gif, webp, heic): %(name)s") % {"name": name}
            raise ValidationFailed(message, fields={"photos": [message]})
        if photo.size > MAX_UPLOAD_BYTES:
            message = _("The photo %(name)s is larger than %(mb)d MB.") % {
                "name": name,
                "mb": MAX_UPLOAD_BYTES // (1024 * 1024),
            }
            raise ValidationFailed(message, fields={"photos": [message]})


def submit_request(
    *,
    actor,
    kind: str,
    description: str,
    address_id: int | None = None,
    photos: list | None = None,
    idempotency_key: str = "",
):
    """A customer's service request 服务请求: becomes a service notification of their customer,
    at one of their own service addresses, with their photos; the desk is told at once."""
    from kefu.customers.models import ServiceAddress
    from kefu.tickets.errors import AttachmentRefused
    from kefu.tickets.models import NotificationType
    from kefu.tickets.services import add_attachment, create_notification

    account = account_for(actor)
    photos = list(photos or [])
    errors: dict[str, list[str]] = {}
    if kind not in RequestKind.values:
        errors["kind"] = [_("Choose what you need.")]
    text = (description or "").strip()
    check_text(description=text)
    if not text:
        errors["description"] = [_("Describe what happened or what you need.")]
    elif len(text) > MAX_MESSAGE:
        errors["description"] = [_("Too long: at most %(count)d characters.") % {"count": MAX_MESSAGE}]
    address = None
    addresses = ServiceAddress.objects.filter(customer_id=account.customer_id)
    if address_id:
        address = addresses.filter(pk=address_id).first()
        if address is None:
            errors["address"] = [_("Choose one of your service addresses.")]
    elif addresses.exists():
        errors["address"] = [_("Choose the address where the service is needed.")]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    _check_photos(photos)
    ntype = NotificationType.objects.filter(
        code=REQUEST_TYPE_CODES[RequestKind(kind)], is_active=True
    ).first()
    title = f"{RequestKind(kind).label}:{text.splitlines()[0]}"[:100]
    fields: dict = {"reporter": account.contact.name[:50]}
    if address is not None:
        fields.update(
            functional_location=address.code,
            object_address=address.address,
            contact_name=(address.contact_name or account.contact.name)[:50],
            contact_phone=address.contact_phone or account.contact.mobile or account.contact.phone,
        )
    else:
        fields.update(
            contact_name=account.contact.name[:50],
            contact_phone=account.contact.mobile or account.contact.phone,
        )
    with transaction.atomic():
        notification = create_notification(
            actor=actor,
            customer=account.customer,
            description=title,
            type=ntype,
            long_text=text,
            idempotency_key=idempotency_key,
            **fields,
        )
        if notification.replayed:
            return notification
        for photo in photos:
            try:
                add_attachment(actor=actor, notification=notification, upload=photo)
            except AttachmentRefused as exc:  # the whole request is undone, the field named
                message = f"{getattr(photo, 'name', '')}: {exc}"
                raise ValidationFailed(message, fields={"photos": [message]}) from exc
        record(notification, events.SUBMITTED.code, actor=actor, data={"contact": account.contact.name})
        record_inbound(
            channel=Channel.PORTAL,
            actor=actor,
            created=notification,
            customer=account.customer,
            person=account.contact,
            subject=title,
        )
        _tell_desk(notification, actor, _("New request from %(customer)s: %(text)s"), text)
    return notification


def _tell_desk(notification, actor, template: str, text: str) -> None:
    """A notice to the person responsible (or, without one, nobody: the worklist shows it)."""
    from kefu.channels.services import notify

    if notification.responsible_id is None or notification.responsible.user_id is None:
        return
    notify(
        recipient=notification.responsible.user,
        target=notification,
        message=template % {"customer": notification.customer.name, "text": text[:60]},
        url=reverse("tickets:detail", kwargs={"pk": notification.pk}),
        actor=actor,
    )


def _check_body(body: str) -> str:
    text = (body or "").strip()
    check_text(body=text)
    if not text:
        raise ValidationFailed(fields={"body": [_("Write a message.")]})
    if len(text) > MAX_MESSAGE:
        message = _("Too long: at most %(count)d characters.") % {"count": MAX_MESSAGE}
        raise ValidationFailed(message, fields={"body": [message]})
    return text


def post_message(*, actor, notification_id: int, body: str) -> Message:
    """The customer writes to the desk on one of their requests 客户留言."""
    from kefu.tickets.models import Notification

    account = account_for(actor)
    notification = access(
        Notification.objects.select_related("customer", "responsible"), actor, notification_id
    )
    text = _check_body(body)
    with transaction.atomic():
        message = Message.objects.create(
            notification=notification,
            kind=MessageKind.CUSTOMER,
            author=actor,
            author_name=account.contact.name[:50],
            body=text,
        )
        record(notification, events.MESSAGE.code, actor=actor, data={"text": text[:200]})
        record_again(
            channel=Channel.PORTAL,
            actor=actor,
            target=notification,
            customer=account.customer,
            person=account.contact,
            subject=text.splitlines()[0][:200],
        )
        _tell_desk(notification, actor, _("Message from %(customer)s: %(text)s"), text)
    return message


def reply(*, actor, notification, body: str) -> Message:
    """A public reply 公开回复 of the desk: the customer reads it in the portal and gets a mail.
    Internal notes stay in the notification's long text."""
    from kefu.channels.services import send_mail
    from kefu.tickets.models import Notification

    if customer_of(actor) is not None:
        raise PermissionDenied()
    require_perm(actor, "tickets.change_notification")
    notification = access(Notification.objects.select_related("customer"), actor, notification.pk)
    text = _check_body(body)
    staff = getattr(actor, "staff", None)
    with transaction.atomic():
        message = Message.objects.create(
            notification=notification,
            kind=MessageKind.REPLY,
            author=actor,
            author_name=(staff.name if staff else actor.get_username())[:50],
            body=text,
        )
        record(notification, events.REPLY.code, actor=actor, data={"text": text[:200]})
        emails = list(
            PortalAccount.objects.filter(
                customer=notification.customer_id, is_active=True, user__is_active=True
            ).values_list("email", flat=True)
        )
        if emails:
            send_mail(
                actor=actor,
                target=notification,
                to=emails,
                subject=_("[%(number)s] A reply to your service request") % {"number": notification.number},
                body=_(
                    "Dear customer,\n\nWe have replied to your service request %(number)s:\n\n%(text)s\n\n"
                    "You can read it and answer in the customer portal.\n\nBest regards,\nCustomer Service"
                )
                % {"number": notification.number, "text": text},
            )
    return message


def decide_quote(
    *, actor, quotation_id: int, accepted: bool, reason: str = "", expected_version: int | None = None
):
    """The customer confirms or refuses a service quotation 报价 themself (kefu.billing)."""
    from kefu.billing.models import Quotation
    from kefu.billing.services import decide_quotation

    account = account_for(actor)
    quotation = access(Quotation.objects.select_related("notification"), actor, quotation_id)
    return decide_quotation(
        actor=actor,
        quotation=quotation,
        accepted=accepted,
        customer_person=account.contact.name[:50],
        reason=reason,
        expected_version=expected_version,
    )


def wechat_code(*, actor, regenerate: bool = False):
    """The contact's own code to bind their WeChat 绑定码: the valid one, or a new one (which voids
    the earlier ones) when asked or when none is valid. Returns (code or None, bound followers)."""
    from kefu.channels.services import wechat

    account = account_for(actor)
    code = None if regenerate else wechat.current_own_code(account.contact)
    if regenerate:
        code = wechat.issue_own_bind_code(contact=account.contact)
    return code, wechat.bound_followers(account.contact)


def wechat_code_hours() -> int:
    from kefu.channels.services.wechat import OWN_CODE_HOURS

    return OWN_CODE_HOURS


class RatingClosed(KefuError):
    code = "rating_closed"
    status = 409
    default_message = gettext_lazy("The time to rate this service has ended.")


def rating_of(notification):
    """The rating of a closed request, if one was issued (None while it is open)."""
    from django.contrib.contenttypes.models import ContentType

    from kefu.surveys.models import Rating

    ct = ContentType.objects.get_for_model(notification, for_concrete_model=True)
    return Rating.objects.filter(content_type=ct, object_id=notification.pk).first()


def rate_service(*, actor, notification_id: int, stars, comment: str = ""):
    """The customer rates a closed service of their own customer from the portal 服务评价.

    The one rating of the record (kefu.surveys): the same as the mailed link, so a service is
    rated once whichever way comes first (409 after that); a low score warns and plans a visit."""
    from kefu.surveys import services as surveys
    from kefu.surveys.errors import RatingLinkExpired
    from kefu.tickets.models import Notification
    from kefu.workflow.choices import Stage

    account_for(actor)
    notification = access(Notification.objects.select_related("status"), actor, notification_id)
    if notification.status.stage != Stage.COMPLETED:
        message = _("This request is not closed yet: it can be rated when the service is done.")
        raise ValidationFailed(message, code="not_closed", fields={"stars": [message]})
    rating = surveys.issue_rating(notification)
    try:
        return surveys.submit_rating(surveys.rating_token(rating), stars=stars, comment=comment)
    except RatingLinkExpired:
        raise RatingClosed() from None
