"""WeChat official account 微信公众号: the server callback, follower binding, queries, template messages.

wechatpy does the protocol (signature, XML, AES crypto, the API client); this module decides what
a message means. A follower first binds to a customer contact with a one-time code from the desk
or the portal ("绑定 123456"); then "查询 1000021" answers the status of one of their customer's
own records, and any other text becomes a service request. Status changes go out as template
messages from a task, never inside the transaction that changed the status.
"""

from __future__ import annotations

import logging
import re
import secrets
from datetime import timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wechatpy import WeChatClient, create_reply, parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.utils import check_signature

from kefu.channels.events import WECHAT_CODE_ISSUED, WECHAT_RECEIVED, WECHAT_SENT
from kefu.channels.models import WeChatAccount, WeChatBindCode, WeChatFollower, WeChatMessage
from kefu.core.errors import KefuError
from kefu.core.queue import enqueue
from kefu.timeline.services import record

log = logging.getLogger(__name__)

BIND_CODE_DAYS = 7  # a code the desk gives out (by phone, on paper)
OWN_CODE_HOURS = 24  # a code the contact takes from the portal: they bind at once
BIND = re.compile(r"^\s*(?:绑定|bind)\s*(\d{6})\s*$", re.IGNORECASE)
# "补充 1000021 门还是关不上" adds to one of the follower's own records (a repeat contact).
ADD = re.compile(
    r"^\s*(?:补充|回复|留言|add)\s*((?:KS)?\d{4,12})\s*[:：,，]?\s*(.+)$", re.IGNORECASE | re.DOTALL
)
QUERY = re.compile(r"^\s*(?:查询|查|query)\s*((?:KS)?\d{4,12})\s*$", re.IGNORECASE)


class KefuWeChatClient(WeChatClient):
    """wechatpy's client with the API base URL of the account (WeChat's own, or a test server)."""

    def __init__(self, account: WeChatAccount, **kwargs):
        super().__init__(account.app_id, account.app_secret, timeout=10, **kwargs)
        base = account.api_base_url
        self.API_BASE_URL = base if base.endswith("/") else base + "/"

    def fetch_access_token(self):
        return self._fetch_access_token(
            url=f"{self.API_BASE_URL}token",
            params={"grant_type": "client_credential", "appid": self.appid, "secret": self.secret},
        )


_clients: dict[tuple, KefuWeChatClient] = {}


def client_for(account: WeChatAccount) -> KefuWeChatClient:
    """One client per account and settings (its access token is kept in memory between calls)."""
    key = (account.pk, account.app_id, account.app_secret, account.api_base_url)
    if key not in _clients:
        _clients[key] = KefuWeChatClient(account)
    return _clients[key]


# --- the callback ---------------------------------------------------------------------------------


class BadSignature(Exception):
    """The request was not signed with the account's token: refused."""


def verify(account: WeChatAccount, *, signature: str, timestamp: str, nonce: str) -> None:
    from wechatpy.exceptions import InvalidSignatureException

    try:
        check_signature(account.token, signature or "", timestamp or "", nonce or "")
    except (InvalidSignatureException, TypeError) as exc:
        raise BadSignature() from exc


def handle_callback(
    account: WeChatAccount,
    body: bytes,
    *,
    signature: str,
    timestamp: str,
    nonce: str,
    encrypt_type: str = "",
    msg_signature: str = "",
) -> str:
    """A POST from WeChat's server: verify, decrypt (safe mode), act, answer XML (encrypted alike)."""
    from wechatpy.exceptions import InvalidSignatureException

    verify(account, signature=signature, timestamp=timestamp, nonce=nonce)
    crypto = None
    xml = body
    if encrypt_type == "aes":
        if not account.aes_key:
            raise BadSignature()
        crypto = WeChatCrypto(account.token, account.aes_key, account.app_id)
        try:
            xml = crypto.decrypt_message(body, msg_signature, timestamp, nonce).encode()
        except (InvalidSignatureException, Exception) as exc:
            raise BadSignature() from exc
    try:
        message = parse_message(xml)
    except Exception:
        return "success"  # not a message WeChat sends: acknowledge so it is not retried
    text = handle_message(account, message)
    if not text:
        return "success"
    reply = create_reply(text, message).render()
    if crypto is not None:
        return crypto.encrypt_message(reply, nonce, timestamp)
    return reply


