"""Incoming-mail pages and API: scope by the mailbox's centre, masked sender, dismiss, replies, codes."""

import json

import pytest
from django.urls import reverse

from kefu.channels.choices import InboundStatus
from kefu.channels.models import OutboundMail, ReplyTemplate
from kefu.channels.services import mailin
from kefu.channels.testing.mails import build
from kefu.core.testing.scope import api_client_for, client_for


@pytest.fixture
def waiting(mailbox, customer):
    unknown, _ = mailin.ingest(
        mailbox, build(sender="陌生人 <stranger@unknown.example.net>", subject="咨询报价")
    )
    broken, _ = mailin.ingest(mailbox, b"\x00garbage")
    created, _ = mailin.ingest(
        mailbox,
        build(
            subject="柜子坏了",
            html='<p>柜子<b>坏了</b></p><script>alert("x")</script>',
            attachments=[("照片.jpg", "image/jpeg", b"\xff\xd8\xff photo")],
        ),
    )
    return {"unknown": unknown, "broken": broken, "created": created}


def test_the_list_shows_what_waits_for_a_person_with_the_sender_masked(waiting, desk):
    response = client_for(desk["agent"]).get(reverse("channels:inbound"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "咨询报价" in page and "（无法解析的邮件）" in page and "柜子坏了" not in page
    assert "stranger@unknown.example.net" not in page  # the assistant sees addresses masked
    everything = client_for(desk["agent"]).get(reverse("channels:inbound") + "?status=").content.decode()
    assert "柜子坏了" in everything
    manager_page = client_for(desk["manager"]).get(reverse("channels:inbound")).content.decode()
    assert "stranger@unknown.example.net" in manager_page  # the manager sees personal data


def test_another_centre_gets_404_and_a_role_without_the_permission_403(waiting, desk, staff_factory, org):
    mail = waiting["unknown"]
    url = reverse("channels:inbound_detail", args=[mail.pk])
    assert client_for(desk["outsider"]).get(url).status_code == 404
    technician = staff_factory(roles=["technician"], offices=[org.office_a], work_centres=[org.wc_a])
    assert client_for(technician).get(url).status_code == 403
    assert api_client_for(desk["outsider"]).get(f"/api/v1/channels/inbound/{mail.pk}").status_code == 404


def test_detail_shows_sanitised_html_sandboxed_and_the_attachment(waiting, desk):
    mail = waiting["created"]
    client = client_for(desk["agent"])
    page = client.get(reverse("channels:inbound_detail", args=[mail.pk])).content.decode()
    assert "<iframe sandbox" in page and "&lt;b&gt;坏了&lt;/b&gt;" in page and "alert" not in page
    # one catalogue for all apps: a mail's From is its sender 发件人 (not the date ranges' 从), its
    # Record the 单据 it went to (not complaints' verb 记录)
    assert "发件人</dt>" in page and "单据</dt>" in page
    attachment = mail.attachments.get()
    download = client.get(reverse("channels:inbound_attachment", args=[mail.pk, attachment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"\xff\xd8\xff photo"
    # The original carries the address unmasked: only for readers who may see personal data.
    assert client.get(reverse("channels:inbound_raw", args=[mail.pk])).status_code == 403
    raw = client_for(desk["manager"]).get(reverse("channels:inbound_raw", args=[mail.pk]))
    assert raw.status_code == 200 and raw["Content-Type"] == "message/rfc822"


def test_dismissing_a_waiting_mail_records_who_and_why(waiting, desk):
    mail = waiting["broken"]
    client = client_for(desk["agent"])
    response = client.post(
        reverse("channels:inbound_dismiss", args=[mail.pk]), {"note": "服务器乱码，已电话确认"}
    )
    assert response.status_code == 302
    mail.refresh_from_db()
    assert mail.status == InboundStatus.DISMISSED and "陈静" in mail.note and "已电话确认" in mail.note
    api = api_client_for(desk["agent"])
    again = api.post(
        f"/api/v1/channels/inbound/{mail.pk}/dismiss", data="{}", content_type="application/json"
    )
    assert again.status_code == 400 and "status" in again.json()["error"]["fields"]


def test_reply_with_a_template_from_the_page_and_the_api(
    waiting, desk, smtp_server, django_capture_on_commit_callbacks
):
    mail = waiting["created"]
    template = ReplyTemplate.objects.create(
        name="上门安排", subject="上门安排", body="{salutation}：{number}\n{signature}"
    )
    client = client_for(desk["agent"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("channels:inbound_reply", args=[mail.pk]), {"template": template.pk, "note": "明天上午"}
        )
    assert response.status_code == 302
    replies = OutboundMail.objects.filter(auto_submitted=False)
    assert replies.count() == 1 and "明天上午" in replies.get().body
    api = api_client_for(desk["agent"])
    sent = api.post(
        f"/api/v1/channels/inbound/{mail.pk}/reply",
        data=json.dumps({"template": template.pk}),
        content_type="application/json",
    )
    # Sent to the sender; the assistant reads the address masked (the one personal-data rule).
    assert sent.status_code == 201 and sent.json()["to"] == ["w***@shenqi.example.cn"]
    assert OutboundMail.objects.get(pk=sent.json()["id"]).to == ["wangli@shenqi.example.cn"]
    bad = api.post(
        f"/api/v1/channels/inbound/{mail.pk}/reply",
        data=json.dumps({"template": 999999}),
        content_type="application/json",
    )
    assert bad.status_code == 400 and "template" in bad.json()["error"]["fields"]
    no_record = api.post(
        f"/api/v1/channels/inbound/{waiting['unknown'].pk}/reply",
        data=json.dumps({"template": template.pk}),
        content_type="application/json",
    )
    assert no_record.status_code == 400


def test_api_lists_incoming_mail_and_mailboxes(waiting, desk):
    api = api_client_for(desk["agent"])
    rows = api.get("/api/v1/channels/inbound?status=waiting").json()
    assert rows["count"] == 2 and len(rows["items"]) == 2
    statuses = {row["status"] for row in rows["items"]}
    assert statuses == {"unmatched", "quarantined"}
    assert all(row["from_address"] != "stranger@unknown.example.net" for row in rows["items"])
    boxes = api.get("/api/v1/channels/mailboxes").json()
    assert boxes[0]["waiting"] == 2 and "password" not in boxes[0]
    assert api.get("/api/v1/channels/inbound?status=nonsense").status_code == 400


def test_a_binding_code_is_issued_for_a_contact_in_scope(customer, desk):
    contact = customer.contacts.get()
    api = api_client_for(desk["agent"])
    made = api.post(
        "/api/v1/channels/wechat/bind-codes",
        data=json.dumps({"contact": contact.pk}),
        content_type="application/json",
    )
    assert made.status_code == 201 and len(made.json()["code"]) == 6
    outsider = api_client_for(desk["outsider"]).post(
        "/api/v1/channels/wechat/bind-codes",
        data=json.dumps({"contact": contact.pk}),
        content_type="application/json",
    )
    assert outsider.status_code == 404
