"""Server-side PDF benchmarks: where the time of a PDF goes, per engine of `kefu.core.pdf`.

    KEFU_VAR_DIR=/tmp/bench-var .venv/bin/python -m tests.bench.bench_pdf

(make the data first, see bench_reports). Prints JSON lines, seconds:
- the supervision report 服务监督报告: its figures (SQL), its HTML (template), the print by one
  chromium process per PDF ("process", the renderer before) and by the kept-alive chromium
  ("devtools": first print with the browser start, then warm), and the whole service as archived;
- the service form 家具服务单 and the work plan PDF through their URLs (what a user waits for),
  with each engine.
Never asserts on time.
"""

from __future__ import annotations

import json
import os
import statistics
import time

from tests.bench.common import client_for, database_label, setup_django

REPS = int(os.environ.get("BENCH_PDF_REPS", "5"))


def _seconds(func, reps: int = 1) -> tuple[float, object]:
    times, result = [], None
    for _ in range(reps):
        started = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - started)
    return round(statistics.median(times), 3), result


def _emit(case: str, seconds: float, **meta) -> None:
    print(json.dumps({"case": case, "seconds": seconds, **meta}, ensure_ascii=False), flush=True)


def _engine(name: str) -> None:
    if name == "process":
        os.environ["KEFU_PDF_ENGINE"] = "process"
    else:
        os.environ.pop("KEFU_PDF_ENGINE", None)


def main() -> None:
    setup_django()
    from django.template.loader import render_to_string
    from django.utils.translation import override

    from kefu.core import pdf
    from kefu.reports import queries, services
    from kefu.tickets.models import Notification

    meta = {"db": database_label(), "notifications": Notification.objects.count()}
    print(json.dumps({"bench": "pdf", "engine": pdf.engine(), **meta}))
    period = services.previous_month()
    first, last = queries.month_bounds(period)
    with override("zh-hans"):
        took, figures = _seconds(lambda: queries.supervision_figures(first, last))
        _emit("supervision report: figures (SQL)", took, **meta)
        took, html = _seconds(
            lambda: render_to_string(
                "reports/supervision_pdf.html", {"f": figures, "start": first, "end": last}
            ),
            reps=REPS,
        )
        _emit("supervision report: HTML", took, **meta)
    assert isinstance(html, str)
    _engine("process")
    took, _content = _seconds(lambda: pdf.html_to_pdf(html), reps=REPS)
    _emit("supervision report: print, one chromium per PDF", took, **meta)
    _engine("devtools")
    took, _content = _seconds(lambda: pdf.html_to_pdf(html))
    _emit("supervision report: print, kept-alive chromium, first (browser start)", took, **meta)
    took, _content = _seconds(lambda: pdf.html_to_pdf(html), reps=REPS)
    _emit("supervision report: print, kept-alive chromium, warm", took, **meta)
    for engine in ("process", "devtools"):
        _engine(engine)
        took, _report = _seconds(lambda: services.generate_supervision_report(period, replace=True))
        _emit(f"supervision report: whole service ({engine})", took, **meta)

    from kefu.billing.models import ServiceReport

    report = ServiceReport.objects.order_by("-id").first()
    target = report.notification if report else Notification.objects.order_by("-id").first()
    if target is None:
        return
    client = client_for("manager")
    urls = {
        "service form": f"/field/jobs/{target.pk}/service-form.pdf",
        "work plan": f"/notifications/work-plan.pdf?id={target.pk}",
    }
    for engine in ("process", "devtools"):
        _engine(engine)
        for name, url in urls.items():
            response = client.get(url)
            if response.status_code != 200 or not response.content.startswith(b"%PDF"):
                _emit(f"{name} PDF: status {response.status_code}", 0, **meta)
                continue
            took, _response = _seconds(lambda url=url: client.get(url).content, reps=REPS)
            _emit(f"{name} PDF through its URL ({engine})", took, number=target.number, **meta)


if __name__ == "__main__":
    main()
