"""The worklist export: streamed when small, a background job above the limit, masked alike."""

import io

from openpyxl import load_workbook

from kefu.core import exports
from kefu.core.models import ExportJob
from kefu.core.testing.scope import client_for


def _rows(body: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(body), read_only=True).active.iter_rows(values_only=True))


def test_a_small_selection_streams_masked_rows(desk):
    desk.z1(contact_phone="13912345678", description="抽屉锁坏了")
    response = client_for(desk.assistant).get("/notifications/export/")
    assert response.status_code == 200 and response.streaming
    rows = _rows(b"".join(response.streaming_content))
    assert rows[1][4] == "抽屉锁坏了" and rows[1][9] != "13912345678" and "5678" in rows[1][9]


def test_a_big_selection_becomes_a_job_with_the_same_rows(
    desk, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(exports, "STREAM_LIMIT", 2)
    made = [desk.z1(description=f"第{i}单", contact_phone="13912345678") for i in range(3)]
    desk.z1(description="柜门松动")  # outside the selection (keyword 单)
    client = client_for(desk.assistant)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/notifications/export/?q=单")
    job = ExportJob.objects.get(owner=desk.assistant.user)
    assert response.status_code == 302 and response.url == f"/exports/{job.pk}/"
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.kind) == ("done", 3, "tickets.worklist")
    rows = _rows(b"".join(client.get(f"/exports/{job.pk}/file").streaming_content))
    assert sorted(r[0] for r in rows[1:]) == sorted(n.number for n in made)
    assert all(r[9] != "13912345678" for r in rows[1:])  # the owner's masking, in the background too
    assert client_for(desk.manager).get(f"/exports/{job.pk}/file").status_code == 404


def test_a_bad_filter_exports_nothing(desk):
    response = client_for(desk.assistant).get("/notifications/export/?created_from=2026-13-45")
    assert response.status_code == 302 and not ExportJob.objects.exists()