def _message_key(message) -> str:
    msg_id = getattr(message, "id", None)
    if msg_id:
        return str(msg_id)
    return f"{message.source}:{getattr(message, 'time', '')}:{getattr(message, 'event', message.type)}"


def handle_message(account: WeChatAccount, message) -> str:
    """What to answer a follower's message; each message is handled once (WeChat retries)."""
    key = _message_key(message)
    seen = WeChatMessage.objects.filter(account=account, msg_id=key).first()
    if seen is not None:
        return seen.reply
    openid = message.source
    content = getattr(message, "content", "") or ""
    try:
        with transaction.atomic():
            log_row = WeChatMessage.objects.create(
                account=account,
                msg_id=key,
                openid=openid,
                kind=getattr(message, "event", message.type)[:20],
                content=content[:2000],
            )
            reply, target = _answer(account, message, openid, content.strip())
            log_row.reply = reply
            if target is not None:
                log_row.content_type = ContentType.objects.get_for_model(target, for_concrete_model=True)
                log_row.object_id = target.pk
            log_row.save()
    except IntegrityError:  # the same message handled by a parallel request
        seen = WeChatMessage.objects.filter(account=account, msg_id=key).first()
        return seen.reply if seen else ""
    return reply


def _follower(account: WeChatAccount, openid: str) -> WeChatFollower:
    follower, _created = WeChatFollower.objects.get_or_create(account=account, openid=openid)
    return follower


def _answer(account: WeChatAccount, message, openid: str, content: str):
    if message.type == "event":
        event = getattr(message, "event", "")
        if event == "subscribe":
            follower = _follower(account, openid)
            if not follower.subscribed:
                WeChatFollower.objects.filter(pk=follower.pk).update(subscribed=True)
            return _welcome(follower), None
        if event == "unsubscribe":
            WeChatFollower.objects.filter(account=account, openid=openid).update(subscribed=False)
            return "", None
        return "", None
    if message.type != "text":
        return _("Only text messages can be handled for now. Please describe your request in words."), None
    follower = _follower(account, openid)
    bind = BIND.match(content)
    if bind:
        return bind_follower(follower, bind.group(1)), None
    if follower.contact_id is None:
        return _welcome(follower), None
    query = QUERY.match(content)
    if query:
        return status_text(follower, query.group(1)), None
    add = ADD.match(content)
    if add:
        return add_to_request(account, follower, add.group(1), add.group(2).strip())
    if not content:
        return _("Please describe your request in words."), None
    return _create_request(account, follower, content)


def _welcome(follower: WeChatFollower) -> str:
    if follower.contact is not None:
        return _(
            "Welcome back, %(name)s. Send your request as a message, or 查询 and a number for its status."
        ) % {"name": follower.contact.name}
    return _(
        "Welcome! To follow your service requests here, send 绑定 and the six-digit code your service "
        "desk gave you, e.g. 绑定 123456."
    )


def issue_bind_code(*, actor, contact) -> WeChatBindCode:
    """A one-time code for a contact to bind their WeChat, issued by the desk for a customer in scope."""
    from kefu.core.errors import NotFound
    from kefu.core.scoping import require_perm
    from kefu.customers.models import Customer

    require_perm(actor, "channels.add_wechatbindcode")
    if not Customer.objects.visible_to(actor).filter(pk=contact.customer_id).exists():
        raise NotFound()
    return _new_code(contact, actor=actor)


def issue_own_bind_code(*, contact) -> WeChatBindCode:
    """The code a signed-in customer contact asks for themselves (the portal has checked who they
    are): valid for `OWN_CODE_HOURS`, once; asking again voids the contact's earlier codes."""
    with transaction.atomic():
        WeChatBindCode.objects.filter(
            contact=contact, used_at__isnull=True, expires_at__gt=timezone.now()
        ).update(expires_at=timezone.now())
        return _new_code(contact, actor=None, valid=timedelta(hours=OWN_CODE_HOURS))


