"""The pages: create (IW51), detail/change (IW52), worklist (IW59), work plan, export, scope."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kefu.core.testing.queries import assert_max_queries
from kefu.core.testing.scope import client_for, probe_scoped_record
from kefu.tickets.models import Notification, SavedView


def test_create_with_defaults_from_customer_and_user(desk):
    client = client_for(desk.assistant)
    response = client.post(
        "/notifications/new/",
        {
            "customer": "2110050007",
            "description": "活动柜锁",
            "long_text": "活动柜被反锁,抽屉打不开。",
            "priority": "3",
            "payment_status": "paid",
            "reference_document": "30000075",
            "reporter": "陈静",
            "required_start": "2001-03-07",
            "required_end": "2001-03-08",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    n = Notification.objects.get()
    assert n.type.code == "Z1"  # proposed from 完款状况 paid
    assert (n.work_centre.code, n.sales_office.code, n.sales_organization.code) == ("S4002", "4002", "F011")
    assert (n.distribution_channel.code, n.division.code, n.business_area.code) == ("10", "02", "1002")
    assert n.responsible == desk.technician and n.status.code == "TZJL" and n.stage == "outstanding"
    assert n.number == "1000001"
    page = client.get(f"/notifications/{n.pk}/").content.decode()
    assert "活动柜被反锁" in page and "TZJL" in page


def test_bad_input_names_the_field_and_saves_nothing(desk):
    client = client_for(desk.assistant)
    response = client.post(
        "/notifications/new/",
        {
            "customer": "2110050007",
            "description": "",
            "priority": "3",
            "payment_status": "paid",
            "required_start": "2001-03-08",
            "required_end": "2001-03-01",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-field="description"' in body
    assert Notification.objects.count() == 0
    response = client.post(
        "/notifications/new/",
        {
            "customer": "2110050007",
            "description": "x",
            "priority": "3",
            "payment_status": "paid",
            "required_start": "2001-03-08",
            "required_end": "2001-03-01",
        },
    )
    assert 'data-field="required_end"' in response.content.decode()
    assert Notification.objects.count() == 0


def test_stale_edit_is_refused_with_a_clear_message(desk):
    n = desk.z1()
    client = client_for(desk.assistant)
    form = client.get(f"/notifications/{n.pk}/edit/")
    assert form.status_code == 200
    data = {
        "description": "活动柜锁坏",
        "customer": "2110050007",
        "priority": "2",
        "payment_status": "paid",
        "work_centre": n.work_centre_id,
        "sales_organization": n.sales_organization_id,
        "distribution_channel": n.distribution_channel_id,
        "division": n.division_id,
        "sales_office": n.sales_office_id,
        "version": n.version,
    }
    assert client.post(f"/notifications/{n.pk}/edit/", data).status_code == 302
    stale = client_for(desk.supervisor).post(f"/notifications/{n.pk}/edit/", {**data, "priority": "1"})
    assert stale.status_code == 200
    assert "Someone else changed" in stale.content.decode() or "其他人" in stale.content.decode()
    n.refresh_from_db()
    assert n.priority == "2" and n.description == "活动柜锁坏"


def test_detail_actions_text_item_transition_attachment(desk, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    n = desk.z1()
    client = client_for(desk.technician)
    client.post(f"/notifications/{n.pk}/text/", {"text": "已电话联系客户"})
    client.post(
        f"/notifications/{n.pk}/items/",
        {
            "product_type": "06",
            "colour": "A",
            "material": "100056",
            "quantity": "1",
            "reason": "1",
            "reason_text": "OEM 厂商",
        },
    )
    bad = client.post(f"/notifications/{n.pk}/items/", {"product_type": "ZZ", "quantity": "1"})
    assert bad.status_code == 400 and 'data-field="product_type"' in bad.content.decode()
    client.post(
        f"/notifications/{n.pk}/status/",
        {"to": "KCJS", "survey_result": "抽屉锁缺货、请购。", "version": n.version},
    )
    photo = SimpleUploadedFile("damage.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, content_type="image/png")
    assert client.post(f"/notifications/{n.pk}/attachments/", {"file": photo}).status_code == 302
    exe = SimpleUploadedFile("virus.exe", b"MZ" + b"0" * 10)
    refused = client.post(f"/notifications/{n.pk}/attachments/", {"file": exe})
    assert refused.status_code == 400 and 'data-field="file"' in refused.content.decode()
    n.refresh_from_db()
    assert n.status.code == "KCJS" and "已电话联系客户" in n.long_text
    item = n.items.get()
    assert (item.product_type.code, item.colour.code, item.material.code, item.reason.code) == (
        "06",
        "A",
        "100056",
        "1",
    )
    assert n.attachments.count() == 1
    with assert_max_queries(60):
        page = client.get(f"/notifications/{n.pk}/")
    assert page.status_code == 200 and "damage.png" in page.content.decode()


def test_worklist_filters_urgent_first_views_and_export(desk):
    old = desk.z1(description="旧的通知")
    urgent = desk.z1(description="紧急通知", urgent=True)
    z2 = desk.z2(description="交货异常单")
    client = client_for(desk.assistant)
    with assert_max_queries(25):
        body = client.get("/notifications/?stage=outstanding&type=Z1").content.decode()
    assert body.index(urgent.number) < body.index(old.number)
    assert z2.number not in body
    body = client.get("/notifications/?q=异常").content.decode()
    assert z2.number in body and old.number not in body
    client.post(
        "/notifications/views/", {"name": "我的Z1", "query": "type=Z1", "col": ["number", "description"]}
    )
    view = SavedView.objects.get(owner=desk.assistant.user)
    body = client.get(f"/notifications/?view={view.pk}").content.decode()
    assert old.number in body and z2.number not in body
    export = client.get("/notifications/export/?type=Z1")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(export.getvalue())).active
    numbers = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert numbers == {old.number, urgent.number}
    assert "****" in str(next(iter(sheet.iter_rows(min_row=2, values_only=True)))[9])  # phone masked


def test_bulk_assign_and_work_plan(desk):
    a = desk.z1(responsible=None)
    b = desk.z1(responsible=None, description="椅子气压棒")
    client = client_for(desk.assistant)
    client.post(
        "/notifications/bulk/", {"ids": [a.pk, b.pk], "action": "assign", "responsible": desk.technician.pk}
    )
    assert Notification.objects.filter(responsible=desk.technician).count() == 2
    response = client.post("/notifications/bulk/", {"ids": [a.pk, b.pk], "action": "workplan"})
    plan = client.get(response["Location"]).content.decode()
    assert a.number in plan and "椅子气压棒" in plan and "@page" in plan
    plan = client.get("/notifications/work-plan/?technician=202").content.decode()
    assert a.number in plan and b.number in plan


def test_notification_is_scoped(desk):
    n = desk.z1()
    probe_scoped_record(
        page_url=f"/notifications/{n.pk}/",
        api_url=f"/api/v1/notifications/{n.pk}",
        insider=desk.assistant,
        outsider=desk.outsider,
        company_wide=desk.manager,
        missing_page_url="/notifications/999999/",
        missing_api_url="/api/v1/notifications/999999",
    )
    # The technician sees his own notification; another centre's technician does not.
    assert client_for(desk.technician).get(f"/notifications/{n.pk}/").status_code == 200
    assert client_for(desk.outsider_tech).get(f"/notifications/{n.pk}/").status_code == 404
    assert n.number not in client_for(desk.outsider).get("/notifications/").content.decode()


@pytest.mark.parametrize("who", ["assistant", "supervisor"])
def test_mail_to_department_with_payment_status(desk, who, smtp_server, django_capture_on_commit_callbacks):
    n = desk.z1()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(getattr(desk, who)).post(
            f"/notifications/{n.pk}/mail/", {"department": desk.org.logistics.pk, "note": "请协助报价"}
        )
    assert len(smtp_server) == 1
    body = smtp_server[0].get_content()
    assert ("请协助报价" in body and "已完款" in body) or "Fully paid" in body
    assert smtp_server[0]["X-Envelope-To"] == "logistics.bj@example.com"


def test_keyword_search_finds_chinese_substrings_of_description_and_long_text(desk, monkeypatch):
    from kefu.tickets import queries
    from kefu.tickets.services import add_text

    lock = desk.z1(description="活动柜锁")
    chair = desk.z1(description="椅子气压棒")
    add_text(actor=desk.assistant.user, notification=chair, text="抽屉锁也坏了")
    other = desk.z1(description="桌面板划伤")
    user = desk.assistant.user
    for common in (3000, 0):  # a rare term (driven by its matches) and a common one (walks the order index)
        monkeypatch.setattr(queries, "COMMON_MATCHES", common)
        found = list(queries.worklist(user, {"q": "锁"}).values_list("pk", flat=True))
        assert set(found) == {lock.pk, chair.pk}
        assert list(queries.worklist(user, {"q": "抽屉锁"}).values_list("pk", flat=True)) == [chair.pk]
        assert other.pk not in found


def test_empty_fields_take_the_defaults(desk):
    client_for(desk.assistant).post(
        "/notifications/new/",
        {
            "customer": "2110050007",
            "description": "活动柜锁",
            "priority": "3",
            "payment_status": "unpaid",
            "reporter": "",
            "object_address": "",
        },
    )
    n = Notification.objects.get()
    assert n.type.code == "Z2"  # 完款前
    assert n.reporter == "陈静" and n.object_address == "北京市朝阳区建国路88号"
    assert n.required_start is not None and n.required_end > n.required_start


def test_keyword_pages_keep_the_worklist_order_and_scope(desk):
    from kefu.core.paging import BoundedPage
    from kefu.tickets import queries

    older = desk.z1(description="抽屉锁坏了")
    newer = desk.z1(description="抽屉打不开")
    urgent = desk.z1(description="抽屉卡住", urgent=True)
    desk.z1(description="柜门松动")

    def keyword_page(staff, number: int):
        params = {"q": "抽屉"}
        worklist = queries.worklist(staff.user, params)
        page = BoundedPage(worklist, number, 2, fetch=queries.row_fetch(params, staff.user))
        return page.object_list, page.has_next

    first, more = keyword_page(desk.assistant, 1)
    assert ([n.id for n in first], more) == ([urgent.pk, newer.pk], True)
    assert first[0].customer == desk.customer.name  # the page's rows come with their relations
    second, more = keyword_page(desk.assistant, 2)
    assert ([n.id for n in second], more) == ([older.pk], False)
    assert keyword_page(desk.outsider, 1) == ([], False)  # another centre's assistant sees none


def test_the_page_carries_one_csrf_token_and_its_forms_post_with_it(desk):
    """Jinja2 pages get one masked token per request (kefu.core.jinja.csrf_once), and Django's CSRF
    check accepts it on every form of the page."""
    import re

    from django.test import Client

    n = desk.z1()
    client = Client(enforce_csrf_checks=True)
    client.force_login(desk.assistant.user)
    page = client.get(f"/notifications/{n.pk}/").content.decode()
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page))
    forms = page.count('method="post"')
    assert forms >= 5 and len(tokens) == 1
    [token] = tokens
    assert f'"X-CSRFToken": "{token}"' in page  # htmx requests send the same one
    posted = client.post(
        f"/notifications/{n.pk}/text/", {"text": "客户来电催办。", "csrfmiddlewaretoken": token}
    )
    assert posted.status_code == 302
    assert "客户来电催办" in client.get(f"/notifications/{n.pk}/").content.decode()
    refused = client.post(f"/notifications/{n.pk}/text/", {"text": "无令牌"})
    assert refused.status_code == 403


def test_the_page_follows_the_reader_s_language_from_request_to_request(desk):
    n = desk.z1()
    client = client_for(desk.assistant)
    for language, label, other in (
        ("en", "Long text", "长文本"),
        ("zh-hans", "长文本", "Long text"),
        ("en", "Long text", "长文本"),
    ):
        client.cookies["kefu_language"] = language
        page = client.get(f"/notifications/{n.pk}/").content.decode()
        assert f'<html lang="{language}">' in page
        assert label in page and other not in page
