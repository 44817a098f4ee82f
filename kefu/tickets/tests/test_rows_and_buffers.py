"""The worklist reads plain values and buffered code tables: it must say exactly what the one
read model (`present_row` on a notification) says, for every role and language, and never show a
stale status, another user's menu or a revoked permission."""

import dataclasses

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from kefu.core.testing.scope import client_for
from kefu.org.services import set_roles
from kefu.tickets import queries
from kefu.tickets.models import Notification
from kefu.tickets.services import change_status
from kefu.worktime import clock


def _by_values(user, n):
    return queries.read_rows(Notification.objects.filter(pk=n.pk), user)[0]


def _by_instance(user, n):
    return queries.present_rows([Notification.objects.get(pk=n.pk)], user)[0]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_rows_read_from_values_equal_the_read_model(desk, language):
    n = desk.z1(contact_phone="13912345678", object_address="北京市朝阳区望京街10号", urgent=True)
    n.responsible = desk.technician
    n.save(update_fields=["responsible"])
    with translation.override(language), clock.frozen():  # the same "now" for both clocks
        for who in (desk.assistant, desk.manager, desk.technician):
            assert dataclasses.asdict(_by_values(who.user, n)) == dataclasses.asdict(
                _by_instance(who.user, n)
            )
        masked = _by_values(desk.assistant.user, n)
    assert masked.contact_phone != "13912345678" and "望京街" not in masked.object_address
    assert masked.responsible.endswith("王敏") and masked.customer == desk.customer.name


def test_keyword_rows_keep_the_order_of_their_ids(desk):
    first = desk.z1(description="抽屉锁坏了")
    second = desk.z1(description="抽屉打不开", urgent=True)
    qs = queries.worklist(desk.assistant.user, {"q": "抽屉"})
    rows = queries.read_rows(qs, desk.assistant.user, 0, 10, ids_first=True)
    assert [r.id for r in rows] == [second.pk, first.pk]


def test_a_transition_between_two_reads_shows_the_new_status(desk):
    n = desk.z1()
    client = client_for(desk.assistant)
    assert "TZJL" in client.get("/notifications/").content.decode()
    change_status(actor=desk.technician.user, notification=n, to="KCJS", inputs={"survey_result": "已勘察"})
    page = client.get("/notifications/").content.decode()
    assert "KCJS" in page and "TZJL" not in page.split('id="worklist"')[1]


def test_status_names_follow_the_language_of_each_request(desk):
    status = desk.z1().status
    assert status.name_en and status.name_en != status.name
    client = client_for(desk.assistant)
    chinese = client.get("/notifications/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/notifications/").content.decode()
    assert status.name in chinese
    assert status.name_en in english and status.name not in english.split('id="worklist"')[1]


def test_each_user_gets_their_own_menu_name_and_people(desk):
    assistant = client_for(desk.assistant).get("/notifications/").content.decode()
    outsider = client_for(desk.outsider).get("/notifications/").content.decode()
    assert desk.assistant.name in assistant and desk.assistant.name not in outsider
    assert "王敏" in assistant  # a technician of the assistant's centre, offered for "assign"
    assert "王敏" not in outsider


def test_a_revoked_role_takes_effect_on_the_next_request(desk):
    client = client_for(desk.assistant)
    assert client.get("/notifications/").status_code == 200
    set_roles(desk.assistant, [], actor=desk.manager.user)
    assert client.get("/notifications/").status_code == 403
    set_roles(desk.assistant, ["assistant"], actor=desk.manager.user)
    assert client.get("/notifications/").status_code == 200


def test_a_removed_centre_hides_its_notifications_at_once(desk):
    n = desk.z1()
    client = client_for(desk.assistant)
    assert client.get(f"/notifications/{n.pk}/").status_code == 200
    desk.assistant.sales_offices.clear()
    desk.assistant.work_centres.clear()
    assert client.get(f"/notifications/{n.pk}/").status_code == 404
    assert n.number not in client.get("/notifications/").content.decode()


def test_an_anonymous_client_sees_no_cached_menu(desk):
    client_for(desk.assistant).get("/notifications/")
    response = Client(HTTP_HOST="127.0.0.1").get("/notifications/")
    assert response.status_code == 302 and desk.assistant.name not in response.content.decode()


def test_a_form_with_errors_is_never_served_from_the_buffer(desk):
    n = desk.z1()
    client = client_for(desk.assistant)
    empty = client.get(f"/notifications/{n.pk}/").content.decode()
    assert 'id="dl-ptype"' in empty and "invalid-feedback" not in empty
    failed = client.post(f"/notifications/{n.pk}/items/", {"product_type": "NOPE", "quantity": "1"})
    assert failed.status_code == 400 and 'value="NOPE"' in failed.content.decode()
    again = client.get(f"/notifications/{n.pk}/").content.decode()
    assert 'value="NOPE"' not in again and "invalid-feedback" not in again


def test_a_new_catalogue_code_is_offered_at_once(desk):
    from kefu.catalog.models import ReasonCode

    n = desk.z1()
    client = client_for(desk.assistant)
    assert "Z9TEST" not in client.get(f"/notifications/{n.pk}/").content.decode()
    ReasonCode.objects.create(code="Z9TEST", name="测试原因")
    assert "Z9TEST" in client.get(f"/notifications/{n.pk}/").content.decode()


def test_renamed_codes_show_at_once_on_list_and_page(desk):
    n = desk.z1()
    client = client_for(desk.assistant)
    client.get("/notifications/")
    client.get(f"/notifications/{n.pk}/")  # both now read the code tables from the buffer
    centre = n.work_centre
    centre.code = "WCNEW1"
    centre.save()
    status = n.status
    status.name = "通知已建立(改)"
    status.save()
    page = client.get(f"/notifications/{n.pk}/").content.decode()
    listing = client.get("/notifications/").content.decode()
    assert "WCNEW1" in page and "通知已建立(改)" in page
    assert "WCNEW1" in listing and "通知已建立(改)" in listing
