"""The WeChat adapter: the callback with real signed (and encrypted) XML, binding, queries,
requests, and template messages sent to a loopback server speaking WeChat's HTTP API."""

import hashlib
import time

import pytest
from wechatpy.crypto import WeChatCrypto

from kefu.channels.models import WeChatAccount, WeChatFollower, WeChatMessage
from kefu.channels.services import wechat
from kefu.channels.testing.wechat_api import FakeWeChat
from kefu.timeline.queries import events_for

APP_ID, SECRET, TOKEN = "wx5d1e0c4f2b3a6978", "0f1e2d3c4b5a69788796a5b4c3d2e1f0", "kefutoken2026"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"


@pytest.fixture
def fake_wechat():
    with FakeWeChat(APP_ID, SECRET, {"TPL-STATUS"}) as fake:
        yield fake


@pytest.fixture
def account(desk, fake_wechat):
    wechat._clients.clear()
    return WeChatAccount.objects.create(
        name="家具服务号",
        app_id=APP_ID,
        app_secret=SECRET,
        token=TOKEN,
        aes_key=AES_KEY,
        api_base_url=fake_wechat.base_url,
        status_template_id="TPL-STATUS",
        intake_user=desk["intake"].user,
    )


def _signed(token=TOKEN, timestamp=None, nonce="1352798013"):
    timestamp = timestamp or str(int(time.time()))
    signature = hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode()).hexdigest()
    return {"signature": signature, "timestamp": timestamp, "nonce": nonce}


def _text(content, openid="oFollower0001", msg_id=None):
    msg_id = msg_id or str(abs(hash((openid, content, time.time()))))[:16]
    return (
        f"<xml><ToUserName><![CDATA[gh_kefu]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
        f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        f"<Content><![CDATA[{content}]]></Content><MsgId>{msg_id}</MsgId></xml>"
    ).encode()


def _post(client, account, body, **signed):
    from urllib.parse import urlencode

    query = urlencode(signed or _signed())
    return client.post(f"/channels/wechat/{account.pk}/callback/?{query}", body, content_type="text/xml")


def _reply_text(response) -> str:
    from wechatpy import parse_message

    assert response.status_code == 200
    return parse_message(response.content).content


def test_url_check_answers_echostr_and_refuses_a_bad_signature(client, account):
    from urllib.parse import urlencode

    ok = client.get(f"/channels/wechat/{account.pk}/callback/?{urlencode({**_signed(), 'echostr': 'e42'})}")
    assert ok.status_code == 200 and ok.content == b"e42"
    bad = client.get(
        f"/channels/wechat/{account.pk}/callback/?{urlencode({**_signed(token='wrong'), 'echostr': 'e42'})}"
    )
    assert bad.status_code == 403 and b"e42" not in bad.content
    forged = _post(client, account, _text("查询 1000001"), **_signed(token="wrong"))
    assert forged.status_code == 403 and WeChatMessage.objects.count() == 0


def test_bind_query_and_request_end_to_end(client, account, customer, desk):
    from kefu.tickets.services import create_notification

    contact = customer.contacts.get()
    existing = create_notification(actor=desk["agent"].user, customer=customer, description="柜锁坏了")
    # Not bound yet: asked to bind, nothing created, no status told.
    assert "绑定" in _reply_text(_post(client, account, _text(f"查询 {existing.number}")))
    code = wechat.issue_bind_code(actor=desk["agent"].user, contact=contact)
    assert "申齐保健食品有限公司" in _reply_text(_post(client, account, _text(f"绑定 {code.code}")))
    follower = WeChatFollower.objects.get(openid="oFollower0001")
    assert follower.contact == contact
    # A used code cannot bind a second follower.
    again = _reply_text(_post(client, account, _text(f"绑定 {code.code}", openid="oOther")))
    assert WeChatFollower.objects.get(openid="oOther").contact is None and "申齐" not in again
    # 查询: the status of the customer's own record.
    answer = _reply_text(_post(client, account, _text(f"查询 {existing.number}")))
    assert existing.number in answer and existing.status.display_name in answer
    # Other text: a new service request for the bound contact's customer.
    reply = _reply_text(_post(client, account, _text("书柜门掉了，请派人来修")))
    from kefu.tickets.models import Notification

    created = Notification.objects.exclude(pk=existing.pk).get()
    assert created.customer == customer and created.description == "书柜门掉了，请派人来修"
    assert created.number in reply and created.contact_name == contact.name
    assert "wechat.received" in [e.event_type for e in events_for(created)]
    from kefu.contacts.models import Contact as ContactRecord

    first = ContactRecord.objects.get(notification=created)  # 首问负责制: waits to be taken
    assert (first.channel, first.first_responsible, first.person) == ("wechat", None, contact)


def test_a_follower_cannot_query_another_customers_record(client, account, customer, org, desk):
    from kefu.customers.models import Contact, Customer
    from kefu.tickets.services import create_notification

    other = Customer.objects.create(
        number="2110050099", name="别家公司", phone="13900000000", sales_office=org.office_a
    )
    theirs = create_notification(actor=desk["agent"].user, customer=other, description="别家的单")
    WeChatFollower.objects.create(account=account, openid="oFollower0001", contact=customer.contacts.get())
    answer = _reply_text(_post(client, account, _text(f"查询 {theirs.number}")))
    assert theirs.status.display_name not in answer and "别家" not in answer
    assert Contact.objects.count() == 1


