"""Big exports run as jobs: progress, the file for its owner only, one retry, then "failed"."""

import datetime as dt
import io

import pytest
from django.http import QueryDict
from django.utils import timezone
from openpyxl import load_workbook

from kefu.core import exports
from kefu.core.exports import Export
from kefu.core.models import ExportJob
from kefu.core.testing.scope import client_for

CALLS: list[int] = []


def _numbers(user, params: QueryDict) -> Export:
    count = int(params.get("n", "3"))

    def rows():
        CALLS.append(count)
        if params.get("fail") == "always" or (params.get("fail") == "once" and len(CALLS) == 1):
            raise RuntimeError("disk full")
        for i in range(count):
            yield [i, f"第{i}行"]

    return Export(
        title="数字",
        filename="numbers.xlsx",
        headers=["序号", "文字"],
        estimate=lambda cap: min(count, cap),
        rows=rows,
    )


@pytest.fixture
def numbers(monkeypatch):
    CALLS.clear()
    monkeypatch.setitem(exports.EXPORTERS, "test.numbers", _numbers)
    monkeypatch.setattr(exports, "STREAM_LIMIT", 5)


def _start(staff, query: str, django_capture_on_commit_callbacks) -> ExportJob:
    export = _numbers(staff.user, QueryDict(query))
    with django_capture_on_commit_callbacks(execute=True):
        job = exports.start_job(staff.user, "test.numbers", query, export)
    job.refresh_from_db()
    return job


def test_a_big_export_is_a_job_whose_file_only_its_owner_gets(
    numbers, staff_factory, django_capture_on_commit_callbacks
):
    owner, other = staff_factory(roles=["assistant"]), staff_factory(roles=["manager"])
    job = _start(owner, "n=12", django_capture_on_commit_callbacks)
    assert (job.status, job.rows_done, job.attempts, job.percent) == ("done", 12, 1, 100)
    client = client_for(owner)
    running = ExportJob.objects.create(owner=owner.user, kind="test.numbers", title="数字", rows_estimate=10)
    assert (
        "hx-trigger"
        in client.get(f"/exports/{running.pk}/").content.decode().split('id="export-progress"')[1]
    )
    page = client.get(f"/exports/{job.pk}/").content.decode()
    assert 'id="export-download"' in page and "numbers.xlsx" in page
    body = b"".join(client.get(f"/exports/{job.pk}/file").streaming_content)
    rows = list(load_workbook(io.BytesIO(body), read_only=True).active.iter_rows(values_only=True))
    assert rows[0] == ("序号", "文字") and rows[-1] == (11, "第11行") and len(rows) == 13
    intruder = client_for(other)
    assert intruder.get(f"/exports/{job.pk}/").status_code == 404
    assert intruder.get(f"/exports/{job.pk}/file").status_code == 404


def test_a_failed_export_is_retried_once(numbers, staff_factory, django_capture_on_commit_callbacks):
    job = _start(staff_factory(roles=["assistant"]), "n=8&fail=once", django_capture_on_commit_callbacks)
    assert (job.status, job.attempts, job.rows_done) == ("done", 2, 8)


def test_an_export_failing_twice_reports_failure(numbers, staff_factory, django_capture_on_commit_callbacks):
    owner = staff_factory(roles=["assistant"])
    job = _start(owner, "n=8&fail=always", django_capture_on_commit_callbacks)
    assert (job.status, job.attempts, job.file.name) == ("failed", 2, "")
    assert "disk full" in job.error and job.finished_at is not None
    page = client_for(owner).get(f"/exports/{job.pk}/").content.decode()
    progress = page.split('id="export-progress"')[1]
    assert 'id="export-failed"' in progress and "hx-trigger" not in progress  # stops polling
    assert client_for(owner).get(f"/exports/{job.pk}/file").status_code == 404


def test_the_sweep_retries_a_job_whose_worker_died_then_fails_it(numbers, staff_factory):
    owner = staff_factory(roles=["assistant"])
    job = ExportJob.objects.create(
        owner=owner.user, kind="test.numbers", title="数字", params="n=4", filename="n.xlsx", attempts=1
    )
    ExportJob.objects.filter(pk=job.pk).update(status="running", rows_done=2)
    later = timezone.now() + dt.timedelta(minutes=11)
    assert exports.sweep_exports(now=later) == 1  # retried (the queue runs it at once in tests)
    job.refresh_from_db()
    assert (job.status, job.attempts, job.rows_done) == ("done", 2, 4)
    dead = ExportJob.objects.create(
        owner=owner.user, kind="test.numbers", title="数字", params="n=4", filename="n.xlsx", attempts=2
    )
    ExportJob.objects.filter(pk=dead.pk).update(status="running")
    exports.sweep_exports(now=later)
    dead.refresh_from_db()
    assert dead.status == "failed" and dead.error == "worker stopped"
    assert exports.sweep_exports(now=later) == 0  # nothing left hanging
