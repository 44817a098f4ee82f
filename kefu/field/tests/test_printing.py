"""The printed service form 家具服务单 and the work plan: PDF from chromium, masking, the QR code."""

from __future__ import annotations

import io
import re
import unicodedata

import pytest
from django.test import Client

from kefu.core import pdf
from kefu.field import queries
from kefu.field.tests.test_field import png_data_url, step
from kefu.tickets.models import Notification

pytestmark = pytest.mark.django_db

needs_chromium = pytest.mark.skipif(not pdf.chromium_path(), reason="chromium is not installed")


def _client(staff) -> Client:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(staff.user)
    return client


def signed(desk, **kw) -> Notification:
    """A notification with a service report and the customer's drawn acceptance."""
    n = desk.z1(
        object_address="北京市朝阳区建国路88号3号楼1201",
        contact_name="陈先生",
        contact_phone="13812345678",
        **kw,
    )
    step(desk, n, kind="report", client_id=f"r{n.pk}", work_done="更换抽屉锁", materials_used="100056 ×1")
    n.refresh_from_db()
    step(desk, n, kind="sign", client_id=f"g{n.pk}", signer="陈先生", image=png_data_url())
    n.refresh_from_db()
    return n


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    text = "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
    # CJK glyphs come back as compatibility forms (⽴ for 立) and with spaces between runs
    return unicodedata.normalize("NFKC", text).replace(" ", "")


def qr_matrix_of_svg(svg: str) -> list[list[int]]:
    """Read the modules back from segno's SVG path ("M2 2.5h7m8 0h1…": relative moves, dark runs)."""
    path = re.search(r' d="([^"]+)"', svg).group(1)
    border = int(float(re.match(r"M(\d+)", path).group(1)))
    x = y = 0.0
    dark: set[tuple[int, int]] = set()
    for op, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", path):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        else:
            for i in range(int(a)):
                dark.add((int(x) + i - border, int(y - 0.5) - border))
            x += float(a)
    size = max(max(c for c, _r in dark), max(r for _c, r in dark)) + 1
    return [[1 if (c, r) in dark else 0 for c in range(size)] for r in range(size)]


def test_the_service_form_pdf_is_printed_by_chromium_with_the_number(desk):
    if not pdf.chromium_path():
        pytest.skip("chromium is not installed")
    n = signed(desk)
    response = _client(desk.technician).get(f"/field/jobs/{n.pk}/service-form.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert n.number in text and "家具服务单" in text and "建国路88号" in text


def test_the_technician_sees_his_customer_unmasked_and_the_signature(desk):
    n = signed(desk)
    page = _client(desk.technician).get(f"/field/jobs/{n.pk}/service-form/")
    html = page.content.decode()
    assert page.status_code == 200 and n.number in html
    assert "13812345678" in html and "建国路88号" in html
    assert "data-signature" in html and "data:image/png;base64," in html
    assert "陈先生" in html and "100056" in html and "更换抽屉锁" in html


def test_a_masked_role_gets_the_form_masked(desk):
    """The complaint specialist may see the notification but not the customer's personal data."""
    n = signed(desk)
    assert not desk.complaints.user.has_perm("customers.view_personal_data")
    html = _client(desk.complaints).get(f"/field/jobs/{n.pk}/service-form/").content.decode()
    assert n.number in html
    assert "13812345678" not in html and "138****5678" in html
    assert "建国路88号" not in html
    assert "data:image/png" not in html and "data-signature" not in html


def test_the_masked_pdf_source_holds_no_personal_data(desk, monkeypatch):
    """What chromium is given to print (the HTML source of the PDF) is masked the same way."""
    n = signed(desk)
    printed: list[str] = []
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html: printed.append(html) or b"%PDF-1.7 test")
    response = _client(desk.complaints).get(f"/field/jobs/{n.pk}/service-form.pdf")
    assert response.content == b"%PDF-1.7 test"
    assert n.number in printed[0] and "13812345678" not in printed[0] and "138****5678" in printed[0]
    assert 'class="bar"' not in printed[0]  # no toolbar on paper


def test_someone_who_may_not_see_the_notification_gets_404(desk):
    n = signed(desk)
    for url in (f"/field/jobs/{n.pk}/service-form/", f"/field/jobs/{n.pk}/service-form.pdf"):
        assert _client(desk.outsider).get(url).status_code == 404
        assert _client(desk.outsider_tech).get(url).status_code == 404
    assert Client().get(f"/field/jobs/{n.pk}/service-form/").status_code == 302  # to the login


def test_the_qr_code_is_the_rating_link_and_the_link_rates(desk):
    from kefu.core.qr import qr_code
    from kefu.surveys.models import Rating

    n = signed(desk)
    form = queries.service_form(desk.technician.user, n)
    rating = Rating.objects.get(object_id=n.pk, number=n.number)
    assert form.rating_url.endswith("/") and "/surveys/rate/" in form.rating_url
    # the SVG drawn on the form is the QR code of exactly that link
    assert qr_matrix_of_svg(form.rating_qr) == [list(row) for row in qr_code(form.rating_url).matrix]
    token = form.rating_url.rsplit("/rate/", 1)[1].strip("/")
    from kefu.surveys.services import rating_for_token

    assert rating_for_token(token).pk == rating.pk


def test_a_rated_service_prints_no_qr_code(desk):
    from kefu.surveys.models import Rating
    from kefu.surveys.services import rating_token, submit_rating

    n = signed(desk)
    submit_rating(rating_token(Rating.objects.get(object_id=n.pk, number=n.number)), stars=5)
    form = queries.service_form(desk.technician.user, n)
    assert form.rated and not form.rating_qr


