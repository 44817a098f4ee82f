"""Defects found in the security/privacy review (h-sec2): each test failed on the code before its fix."""

import pytest

from kefu.channels.services import mailin
from kefu.channels.testing.mails import build
from kefu.core.testing.scope import client_for

pytestmark = pytest.mark.django_db


def test_mail_history_shows_sender_and_recipients_masked_to_a_masked_role(
    mailbox, customer, desk, org, staff_factory
):
    mail, _ = mailin.ingest(mailbox, build())
    notification = mail.target
    assistant = staff_factory(roles=["assistant"], offices=[org.office_a], work_centres=[org.wc_a])
    page = client_for(assistant).get(f"/notifications/{notification.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "wangli@shenqi.example.cn" not in body  # the sender (mail.received) and the ack's recipient
    assert "w***@shenqi.example.cn" in body
    unmasked = client_for(desk["manager"]).get(f"/notifications/{notification.pk}/").content.decode()
    assert "wangli@shenqi.example.cn" in unmasked


def test_the_outbox_shows_customer_recipients_masked_to_a_masked_role(mailbox, customer, desk):
    from kefu.channels.models import OutboundMail
    from kefu.core.testing.scope import api_client_for

    mailin.ingest(mailbox, build())
    ack = OutboundMail.objects.get()
    assert ack.to == ["wangli@shenqi.example.cn"]
    OutboundMail.objects.filter(pk=ack.pk).update(
        last_error="550 5.1.1 <wangli@shenqi.example.cn>: Recipient address rejected"
    )
    masked = [
        client_for(desk["agent"]).get("/channels/outbox/").content.decode(),
        api_client_for(desk["agent"]).get("/api/v1/channels/mail").content.decode(),
    ]
    for body in masked:
        assert "w***@shenqi.example.cn" in body
        assert "wangli@shenqi.example.cn" not in body
    assert "wangli@shenqi.example.cn" in client_for(desk["manager"]).get("/channels/outbox/").content.decode()
