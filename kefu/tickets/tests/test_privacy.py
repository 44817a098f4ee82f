"""The one personal-data rule on notifications: edit form, history, need-to-know of assigned work."""

import pytest

from kefu.core.testing.scope import client_for
from kefu.customers.models import PersonalDataAccess
from kefu.tickets.services import update_notification

pytestmark = pytest.mark.django_db

OLD_PHONE, NEW_PHONE = "13912345678", "13887654321"
ADDRESS = "北京市朝阳区酒仙桥路10号院3号楼"


@pytest.fixture
def n(desk):
    return desk.z1(contact_phone=OLD_PHONE, object_address=ADDRESS, contact_name="张伟")


def test_edit_form_never_carries_a_personal_value_for_a_masked_reader(desk, n):
    client = client_for(desk.assistant)
    page = client.get(f"/notifications/{n.pk}/edit/").content.decode()
    assert OLD_PHONE not in page and ADDRESS not in page
    assert 'placeholder="139****5678"' in page
    # Saving with the personal fields left empty keeps them; a typed value replaces them.
    form = {
        "customer": "2110050007",
        "description": "活动柜锁坏了",
        "priority": "3",
        "payment_status": "paid",
        "work_centre": n.work_centre_id,
        "responsible": n.responsible_id,
        "sales_group": n.sales_group_id,
        "sales_organization": n.sales_organization_id,
        "distribution_channel": n.distribution_channel_id,
        "division": n.division_id,
        "sales_office": n.sales_office_id,
        "business_area": n.business_area_id or "",
        "version": n.version,
    }
    response = client.post(f"/notifications/{n.pk}/edit/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    n.refresh_from_db()
    assert (n.description, n.contact_phone, n.object_address) == ("活动柜锁坏了", OLD_PHONE, ADDRESS)
    form["version"] = n.version
    form["contact_phone"] = NEW_PHONE
    assert client.post(f"/notifications/{n.pk}/edit/", form).status_code == 302
    n.refresh_from_db()
    assert n.contact_phone == NEW_PHONE


def test_emptying_a_required_org_field_is_a_field_error_not_a_crash(desk, n):
    response = client_for(desk.manager).post(
        f"/notifications/{n.pk}/edit/",
        {"customer": "2110050007", "description": "x", "priority": "3", "version": n.version},
    )
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode() or "invalid-feedback" in response.content.decode()
    n.refresh_from_db()
    assert n.description == "活动柜锁"


def test_history_masks_old_and_new_personal_values_for_a_masked_reader(desk, n):
    update_notification(
        actor=desk.manager.user, notification=n, expected_version=n.version, contact_phone=NEW_PHONE
    )
    masked = client_for(desk.assistant).get(f"/notifications/{n.pk}/").content.decode()
    assert OLD_PHONE not in masked and NEW_PHONE not in masked
    assert "139****5678" in masked and "138****4321" in masked
    full = client_for(desk.manager).get(f"/notifications/{n.pk}/").content.decode()
    assert OLD_PHONE in full and NEW_PHONE in full


def test_assigned_technician_reads_his_own_work_unmasked_and_is_logged(desk, n):
    other = desk.z1(contact_phone="13700001111", object_address=ADDRESS, responsible=desk.supervisor)
    client = client_for(desk.technician)
    page = client.get(f"/notifications/{n.pk}/").content.decode()
    assert OLD_PHONE in page and ADDRESS in page
    plan = client.get(f"/notifications/work-plan/?id={n.pk}&id={other.pk}").content.decode()
    assert OLD_PHONE in plan
    logged = PersonalDataAccess.objects.filter(user=desk.technician.user)
    assert {e.detail["where"] for e in logged} == {"page", "work_plan"}
    assert all(e.detail["notification"] == n.number for e in logged)
    # Not assigned to him: masked as for any technician (if he may see it at all).
    assert "13700001111" not in plan
    # The assistant is not assigned: masked, and nothing logged for her.
    page = client_for(desk.assistant).get(f"/notifications/{n.pk}/").content.decode()
    assert OLD_PHONE not in page
    assert not PersonalDataAccess.objects.filter(user=desk.assistant.user).exists()


def test_mail_goes_inside_the_company_and_follows_the_senders_rights(
    desk, n, smtp_server, django_capture_on_commit_callbacks
):
    from kefu.channels.models import OutboundMail
    from kefu.core.errors import ValidationFailed
    from kefu.tickets.services import mail_to_department

    with pytest.raises(ValidationFailed) as refused:
        mail_to_department(actor=desk.assistant.user, notification=n, to=["someone@outside.example"])
    assert "to" in refused.value.fields and not OutboundMail.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        mail_to_department(actor=desk.assistant.user, notification=n, department=desk.org.logistics)
        mail_to_department(actor=desk.manager.user, notification=n, to=["partner@outside.example"])
    masked_body, full_body = (m.get_content() for m in smtp_server)
    assert OLD_PHONE not in masked_body and ADDRESS not in masked_body and "139****5678" in masked_body
    assert OLD_PHONE in full_body and smtp_server[1]["X-Envelope-To"] == "partner@outside.example"


def test_the_outbox_lists_and_resends_only_mail_of_records_in_scope(
    desk, n, django_capture_on_commit_callbacks
):
    from kefu.tickets.services import mail_to_department

    mail = mail_to_department(actor=desk.manager.user, notification=n, department=desk.org.logistics)
    own = client_for(desk.assistant).get("/channels/outbox/").content.decode()
    other = client_for(desk.outsider).get("/channels/outbox/").content.decode()
    assert n.number in own and n.number not in other
    assert client_for(desk.outsider).post(f"/channels/outbox/{mail.pk}/retry/").status_code == 404


TEXT_PHONE = "13812349876"


@pytest.fixture
def phone_in_text(desk):
    from kefu.tickets.services import add_text

    noted = desk.z1(description="桌面板划伤")
    add_text(actor=desk.manager.user, notification=noted, text=f"客户家属电话 {TEXT_PHONE},下午联系")
    return noted


def _found(user, term) -> list[int]:
    from kefu.tickets import queries

    return list(queries.worklist(user, {"q": term}).values_list("pk", flat=True))


def test_a_masked_reader_cannot_find_a_phone_in_the_long_text_digit_by_digit(desk, phone_in_text):
    """The assistant (masked) grows a guess one digit at a time: past the four digits a mask shows
    nothing is confirmed, neither bare nor punctuated nor glued to a word of the text."""
    masked = desk.assistant.user
    for length in range(5, len(TEXT_PHONE) + 1):
        assert _found(masked, TEXT_PHONE[:length]) == [], length
        assert _found(masked, TEXT_PHONE[-length:]) == [], length
    for term in ("138-1234-9876", "138 1234 9876", "+86 13812349876", "电话13812349876", "话1381234"):
        assert _found(masked, term) == [], term
    assert _found(masked, "划伤") == [phone_in_text.pk]  # words are searched as before
    assert _found(masked, phone_in_text.number) == [phone_in_text.pk]  # and numbers by number
    assert PersonalDataAccess.objects.filter(user=masked, action="search").exists()
    # Through the page and the API alike.
    page = client_for(desk.assistant).get("/notifications/", {"q": TEXT_PHONE}).content.decode()
    assert phone_in_text.number not in page
    from kefu.core.testing.scope import api_client_for

    api = api_client_for(desk.assistant).get("/api/v1/notifications/", {"q": TEXT_PHONE[:7]}).json()
    assert api["items"] == []


def test_an_unmasked_reader_still_finds_a_phone_in_the_long_text(desk, phone_in_text):
    unmasked = desk.manager.user
    assert _found(unmasked, TEXT_PHONE[:5]) == [phone_in_text.pk]  # 6+ bare digits: numbers only
    assert _found(unmasked, "138-1234-9876") == [phone_in_text.pk]
    assert _found(unmasked, "电话13812349876") == [phone_in_text.pk]
    assert not PersonalDataAccess.objects.filter(user=unmasked, action="search").exists()
