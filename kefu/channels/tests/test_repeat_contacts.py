"""A customer coming back on the same matter (seed 004: never make a customer call twice) is a
repeat contact whatever the channel: a mail reply (real IMAP), a WeChat message on a record.
The first responsible person gets it and a notice; the sweep flags it once."""

import pytest

from kefu.channels.models import OutboundMail, WeChatFollower
from kefu.channels.services import mailin
from kefu.channels.testing.mails import build
from kefu.channels.tests.test_wechat import (  # noqa: F401 (fixtures)
    _post,
    _reply_text,
    _text,
    account,
    fake_wechat,
)
from kefu.contacts import services as contacts
from kefu.contacts.models import Contact as ContactRecord
from kefu.timeline.queries import events_for


@pytest.fixture
def imap_box(imap_server, make_mailbox):
    user, password = imap_server.add_user()
    box = make_mailbox(host=imap_server.host, port=imap_server.port, username=user, password=password)
    box.deliver = lambda *raw: imap_server.deliver(user, password, *raw)
    return box


def _notices(user):
    from kefu.channels.models import Notice

    return list(Notice.objects.filter(recipient=user).values_list("message", flat=True))


def test_a_mail_reply_is_a_repeat_contact_for_the_first_responsible_and_the_sweep_flags_it(
    imap_box, customer, desk, django_capture_on_commit_callbacks, smtp_server
):
    imap_box.deliver(build())
    with django_capture_on_commit_callbacks(execute=True):
        mailin.poll_mailbox(imap_box)
    first = ContactRecord.objects.get()
    contacts.take_contact(first, actor=desk["agent"].user)  # 陈静 is the first responsible now
    ack = OutboundMail.objects.get()
    imap_box.deliver(
        build(subject="Re: 已收到", text="还没人联系我，柜子还是打不开。", in_reply_to=ack.message_id)
    )
    with django_capture_on_commit_callbacks(execute=True):
        mailin.poll_mailbox(imap_box)
    again = ContactRecord.objects.exclude(pk=first.pk).get()
    assert (again.channel, again.notification_id, again.repeat_of_id) == (
        "mail",
        first.notification_id,
        first.pk,
    )
    assert again.first_responsible == desk["agent"] and again.owner == desk["agent"]
    assert again.person == customer.contacts.get()
    assert any("重复联系" in m or "repeat" in m for m in _notices(desk["agent"].user))
    assert again in ContactRecord.objects.visible_to(desk["agent"].user)
    # The sweep flags it at once (unanswered repeat), once only.
    assert contacts.sweep() >= 1
    again.refresh_from_db()
    assert again.flag_unanswered
    flagged = [e for e in events_for(again) if e.event_type == "contacts.flagged"]
    assert [e.data["reasons"] for e in flagged] == [["repeat"]]
    contacts.sweep()
    assert len([e for e in events_for(again) if e.event_type == "contacts.flagged"]) == 1


def test_a_reply_after_the_window_is_a_new_unowned_contact(mailbox, customer, desk):
    from datetime import timedelta

    mailin.ingest(mailbox, build())
    first = ContactRecord.objects.get()
    contacts.take_contact(first, actor=desk["agent"].user)
    ContactRecord.objects.filter(pk=first.pk).update(
        received_at=first.received_at - timedelta(days=30), is_open=False
    )
    number = first.notification.number
    mailin.ingest(mailbox, build(subject=f"[{number}] 又坏了", text="又坏了"))
    again = ContactRecord.objects.exclude(pk=first.pk).get()
    assert again.repeat_of is None and again.first_responsible is None
    assert _notices(desk["agent"].user) == []


def test_a_wechat_message_on_an_own_record_is_a_repeat_and_others_records_are_not_found(
    client,
    account,  # noqa: F811
    customer,
    desk,
    org,
):
    from kefu.customers.models import Customer
    from kefu.tickets.services import create_notification

    WeChatFollower.objects.create(account=account, openid="oFollower0001", contact=customer.contacts.get())
    _reply_text(_post(client, account, _text("书柜门掉了，请派人来修")))
    first = ContactRecord.objects.get()
    contacts.take_contact(first, actor=desk["agent"].user)
    number = first.notification.number
    answer = _reply_text(_post(client, account, _text(f"补充 {number}：是二楼的书柜")))
    assert number in answer
    first.notification.refresh_from_db()
    assert "是二楼的书柜" in first.notification.long_text
    again = ContactRecord.objects.exclude(pk=first.pk).get()
    assert (again.channel, again.repeat_of_id, again.first_responsible) == ("wechat", first.pk, desk["agent"])
    # Another customer's record: not found, nothing written, no contact recorded.
    other = Customer.objects.create(number="2110050099", name="别家公司", sales_office=org.office_a)
    theirs = create_notification(actor=desk["agent"].user, customer=other, description="别家的单")
    refused = _reply_text(_post(client, account, _text(f"补充 {theirs.number} 改地址")))
    theirs.refresh_from_db()
    assert "改地址" not in theirs.long_text and theirs.number in refused
    assert ContactRecord.objects.count() == 2