def current_own_code(contact) -> WeChatBindCode | None:
    """The contact's code that can still bind (unused, not expired), the newest."""
    return (
        WeChatBindCode.objects.filter(contact=contact, used_at__isnull=True, expires_at__gt=timezone.now())
        .order_by("-expires_at", "-id")
        .first()
    )


def bound_followers(contact) -> list[WeChatFollower]:
    """The WeChat followers bound to a contact (what the portal shows as "bound")."""
    return list(
        WeChatFollower.objects.filter(contact=contact).select_related("account").order_by("-bound_at", "-id")
    )


def _new_code(contact, *, actor, valid: timedelta | None = None) -> WeChatBindCode:
    valid = valid or timedelta(days=BIND_CODE_DAYS)
    for _attempt in range(10):
        code = f"{secrets.randbelow(1_000_000):06d}"
        try:
            with transaction.atomic():
                made = WeChatBindCode.objects.create(
                    code=code, contact=contact, expires_at=timezone.now() + valid
                )
                record(contact.customer, WECHAT_CODE_ISSUED.code, actor=actor, data={"contact": contact.name})
                return made
        except IntegrityError:
            continue
    raise RuntimeError("no free binding code")


def bind_follower(follower: WeChatFollower, code: str) -> str:
    found = (
        WeChatBindCode.objects.select_for_update()
        .filter(code=code, used_at__isnull=True, expires_at__gt=timezone.now())
        .select_related("contact", "contact__customer")
        .first()
    )
    if found is None:
        return _("This code is unknown or has expired. Please ask your service desk for a new one.")
    now = timezone.now()
    WeChatBindCode.objects.filter(pk=found.pk).update(used_at=now)
    follower.contact = found.contact
    follower.bound_at = now
    follower.save(update_fields=["contact", "bound_at"])
    record(
        found.contact.customer,
        WECHAT_RECEIVED.code,
        data={"content": _("%(name)s bound WeChat") % {"name": found.contact.name}},
    )
    return _("Bound: %(name)s of %(customer)s. You will get status updates here.") % {
        "name": found.contact.name,
        "customer": found.contact.customer.name,
    }


def _find_own(follower: WeChatFollower, number: str):
    """A record of the follower's own customer by its number; None for others' and missing alike."""
    from kefu.channels.services.mailin import record_by_number

    target = record_by_number(number.upper())
    if target is None or follower.contact is None or target.customer_id != follower.contact.customer_id:
        return None
    return target


def status_text(follower: WeChatFollower, number: str) -> str:
    target = _find_own(follower, number)
    if target is None:
        return _("No request %(number)s was found for your company.") % {"number": number}
    status = target.status.display_name if getattr(target, "status", None) else ""
    updated = getattr(target, "updated_at", None)
    when = timezone.localtime(updated).strftime("%Y-%m-%d %H:%M") if updated else ""
    return _("%(number)s: %(status)s (as of %(when)s)") % {
        "number": target.number,
        "status": status,
        "when": when,
    }


def _create_request(account: WeChatAccount, follower: WeChatFollower, content: str):
    from kefu.tickets import services as tickets

    contact = follower.contact
    if contact is None:
        return _welcome(follower), None
    try:
        with transaction.atomic():
            notification = tickets.create_notification(
                actor=account.intake_user,
                customer=contact.customer,
                description=content.splitlines()[0][:100],
                long_text=f"{_('WeChat message from')} {contact.name}\n\n{content}"[: tickets.MAX_TEXT_ENTRY],
                reporter=contact.name[:50],
                contact_name=contact.name[:50],
                contact_phone=contact.mobile or contact.phone or contact.customer.phone,
            )
            record(
                notification, WECHAT_RECEIVED.code, actor=account.intake_user, data={"content": content[:500]}
            )
            from kefu.contacts.choices import Channel
            from kefu.contacts.services import record_inbound

            record_inbound(
                channel=Channel.WECHAT,
                actor=account.intake_user,
                created=notification,
                customer=contact.customer,
                person=contact,
                subject=notification.description,
            )
    except (KefuError, PermissionDenied) as exc:
        log.warning("WeChat request of %s not recorded: %s", follower.openid, exc)
        return _("Sorry, your request could not be recorded. Please call the service hotline."), None
    return (
        _(
            "Received. Your request number is %(number)s; send 查询 %(number)s to follow it, "
            "补充 %(number)s and your text to add to it."
        )
        % {"number": notification.number},
        notification,
    )