def test_without_chromium_the_printable_page_comes_with_a_chinese_message(desk, monkeypatch):
    n = signed(desk)
    monkeypatch.setattr(pdf, "CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    client = _client(desk.technician)
    client.cookies["django_language"] = "zh-hans"
    response = client.get(f"/field/jobs/{n.pk}/service-form.pdf", HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = response.content.decode()
    assert response.status_code == 503 and response["Content-Type"].startswith("text/html")
    assert "PDF 渲染器" in html and "Ctrl+P" in html and n.number in html


@needs_chromium
def test_the_work_plan_pdf_lists_the_day(desk):
    n = signed(desk)
    url = f"/notifications/work-plan.pdf?technician={desk.technician.personnel_number}"
    response = _client(desk.technician).get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert n.number in pdf_text(response.content)


def test_the_work_plan_pdf_source_is_scoped_and_masked(desk, monkeypatch):
    mine = signed(desk)
    printed: list[str] = []
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html: printed.append(html) or b"%PDF-1.7 test")
    _client(desk.complaints).get(f"/notifications/work-plan.pdf?id={mine.pk}")
    assert mine.number in printed[0] and "13812345678" not in printed[0]
    _client(desk.outsider).get(f"/notifications/work-plan.pdf?id={mine.pk}")
    assert mine.number not in printed[1]


# --- the appointment mail 预约通知 ------------------------------------------------------------


def _with_contact(desk, email="chen@kehu.example.cn"):
    from kefu.customers.models import Contact

    Contact.objects.create(customer=desk.customer, name="陈先生", email=email, phone="13812345678")
    return desk.z1(
        contact_name="陈先生", contact_phone="13812345678", object_address="北京市朝阳区建国路88号"
    )


def test_an_appointment_is_mailed_to_the_contact_once_after_commit(
    desk, smtp_server, django_capture_on_commit_callbacks
):
    import datetime as dt

    from django.utils import timezone

    from kefu.channels.models import OutboundMail
    from kefu.field import services

    n = _with_contact(desk)
    day = timezone.localdate() + dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.set_appointment(
            actor=desk.assistant.user,
            notification=n,
            date=day,
            slot="pm",
            note="请提前电话联系",
            notify_customer=True,
        )
        assert smtp_server == []  # nothing leaves while the change is not committed
    assert callbacks and len(smtp_server) == 1
    message = smtp_server[0]
    body = message.get_content()
    assert message["To"] == "chen@kehu.example.cn" and n.number in message["Subject"]
    assert day.isoformat() in body and "下午" in body and "陈先生" in body and "请提前电话联系" in body
    assert "13812345678" not in body and "建国路" not in body  # nothing beyond the window and the case
    # the same window again changes nothing and mails nothing
    with django_capture_on_commit_callbacks(execute=True):
        services.set_appointment(
            actor=desk.assistant.user,
            notification=n,
            date=day,
            slot="pm",
            note="请提前电话联系",
            notify_customer=True,
        )
    assert len(smtp_server) == 1 and OutboundMail.objects.filter(object_id=n.pk).count() == 1


def test_no_mail_when_the_box_is_not_ticked(desk, smtp_server, django_capture_on_commit_callbacks):
    from django.utils import timezone

    from kefu.channels.models import OutboundMail

    n = _with_contact(desk)
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(desk.assistant).post(
            f"/field/jobs/{n.pk}/appointment/", {"date": timezone.localdate().isoformat(), "slot": "am"}
        )
    assert response.status_code == 302 and smtp_server == []
    assert not OutboundMail.objects.filter(object_id=n.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        _client(desk.assistant).post(
            f"/field/jobs/{n.pk}/appointment/",
            {"date": timezone.localdate().isoformat(), "slot": "pm", "notify_customer": "1"},
        )
    assert len(smtp_server) == 1


def test_the_api_mails_on_request_and_refuses_a_customer_without_address(
    desk, smtp_server, django_capture_on_commit_callbacks
):
    import json

    from django.utils import timezone

    from kefu.field.models import Appointment

    n = _with_contact(desk)
    client = _client(desk.technician)
    url = f"/api/v1/field/jobs/{n.pk}/appointment"
    payload = {"date": timezone.localdate().isoformat(), "slot": "am", "notify_customer": True}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.put(url, json.dumps(payload), content_type="application/json")
    assert response.status_code == 200 and len(smtp_server) == 1
    bare = desk.z1()
    desk.customer.contacts.all().delete()
    type(desk.customer).objects.filter(pk=desk.customer.pk).update(email="")
    response = client.put(
        f"/api/v1/field/jobs/{bare.pk}/appointment", json.dumps(payload), content_type="application/json"
    )
    assert response.status_code == 400 and "notify_customer" in response.json()["error"]["fields"]
    assert not Appointment.objects.filter(notification=bare).exists()


def test_a_masked_role_cannot_fetch_the_signature_through_the_notifications_attachments(desk):
    """The drawn signature is hidden on the printed form for a masked reader; the notification
    page's attachment list and download must not hand it out either."""
    from kefu.field.models import FieldStep

    n = signed(desk)
    signature = FieldStep.objects.get(notification=n, kind="sign").attachment
    url = f"/notifications/{n.pk}/attachments/{signature.pk}/"
    masked = _client(desk.complaints)
    assert url not in masked.get(f"/notifications/{n.pk}/").content.decode()
    assert masked.get(url).status_code == 404
    assert _client(desk.technician).get(url).status_code == 200  # his own work
    manager = _client(desk.manager)
    assert url in manager.get(f"/notifications/{n.pk}/").content.decode()
    assert manager.get(url).status_code == 200
