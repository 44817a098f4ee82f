"""Field service: notification date, appointments, the technician's steps and their sync rules."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json

import pytest
from django.utils import timezone

from kefu.core.errors import ConcurrentUpdate, NotFound, PermissionDenied, ValidationFailed
from kefu.field import queries, services
from kefu.field.models import Appointment, FieldStep
from kefu.tickets.models import Attachment, Notification
from kefu.timeline.models import TimelineEvent

pytestmark = pytest.mark.django_db


def png_data_url() -> str:
    """A real 2×2 PNG, as the canvas sends it."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\x00\x00\x00" * 2 for _ in range(2))
    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
    return "data:image/png;base64," + base64.b64encode(png).decode()


def step(desk, n, kind="arrive", client_id="c1", base_version=None, **data):
    return services.record_step(
        actor=desk.technician.user,
        notification=n,
        kind=kind,
        client_id=client_id,
        base_version=n.version if base_version is None else base_version,
        data=data,
    )


def not_his(desk) -> Notification:
    """A notification of his centre that another person is responsible for."""
    n = desk.z1()
    Notification.objects.filter(pk=n.pk).update(responsible=desk.supervisor)
    n.refresh_from_db()
    return n


def events(n, code):
    return TimelineEvent.objects.filter(object_id=n.pk, event_type=code).count()


# --- notification date 通知日期 ----------------------------------------------------------


def test_notification_date_is_today_by_default_and_settable(desk):
    today = desk.z1()
    late = desk.z1(notification_date=dt.date(2026, 11, 30))
    assert today.notification_date == timezone.localdate()
    assert late.notification_date == dt.date(2026, 11, 30)


def test_worklist_selects_outstanding_z1_of_one_notification_date(desk):
    from kefu.tickets.queries import worklist

    wanted = desk.z1(notification_date=dt.date(2026, 11, 30))
    desk.z1(notification_date=dt.date(2026, 12, 1))
    desk.z2(notification_date=dt.date(2026, 11, 30))
    found = worklist(
        desk.assistant.user, {"type": "Z1", "stage": ["outstanding"], "notification_date": "2026-11-30"}
    )
    assert list(found.values_list("pk", flat=True)) == [wanted.pk]


def test_bad_notification_date_names_the_field(desk):
    from kefu.core.errors import KefuError
    from kefu.tickets.queries import worklist

    with pytest.raises(KefuError) as exc:
        list(worklist(desk.assistant.user, {"notification_date": "30.11.2026"}))
    assert "notification_date" in exc.value.fields


# --- appointments -------------------------------------------------------------------------


def test_assistant_appoints_and_the_day_is_in_slot_order(desk):
    today = timezone.localdate()
    afternoon = desk.z1(description="下午")
    morning = desk.z1(description="上午")
    loose = desk.z1(description="未预约")
    services.set_appointment(actor=desk.assistant.user, notification=afternoon, date=today, slot="pm")
    services.set_appointment(actor=desk.assistant.user, notification=morning, date=today, slot="am")
    jobs = queries.today_jobs(desk.technician.user, today)
    assert [j.row.id for j in jobs] == [morning.pk, afternoon.pk, loose.pk]
    assert jobs[0].appointment.slot == "am" and jobs[2].appointment is None
    assert events(morning, "field.appointed") == 1


def test_technician_appoints_only_his_own_work(desk):
    own = desk.z1()
    other = not_his(desk)
    day = timezone.localdate() + dt.timedelta(days=1)
    services.set_appointment(actor=desk.technician.user, notification=own, date=day, slot="ev")
    with pytest.raises(PermissionDenied):
        services.set_appointment(actor=desk.technician.user, notification=other, date=day, slot="am")
    assert not Appointment.objects.filter(notification=other).exists()