def test_the_same_message_twice_is_handled_once(client, account, customer):
    from kefu.tickets.models import Notification

    WeChatFollower.objects.create(account=account, openid="oFollower0001", contact=customer.contacts.get())
    first = _reply_text(_post(client, account, _text("椅子坏了", msg_id="6054768590064713728")))
    second = _reply_text(_post(client, account, _text("椅子坏了", msg_id="6054768590064713728")))
    assert first == second and Notification.objects.count() == 1


def test_encrypted_mode(client, account, customer):
    WeChatFollower.objects.create(account=account, openid="oFollower0001", contact=customer.contacts.get())
    crypto = WeChatCrypto(TOKEN, AES_KEY, APP_ID)
    signed = _signed()
    encrypted = crypto.encrypt_message(_text("沙发塌了").decode(), signed["nonce"], signed["timestamp"])
    import xmltodict
    from wechatpy.utils import to_text

    msg_signature = xmltodict.parse(to_text(encrypted))["xml"]["MsgSignature"]
    from urllib.parse import urlencode

    query = urlencode({**signed, "encrypt_type": "aes", "msg_signature": msg_signature})
    response = client.post(
        f"/channels/wechat/{account.pk}/callback/?{query}", encrypted, content_type="text/xml"
    )
    assert response.status_code == 200 and b"<Encrypt>" in response.content
    parsed = xmltodict.parse(response.content.decode())["xml"]
    plain = crypto.decrypt_message(
        response.content.decode(), parsed["MsgSignature"], parsed["TimeStamp"], parsed["Nonce"]
    )
    from kefu.tickets.models import Notification

    number = Notification.objects.get().number
    assert number in plain
    # A body encrypted with another key is refused.
    stranger = WeChatCrypto(TOKEN, "B" * 43, APP_ID).encrypt_message(
        _text("x").decode(), "1", signed["timestamp"]
    )
    sig = xmltodict.parse(to_text(stranger))["xml"]["MsgSignature"]
    query = urlencode({**signed, "nonce": "1", "encrypt_type": "aes", "msg_signature": sig})
    refused = client.post(
        f"/channels/wechat/{account.pk}/callback/?{query}", stranger, content_type="text/xml"
    )
    assert refused.status_code in (403,)


def test_a_status_change_sends_a_template_message(
    account, customer, desk, fake_wechat, django_capture_on_commit_callbacks
):
    from kefu.tickets.services import change_status, create_notification

    WeChatFollower.objects.create(account=account, openid="oFollower0001", contact=customer.contacts.get())
    WeChatFollower.objects.create(
        account=account, openid="oGone", contact=customer.contacts.get(), subscribed=False
    )
    notification = create_notification(actor=desk["agent"].user, customer=customer, description="柜门坏了")
    with django_capture_on_commit_callbacks(execute=True):
        change_status(
            actor=desk["agent"].user, notification=notification, to="TCCL", inputs={"reason": "客户出差"}
        )
    notification.refresh_from_db()
    assert len(fake_wechat.sent) == 1
    sent = fake_wechat.sent[0]
    assert sent["touser"] == "oFollower0001" and sent["template_id"] == "TPL-STATUS"
    assert sent["data"]["keyword1"]["value"] == notification.number
    assert sent["data"]["keyword2"]["value"] == notification.status.display_name
    event = [e for e in events_for(notification) if e.event_type == "wechat.sent"]
    assert event and event[0].data["msgid"] == 200228332


def test_a_refused_template_message_is_on_the_history(account, customer, desk, fake_wechat):
    from kefu.tickets.services import create_notification

    WeChatAccount.objects.filter(pk=account.pk).update(status_template_id="TPL-UNKNOWN")
    follower = WeChatFollower.objects.create(
        account=account, openid="oFollower0001", contact=customer.contacts.get()
    )
    notification = create_notification(actor=desk["agent"].user, customer=customer, description="柜门坏了")
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(notification)
    assert wechat.send_status_template(follower.pk, ct.pk, notification.pk) is None
    event = next(e for e in events_for(notification) if e.event_type == "wechat.sent")
    assert "40037" in event.data["error"]


def test_a_contact_gets_their_own_code_and_an_expired_code_binds_nobody(client, account, customer):
    from datetime import timedelta

    from django.utils import timezone

    from kefu.channels.models import WeChatBindCode

    contact = customer.contacts.get()
    own = wechat.issue_own_bind_code(contact=contact)
    WeChatBindCode.objects.filter(pk=own.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    answer = _reply_text(_post(client, account, _text(f"绑定 {own.code}")))
    assert "过期" in answer and WeChatFollower.objects.get(openid="oFollower0001").contact is None
    fresh = wechat.issue_own_bind_code(contact=contact)
    _reply_text(_post(client, account, _text(f"绑定 {fresh.code}")))
    assert WeChatFollower.objects.get(openid="oFollower0001").contact == contact
