"""Exports 导出 of every list: streamed to the browser when small, a task with progress when big.

An app registers an exporter per list in its `exports.py` (`register_exporter("tickets.worklist",
func)`, found by discovery); the func
builds, for a user and the list's query string, what to write: an `Export` (title, headers, an
estimate of the row count and an iterator of rows). Rows are read and written as they come, so
memory stays bounded whatever the size. Above `STREAM_LIMIT` rows the export is an `ExportJob`
run by the task queue as its owner (same permission, scope and masking), retried once if it
fails or its worker dies, then reported failed — never left hanging.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.core.files import File
from django.db import transaction
from django.http import HttpRequest, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone

from kefu.core.models import ExportJob
from kefu.core.xlsx import XlsxWriter, streaming_response

log = logging.getLogger(__name__)
STREAM_LIMIT = 50_000  # rows written while the browser waits (~2 s); more runs as a task
MAX_ATTEMPTS = 2  # the first run and one retry
STALE_AFTER = dt.timedelta(minutes=10)  # a running job silent this long lost its worker
_PROGRESS_EVERY = 5_000


@dataclass
class Export:
    title: str
    filename: str
    headers: list[Any]
    estimate: Callable[[int], int]  # rows, counted up to the given cap
    rows: Callable[[], Iterable[Iterable[Any]]]


Exporter = Callable[[Any, QueryDict], Export]
EXPORTERS: dict[str, Exporter] = {}


def register_exporter(kind: str, exporter: Exporter) -> None:
    EXPORTERS[kind] = exporter


def exporter(kind: str) -> Exporter:
    """The exporter of `kind`; each app's `exports.py` registers its own when first imported."""
    if kind not in EXPORTERS:
        from kefu.core.discovery import app_modules

        app_modules("exports")
    return EXPORTERS[kind]


def in_batches(items: Iterable, present: Callable[[list], Iterable], size: int = 2000) -> Iterator:
    """`present` applied to `items` a batch at a time (e.g. model rows → masked read models), so
    a list of any length is read and written in bounded memory."""
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield from present(batch)
            batch = []
    if batch:
        yield from present(batch)


def export_response(request: HttpRequest, kind: str) -> HttpResponseBase:
    """The list's selection as .xlsx now, or (when big) a job whose page shows its progress."""
    export = exporter(kind)(request.user, request.GET)
    if export.estimate(STREAM_LIMIT + 1) <= STREAM_LIMIT:
        return streaming_response(export.filename, export.title, export.headers, export.rows())
    job = start_job(request.user, kind, request.GET.urlencode(), export)
    return redirect("export_status", pk=job.pk)


def start_job(user, kind: str, params: str, export: Export) -> ExportJob:
    from kefu.core.queue import enqueue
    from kefu.core.tasks import run_export_task

    job = ExportJob.objects.create(
        owner=user,
        kind=kind,
        title=str(export.title)[:100],
        params=params,
        filename=export.filename,
        rows_estimate=export.estimate(10_000_000),
    )
    transaction.on_commit(lambda: enqueue(run_export_task, job.pk))
    return job


def run_export(job_id: int) -> None:
    """Write the job's file, as its owner; on failure retry once, then report it failed."""
    job = ExportJob.objects.select_related("owner").filter(pk=job_id).first()
    if job is None or job.status in (ExportJob.Status.DONE, ExportJob.Status.FAILED):
        return
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.RUNNING, attempts=job.attempts + 1, rows_done=0, updated_at=timezone.now()
    )
    job.attempts += 1
    try:
        export = exporter(job.kind)(job.owner, QueryDict(job.params))
        with tempfile.TemporaryFile() as out:
            writer = XlsxWriter(out)
            try:
                written = _write(job, export, writer)
            except BaseException:
                writer.abandon()
                raise
            out.seek(0)
            job.file.save(job.filename, File(out), save=False)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.DONE,
            file=job.file.name,
            rows_done=written,
            finished_at=timezone.now(),
            error="",
        )
    except Exception as exc:  # a broken export must end as "failed", never as a job that hangs
        log.exception("export %s failed (attempt %s)", job.pk, job.attempts)
        _retry_or_fail(job, str(exc) or exc.__class__.__name__)


def _write(job: ExportJob, export: Export, writer: XlsxWriter) -> int:
    writer.add_sheet(export.title, export.headers)
    written = 0
    for row in export.rows():
        writer.append(row)
        written += 1
        if written % _PROGRESS_EVERY == 0:
            ExportJob.objects.filter(pk=job.pk).update(rows_done=written, updated_at=timezone.now())
    writer.close()
    return written


def _retry_or_fail(job: ExportJob, error: str) -> None:
    from kefu.core.queue import enqueue
    from kefu.core.tasks import run_export_task

    if job.attempts < MAX_ATTEMPTS:
        ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.QUEUED, error=error[:2000])
        enqueue(run_export_task, job.pk)
    else:
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED, error=error[:2000], finished_at=timezone.now()
        )


def sweep_exports(now: dt.datetime | None = None) -> int:
    """Jobs whose worker died (running, silent for STALE_AFTER) or that never started: retried
    once, then failed. Returns how many were picked up."""
    now = now or timezone.now()
    stale = ExportJob.objects.filter(
        status__in=[ExportJob.Status.RUNNING, ExportJob.Status.QUEUED], updated_at__lt=now - STALE_AFTER
    )
    picked = 0
    for job in stale:
        picked += 1
        if job.status == ExportJob.Status.RUNNING:
            _retry_or_fail(job, "worker stopped")
        else:
            from kefu.core.queue import enqueue
            from kefu.core.tasks import run_export_task

            ExportJob.objects.filter(pk=job.pk).update(updated_at=now)
            enqueue(run_export_task, job.pk)
    return picked