def test_stale_appointment_change_is_a_conflict(desk):
    n = desk.z1()
    day = timezone.localdate()
    first = services.set_appointment(actor=desk.assistant.user, notification=n, date=day, slot="am")
    services.set_appointment(
        actor=desk.technician.user, notification=n, date=day, slot="pm", expected_version=first.version
    )
    with pytest.raises(ConcurrentUpdate):
        services.set_appointment(
            actor=desk.assistant.user, notification=n, date=day, slot="ev", expected_version=first.version
        )
    assert Appointment.objects.get(notification=n).slot == "pm"


def test_appointment_needs_date_and_known_slot(desk):
    n = desk.z1()
    with pytest.raises(ValidationFailed) as exc:
        services.set_appointment(actor=desk.assistant.user, notification=n, date=None, slot="xx")
    assert set(exc.value.fields) == {"date", "slot"}


# --- steps ----------------------------------------------------------------------------------


def test_arrive_bumps_the_version_and_a_replay_does_nothing_twice(desk):
    n = desk.z1()
    before = n.version
    first = step(desk, n, client_id="same")
    again = step(desk, Notification.objects.get(pk=n.pk), client_id="same")
    assert again.pk == first.pk and getattr(again, "replayed", False)
    assert FieldStep.objects.filter(notification=n).count() == 1
    assert Notification.objects.get(pk=n.pk).version == before + 1 == first.version_after
    assert events(n, "field.arrived") == 1


def test_step_on_an_old_version_is_a_conflict_and_writes_nothing(desk):
    n = desk.z1()
    old = n.version
    from kefu.tickets.services import update_notification

    update_notification(actor=desk.assistant.user, notification=n, expected_version=old, description="改了")
    with pytest.raises(ConcurrentUpdate):
        step(desk, n, kind="report", client_id="late", base_version=old, work_done="更换锁芯")
    assert not FieldStep.objects.filter(client_id="late").exists()
    assert events(n, "field.reported") == 0


def test_survey_finishes_the_survey_in_the_workflow(desk):
    n = desk.z1()
    step(desk, n, kind="survey", client_id="s1", result="抽屉锁坏,需更换。")
    n.refresh_from_db()
    assert n.status.code == "KCJS"
    assert FieldStep.objects.get(client_id="s1").version_after == n.version


def test_survey_on_z2_goes_to_the_long_text(desk):
    n = desk.z2()
    step(desk, n, kind="survey", client_id="s2", result="货物外箱破损")
    n.refresh_from_db()
    assert "货物外箱破损" in n.long_text and n.status.code == "TZJL"


def test_signature_is_an_attachment_and_the_service_form_has_signer_and_time(desk):
    from kefu.billing.models import ServiceReport

    n = desk.z1()
    step(desk, n, kind="report", client_id="r1", work_done="更换抽屉锁", materials_used="100056 ×1")
    n.refresh_from_db()
    signed = step(desk, n, kind="sign", client_id="g1", signer="陈先生", image=png_data_url())
    attachment = Attachment.objects.get(pk=signed.attachment_id)
    assert attachment.content_type == "image/png" and attachment.name.startswith("signature-")
    report = ServiceReport.objects.get(notification=n)
    assert (report.accepted_by_customer, report.work_done, report.materials_used) == (
        "陈先生",
        "更换抽屉锁",
        "100056 ×1",
    )
    assert report.accepted_at == signed.recorded_at
    assert events(n, "field.signed") == 1


def test_a_broken_image_is_refused_by_field(desk):
    n = desk.z1()
    with pytest.raises(ValidationFailed) as exc:
        step(desk, n, kind="photo", client_id="p1", image="data:image/png;base64,!!!")
    assert "image" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        step(desk, n, kind="sign", client_id="p2", signer="", image=png_data_url())
    assert "signer" in exc.value.fields
    assert not FieldStep.objects.filter(notification=n).exists()


def test_not_his_work_is_refused(desk):
    n = not_his(desk)
    with pytest.raises(PermissionDenied):
        step(desk, n)
    with pytest.raises(NotFound):
        from kefu.tickets.services import access_notification

        access_notification(desk.outsider_tech.user, n.pk)


# --- API and pages ----------------------------------------------------------------------------


def _api(client, user):
    client.force_login(user)
    return client