def add_to_request(account: WeChatAccount, follower: WeChatFollower, number: str, content: str):
    """A follower writes about one of their own records: the text goes onto it (long text or
    complaint follow-up) and the contact is recorded again on the same matter (a repeat within
    the window, straight to its first responsible). Another customer's number: not found."""
    from kefu.complaints.models import Complaint
    from kefu.complaints.services import add_follow_up
    from kefu.contacts.choices import Channel
    from kefu.contacts.services import record_again
    from kefu.tickets.services import MAX_TEXT_ENTRY, add_text

    target = _find_own(follower, number)
    contact = follower.contact
    if target is None or contact is None:
        return _("No request %(number)s was found for your company.") % {"number": number}, None
    text = f"{_('WeChat message from')} {contact.name}: {content}"
    try:
        with transaction.atomic():
            if isinstance(target, Complaint):
                add_follow_up(target, actor=account.intake_user, note=text[:2000], via="other")
            else:
                add_text(actor=account.intake_user, notification=target, text=text[:MAX_TEXT_ENTRY])
            record(target, WECHAT_RECEIVED.code, actor=account.intake_user, data={"content": content[:500]})
            record_again(
                channel=Channel.WECHAT,
                actor=account.intake_user,
                target=target,
                customer=contact.customer,
                person=contact,
                subject=content.splitlines()[0][:200],
            )
    except (KefuError, PermissionDenied) as exc:
        log.warning("WeChat message of %s on %s not recorded: %s", follower.openid, number, exc)
        return _("Sorry, your message could not be recorded. Please call the service hotline."), None
    return _("Received: your message was added to %(number)s.") % {"number": target.number}, target


# --- status changes as template messages --------------------------------------------------------


def followers_of(customer_id: int) -> list[WeChatFollower]:
    return list(
        WeChatFollower.objects.filter(
            contact__customer_id=customer_id,
            subscribed=True,
            account__is_active=True,
        )
        .exclude(account__status_template_id="")
        .select_related("account")
    )


def announce_status(target: models.Model) -> int:
    """Queue a template message to each bound follower of the record's customer."""
    customer_id = getattr(target, "customer_id", None)
    if customer_id is None:
        return 0
    followers = followers_of(customer_id)
    ct = ContentType.objects.get_for_model(target, for_concrete_model=True)
    for follower in followers:
        from kefu.channels.tasks import send_status_template_task

        enqueue(send_status_template_task, follower.pk, ct.pk, target.pk)
    return len(followers)


def send_status_template(follower_id: int, content_type_id: int, object_id: int) -> dict | None:
    """Send the status template message now (a task; the network call is outside any transaction)."""
    from wechatpy.exceptions import WeChatException

    follower = WeChatFollower.objects.select_related("account").filter(pk=follower_id).first()
    if follower is None:
        return None
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    target: Any = model._default_manager.filter(pk=object_id).first() if model else None
    if target is None:
        return None
    status = target.status.display_name if getattr(target, "status", None) else ""
    data = {
        "first": {"value": _("Your request has a new status")},
        "keyword1": {"value": target.number},
        "keyword2": {"value": status},
        "keyword3": {"value": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
        "remark": {"value": _("Send 查询 %(number)s for details.") % {"number": target.number}},
    }
    text = f"{target.number}: {status}"
    try:
        result = client_for(follower.account).message.send_template(
            follower.openid, follower.account.status_template_id, data
        )
    except (WeChatException, OSError, ValueError) as exc:
        record(target, WECHAT_SENT.code, data={"text": text, "error": f"{type(exc).__name__}: {exc}"[:300]})
        return None
    record(target, WECHAT_SENT.code, data={"text": text, "msgid": result.get("msgid")})
    return result
