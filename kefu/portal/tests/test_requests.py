"""A customer submits, follows and answers their requests; the desk sees the conversation apart
from its internal notes; quotes and documents; other customers' ids answer 404."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from kefu.core.errors import NotFound, ValidationFailed
from kefu.portal import services
from kefu.tickets.models import Notification

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _photo(name="chair.png", content=PNG):
    return SimpleUploadedFile(name, content, content_type="image/png")


def test_a_request_becomes_a_notification_of_the_customer_with_photos(customer_client, portal):
    response = customer_client.post(
        reverse("portal:submit"),
        {
            "kind": "repair",
            "address": portal.address.pk,
            "description": "会议室的办公椅气杆下沉，共3把。",
            "photos": [_photo("a.png"), _photo("b.png")],
        },
    )
    n = Notification.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "portal:request", kwargs={"pk": n.pk}
    )
    assert n.customer == portal.desk.customer and n.type.code == "Z1" and n.status.code == "TZJL"
    assert n.object_address == portal.address.address and n.functional_location == "FL-01"
    assert n.created_by == portal.user and n.reporter == "张经理"
    assert "气杆下沉" in n.long_text
    assert sorted(n.attachments.values_list("name", flat=True)) == ["a.png", "b.png"]
    # The person responsible for the customer hears of it at once.
    from kefu.channels.models import Notice

    assert Notice.objects.filter(recipient=portal.desk.technician.user, object_id=n.pk).exists()
    # 首问负责制: the request is a contact waiting for its first responsible person at the desk.
    from kefu.contacts.models import Contact as ContactRecord

    first = ContactRecord.objects.get(notification=n)
    assert (first.channel, first.first_responsible, first.customer) == ("portal", None, n.customer)


def test_the_request_page_shows_the_customer_label_never_the_internal_code(customer_client, portal):
    n = services.submit_request(
        actor=portal.user, kind="repair", description="抽屉锁坏了", address_id=portal.address.pk
    )
    page = customer_client.get(reverse("portal:request", kwargs={"pk": n.pk})).content.decode()
    assert 'id="customer-status">已受理<' in page
    assert "TZJL" not in page and "通知建立" not in page
    listing = customer_client.get(reverse("portal:home")).content.decode()
    assert n.number in listing and "已受理" in listing and "TZJL" not in listing
    api = customer_client.get(f"/api/v1/portal/requests/{n.pk}").json()
    assert api["status_label"] == "已受理" and api["status"] == "outstanding"


def test_the_label_follows_the_status_profile_data(customer_client, portal):
    from kefu.workflow.models import Status

    n = services.submit_request(
        actor=portal.user, kind="repair", description="桌面开裂", address_id=portal.address.pk
    )
    Status.objects.filter(pk=n.status_id).update(customer_label="客服已收到")
    page = customer_client.get(reverse("portal:request", kwargs={"pk": n.pk})).content.decode()
    assert "客服已收到" in page


def test_bad_input_names_the_field_and_saves_nothing(customer_client, portal):
    other = customer_client.post(
        reverse("portal:submit"),
        {"kind": "repair", "address": portal.other_address.pk, "description": "别人的地址"},
    )
    assert other.status_code == 200 and 'data-field="address"' in other.content.decode()
    with pytest.raises(ValidationFailed) as exc:
        services.submit_request(
            actor=portal.user,
            kind="repair",
            description="不是照片",
            address_id=portal.address.pk,
            photos=[SimpleUploadedFile("x.exe", b"MZ")],
        )
    assert "photos" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        services.submit_request(
            actor=portal.user, kind="repair", description="", address_id=portal.address.pk
        )
    assert "description" in exc.value.fields
    assert Notification.objects.count() == 0


def test_a_broken_photo_undoes_the_whole_request(portal):
    with pytest.raises(ValidationFailed):
        services.submit_request(
            actor=portal.user,
            kind="repair",
            description="照片不是图片",
            address_id=portal.address.pk,
            photos=[_photo("fake.png", b"not an image at all")],
        )
    assert Notification.objects.count() == 0


def test_other_customers_ids_answer_404_in_pages_and_api(customer_client, portal):
    mine = services.submit_request(
        actor=portal.user, kind="repair", description="我的", address_id=portal.address.pk
    )
    theirs = services.submit_request(
        actor=portal.other_account.user,
        kind="repair",
        description="别人的",
        address_id=portal.other_address.pk,
    )
    staff_made = portal.desk.z1()  # the own customer's, made by the desk: visible
    assert customer_client.get(reverse("portal:request", kwargs={"pk": mine.pk})).status_code == 200
    assert customer_client.get(reverse("portal:request", kwargs={"pk": staff_made.pk})).status_code == 200
    for pk in (theirs.pk, 999999):
        assert customer_client.get(reverse("portal:request", kwargs={"pk": pk})).status_code == 404
        assert (
            customer_client.post(reverse("portal:message", kwargs={"pk": pk}), {"body": "x"}).status_code
            == 404
        )
        assert customer_client.get(f"/api/v1/portal/requests/{pk}").status_code == 404
    numbers = [row["number"] for row in customer_client.get("/api/v1/portal/requests").json()["items"]]
    assert mine.number in numbers and theirs.number not in numbers
    with pytest.raises(NotFound):
        services.post_message(actor=portal.user, notification_id=theirs.pk, body="看看")


def test_public_replies_and_internal_notes_stay_apart(customer_client, portal):
    from kefu.tickets.services import add_text

    n = services.submit_request(
        actor=portal.user, kind="repair", description="椅子坏了", address_id=portal.address.pk
    )
    customer_client.post(reverse("portal:message", kwargs={"pk": n.pk}), {"body": "周三下午有空"})
    add_text(actor=portal.desk.assistant.user, notification=n, text="内部：客户上次投诉过，注意态度")
    desk = Client(HTTP_HOST="127.0.0.1")
    desk.force_login(portal.desk.assistant.user)
    sent = desk.post(reverse("portal:reply", kwargs={"pk": n.pk}), {"body": "已安排周三14点上门"})
    assert sent.status_code == 302

    page = customer_client.get(reverse("portal:request", kwargs={"pk": n.pk})).content.decode()
    assert "周三下午有空" in page and "已安排周三14点上门" in page
    assert "客户上次投诉过" not in page
    api = customer_client.get(f"/api/v1/portal/requests/{n.pk}").json()
    assert [m["kind"] for m in api["messages"]] == ["customer", "reply"]
    assert "客户上次投诉过" not in str(api)

    staff_page = desk.get(reverse("tickets:detail", kwargs={"pk": n.pk})).content.decode()
    conversation = staff_page[staff_page.index('id="portal-messages"') : staff_page.index('id="knowledge"')]
    notes = staff_page[staff_page.index('id="long-text"') : staff_page.index('id="portal-messages"')]
    assert "周三下午有空" in conversation and "已安排周三14点上门" in conversation
    assert 'data-message-kind="customer"' in conversation and 'data-message-kind="reply"' in conversation
    assert "客户上次投诉过" in notes and "客户上次投诉过" not in conversation
    # The customer got the reply by mail too.
    from kefu.channels.models import OutboundMail

    assert OutboundMail.objects.filter(object_id=n.pk, to=[portal.account.email]).exists()


def test_a_customer_cannot_write_a_public_reply_and_staff_cannot_pose_as_customer(portal):
    from kefu.core.errors import PermissionDenied

    n = services.submit_request(
        actor=portal.user, kind="repair", description="x", address_id=portal.address.pk
    )
    with pytest.raises(PermissionDenied):
        services.reply(actor=portal.user, notification=n, body="我自己回复")
    with pytest.raises(PermissionDenied):
        services.post_message(actor=portal.desk.assistant.user, notification_id=n.pk, body="冒充客户")
    with pytest.raises(NotFound):
        services.reply(actor=portal.desk.outsider.user, notification=n, body="别的中心")


def test_the_customer_decides_on_a_quotation_once(customer_client, portal):
    from kefu.billing.models import Quotation
    from kefu.billing.services import create_quotation

    n = services.submit_request(
        actor=portal.user, kind="repair", description="桌面开裂", address_id=portal.address.pk
    )
    q = create_quotation(
        actor=portal.desk.assistant.user,
        notification=n,
        lines=[{"kind": "labour", "description": "更换桌面", "quantity": 1, "unit_price": "350"}],
    )
    page = customer_client.get(reverse("portal:request", kwargs={"pk": n.pk})).content.decode()
    assert f'data-quotation="{q.number}"' in page and "350.00" in page
    refused = customer_client.post(
        reverse("portal:quote", kwargs={"pk": q.pk}), {"accepted": "0", "version": q.version}
    )
    assert refused.status_code == 302
    q.refresh_from_db()
    assert q.status == "offered"  # a refusal needs its reason: nothing recorded
    customer_client.post(
        reverse("portal:quote", kwargs={"pk": q.pk}), {"accepted": "1", "version": q.version}
    )
    q.refresh_from_db()
    assert (
        q.status == "accepted" and q.decided_by_customer == "张经理" and q.decision_recorded_by == portal.user
    )
    again = customer_client.post(
        f"/api/v1/portal/quotations/{q.pk}/decision",
        {"accepted": False, "reason": "太贵"},
        content_type="application/json",
    )
    assert again.status_code == 400 and Quotation.objects.get(pk=q.pk).status == "accepted"
    other = portal.desk.outsider  # another centre's quotation is not even there for this customer
    n2 = services.submit_request(
        actor=portal.other_account.user, kind="repair", description="y", address_id=portal.other_address.pk
    )
    q2 = create_quotation(
        actor=other.user, notification=n2, lines=[{"kind": "labour", "description": "x", "unit_price": "1"}]
    )
    assert (
        customer_client.post(reverse("portal:quote", kwargs={"pk": q2.pk}), {"accepted": "1"}).status_code
        == 404
    )


def test_documents_show_payment_status_as_kefu_knows_it(customer_client, portal):
    portal.desk.z1(reference_document="4500012345", payment_status="paid")
    portal.desk.z1(reference_document="4500012345", payment_status="paid")
    services.submit_request(
        actor=portal.other_account.user, kind="repair", description="y", address_id=portal.other_address.pk
    )
    page = customer_client.get(reverse("portal:documents")).content.decode()
    assert "4500012345" in page and "已完款" in page
    rows = customer_client.get("/api/v1/portal/documents").json()
    assert rows == [
        {
            "reference_document": "4500012345",
            "date": "2001-03-01",
            "payment_status": "paid",
            "payment_status_label": "已完款",
            "requests": 2,
            "invoiced": 0,
        }
    ]


def test_the_api_submits_a_request_once_per_idempotency_key(customer_client, portal):
    body = {"kind": "install", "description": "文件柜需要安装", "address_id": portal.address.pk}
    first = customer_client.post(
        "/api/v1/portal/requests", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    second = customer_client.post(
        "/api/v1/portal/requests", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    assert first.status_code == 201 and first.json()["status_label"] == "已受理"
    assert second.json()["id"] == first.json()["id"] and Notification.objects.count() == 1
    bad = customer_client.post(
        "/api/v1/portal/requests",
        {**body, "address_id": portal.other_address.pk},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "address" in bad.json()["error"]["fields"]


def test_customer_users_cannot_set_staff_fields_through_the_ticket_service(portal):
    from kefu.core.errors import PermissionDenied
    from kefu.tickets.services import create_notification

    with pytest.raises(PermissionDenied):
        create_notification(
            actor=portal.user,
            customer=portal.desk.customer,
            description="x",
            responsible=portal.desk.supervisor,
        )
    with pytest.raises(ValidationFailed):
        create_notification(actor=portal.user, customer=portal.other_account.customer, description="x")