def test_api_sync_created_replayed_and_conflict(client, desk):
    n = desk.z1()
    c = _api(client, desk.technician.user)
    url = f"/api/v1/field/jobs/{n.pk}/steps"
    body = {"kind": "arrive", "client_id": "a-1", "base_version": n.version}
    first = c.post(url, json.dumps(body), content_type="application/json")
    assert first.status_code == 201, first.content
    assert first.json()["version"] == n.version + 1
    assert c.post(url, json.dumps(body), content_type="application/json").status_code == 200
    stale = {"kind": "report", "client_id": "a-2", "base_version": n.version, "work_done": "修好"}
    conflict = c.post(url, json.dumps(stale), content_type="application/json")
    assert conflict.status_code == 409 and conflict.json()["error"]["code"] == "conflict"
    unknown = c.post(
        url, json.dumps({**body, "client_id": "a-3", "colour": "x"}), content_type="application/json"
    )
    assert unknown.status_code == 400


def test_api_today_shows_his_phone_and_logs_the_reading(client, desk):
    from kefu.customers.models import PersonalDataAccess

    n = desk.z1(contact_phone="13912345678", object_address="北京市朝阳区建国路88号3层")
    services.set_appointment(actor=desk.assistant.user, notification=n, date=timezone.localdate(), slot="am")
    c = _api(client, desk.technician.user)
    jobs = c.get("/api/v1/field/today").json()
    assert jobs[0]["contact_phone"] == "13912345678" and jobs[0]["tel"] == "13912345678"
    assert jobs[0]["appointment"]["slot"] == "am"
    assert "uri.amap.com" in jobs[0]["map_url"]
    assert PersonalDataAccess.objects.filter(user=desk.technician.user, detail__where="field_app").exists()


def test_api_other_centre_is_404_and_desk_without_app_is_403(client, desk):
    n = desk.z1()
    c = _api(client, desk.outsider_tech.user)
    assert c.get(f"/api/v1/field/jobs/{n.pk}").status_code == 404
    c = _api(client, desk.assistant.user)
    assert c.get(f"/api/v1/field/jobs/{n.pk}").status_code == 403


def test_app_pages_manifest_and_worker(client, desk):
    n = desk.z1(contact_phone="13912345678")
    c = _api(client, desk.technician.user)
    page = c.get(f"/field/jobs/{n.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'href="tel:13912345678"' in text and 'data-kind="sign"' in text
    assert 'rel="manifest"' in c.get("/field/").content.decode()
    manifest = c.get("/field/manifest.webmanifest")
    assert (
        manifest["Content-Type"] == "application/manifest+json" and manifest.json()["start_url"] == "/field/"
    )
    worker = c.get("/field/sw.js")
    assert worker["Content-Type"].startswith("application/javascript") and b"caches.open" in worker.content


def test_assistant_sets_appointment_on_the_notification_page_and_work_plan_shows_it(client, desk):
    n = desk.z1()
    c = _api(client, desk.assistant.user)
    day = timezone.localdate() + dt.timedelta(days=2)
    response = c.post(
        f"/field/jobs/{n.pk}/appointment/",
        {"date": day.isoformat(), "slot": "pm", "next": f"/notifications/{n.pk}/"},
    )
    assert response.status_code == 302
    assert Appointment.objects.get(notification=n).date == day
    assert day.isoformat() in c.get(f"/notifications/{n.pk}/").content.decode()
    plan = c.get("/notifications/work-plan/", {"id": n.pk}).content.decode()
    assert day.isoformat() in plan


def test_photo_upload_stored_as_attachment(desk):
    n = desk.z1()
    photo = png_data_url().replace("image/png", "image/png")
    done = step(desk, n, kind="photo", client_id="ph", image=photo, caption="锁芯")
    assert Attachment.objects.filter(pk=done.attachment_id, notification=n).exists()
    assert io.BytesIO(Attachment.objects.get(pk=done.attachment_id).file.read()).read(4) == b"\x89PNG"
