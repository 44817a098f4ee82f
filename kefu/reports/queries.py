"""Read side of management reports: the cockpit's figures, scorecards and the archive.

The cockpit starts from the other apps' scoped queries (`tickets.queries.worklist`,
`complaints.queries.complaints_for` / `accidents_for`), so it shows exactly what the viewer may
see, and each figure carries the list URL (with the parameters those lists already accept) that
shows the records behind it. Everything is aggregated in SQL: one grouped query per figure,
day series as conditional counts over an indexed range (no per-row date conversion).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone

from kefu.reports.formulas import Measure, median_first_response, on_time_measure, ratio
from kefu.reports.models import CockpitCell, CockpitSnapshot, Scorecard, SupervisionReport, WeeklyReport
from kefu.workflow.choices import Stage

MAX_DAYS = 92
OPEN_STAGES = [("stage", s) for s in Stage.open_values()]
AGE_BUCKETS = [(0, 1, "0–1"), (2, 3, "2–3"), (4, 7, "4–7"), (8, 30, "8–30"), (31, None, ">30")]


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return start_of(start), start_of(end + timedelta(days=1))


def default_period(today: date | None = None) -> tuple[date, date]:
    today = today or timezone.localdate()
    return today - timedelta(days=29), today


def _url(name: str, params: list[tuple[str, str]]) -> str:
    return f"{reverse(name)}?{urlencode(params)}"


def _day_counts(qs: QuerySet, field: str, days: list[date]) -> list[int]:
    """Rows per local day, as one query of conditional counts over the indexed range."""
    if not days:
        return []
    lo, hi = bounds(days[0], days[-1])
    spec = {
        f"d{i}": Count(
            "pk", filter=Q(**{f"{field}__gte": start_of(d), f"{field}__lt": start_of(d) + timedelta(days=1)})
        )
        for i, d in enumerate(days)
    }
    row = qs.filter(**{f"{field}__gte": lo, f"{field}__lt": hi}).aggregate(**spec)
    return [row[f"d{i}"] for i in range(len(days))]


def notification_figures(user, start: date, end: date) -> dict:
    """Backlog by status, centre and age; inflow vs outflow per day; on-time and first response."""
    from kefu.org.queries import work_centre_names
    from kefu.tickets import queries as tickets
    from kefu.workflow.events import status_label

    base = tickets.worklist(user, {}).order_by()
    lo, hi = bounds(start, end)
    backlog = base.filter(stage__in=Stage.open_values())
    today = timezone.localdate()

    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    snapshot = usable_snapshot(start, end, today)
    if snapshot is not None:
        cells = CockpitCell.objects.visible_to(user)
        by_status_rows = (
            cells.filter(kind=CockpitCell.KIND_BACKLOG).values("status__code").annotate(n=Sum("count"))
        )
        centre_rows = list(
            cells.filter(kind=CockpitCell.KIND_BACKLOG)
            .values("work_centre_id")
            .annotate(n=Sum("count"))
            .order_by("-n")[:15]
        )
        buckets = dict(
            cells.filter(kind=CockpitCell.KIND_BACKLOG)
            .values("bucket")
            .annotate(n=Sum("count"))
            .values_list("bucket", "n")
        )
        ages = {f"a{i}": buckets.get(i, 0) for i in range(len(AGE_BUCKETS))}
        inflow = _cell_days(cells, CockpitCell.KIND_IN, days)
        outflow = _cell_days(cells, CockpitCell.KIND_OUT, days)
        period = cells.filter(day__gte=start, day__lte=end)
        due = period.filter(kind=CockpitCell.KIND_OUT).aggregate(due=Sum("due"), on_time=Sum("on_time"))
        on_time = ratio(due["on_time"] or 0, due["due"] or 0)
        first = _median_of_histogram(period.filter(kind=CockpitCell.KIND_RESPONSE))
        reason_rows = _top_cells(period, CockpitCell.KIND_REASON)
        product_rows = _top_cells(period, CockpitCell.KIND_PRODUCT)
    else:
        by_status_rows = backlog.values("status__code").annotate(n=Count("pk"))
        centre_rows = list(backlog.values("work_centre_id").annotate(n=Count("pk")).order_by("-n")[:15])
        ages = backlog.aggregate(
            **{f"a{i}": Count("pk", filter=q) for i, (q, _p) in enumerate(age_conditions(today))}
        )
        inflow = _day_counts(base, "created_at", days)
        outflow = _day_counts(base.filter(stage=Stage.COMPLETED), "completed_at", days)
        # On time and first response: the scorecards' formulas over the visible records.
        due_qs = base.filter(
            stage=Stage.COMPLETED, completed_at__gte=lo, completed_at__lt=hi, required_end__isnull=False
        )
        on_time = on_time_measure(due_qs)
        first = median_first_response(base.filter(created_at__gte=lo, created_at__lt=hi))
        reason_rows, product_rows = _top_codes(base.filter(created_at__gte=lo, created_at__lt=hi))
    by_status = [
        {
            "label": status_label(r["status__code"]),
            "value": r["n"],
            "url": _url("tickets:worklist", [("status", r["status__code"]), *OPEN_STAGES]),
        }
        for r in sorted(by_status_rows, key=lambda r: -r["n"])
        if r["n"]
    ]
    centres = work_centre_names([r["work_centre_id"] for r in centre_rows])
    by_centre = [
        {
            "label": f"{centres[r['work_centre_id']]['code']} {centres[r['work_centre_id']]['name']}",
            "value": r["n"],
            "url": _url(
                "tickets:worklist", [("work_centre", centres[r["work_centre_id"]]["code"]), *OPEN_STAGES]
            ),
        }
        for r in centre_rows
        if r["work_centre_id"] in centres and r["n"]
    ]
    by_age = [
        {"label": label, "value": ages[f"a{i}"], "url": _url("tickets:worklist", params)}
        for i, ((_q, params), (_y, _o, label)) in enumerate(
            zip(age_conditions(today), AGE_BUCKETS, strict=True)
        )
    ]
    flow_urls = [
        _url("tickets:worklist", [("created_from", d.isoformat()), ("created_to", d.isoformat())])
        for d in days
    ]

    return {
        "backlog_total": sum(r["value"] for r in by_status),
        "backlog_url": _url("tickets:worklist", OPEN_STAGES),
        "overdue_url": _url("tickets:worklist", [("overdue", "true"), *OPEN_STAGES]),
        "by_status": by_status,
        "by_centre": by_centre,
        "by_age": by_age,
        "days": [d.strftime("%m-%d") for d in days],
        "inflow": inflow,
        "outflow": outflow,
        "flow_urls": flow_urls,
        "inflow_total": sum(inflow),
        "outflow_total": sum(outflow),
        "on_time": _shown(on_time),
        "on_time_detail": {"numerator": on_time.numerator, "denominator": on_time.denominator},
        "first_response": _shown(first),
        "first_response_cases": first.denominator,
        "top_reasons": reason_rows,
        "top_products": product_rows,
        "snapshot_at": timezone.localtime(snapshot.taken_at).strftime("%H:%M") if snapshot else "",
    }


def age_conditions(today: date) -> list[tuple[Q, list[tuple[str, str]]]]:
    """Each age bucket of the backlog as a filter on `created_at` and the worklist's parameters."""
    out = []
    for young, old, _label in AGE_BUCKETS:
        newest = today - timedelta(days=young)  # created on or before this day
        cond = Q(created_at__lt=start_of(newest) + timedelta(days=1))
        params = [*OPEN_STAGES, ("created_to", newest.isoformat())]
        if old is not None:
            oldest = today - timedelta(days=old)
            cond &= Q(created_at__gte=start_of(oldest))
            params.append(("created_from", oldest.isoformat()))
        out.append((cond, params))
    return out


SNAPSHOT_FRESH = timedelta(minutes=25)


def usable_snapshot(start: date, end: date, today: date) -> CockpitSnapshot | None:
    """The sweep's counts when they are today's, recent and cover the period; else None (live)."""
    snapshot = CockpitSnapshot.objects.order_by("-taken_at").first()
    if snapshot is None or snapshot.today != today or end != today or (end - start).days >= MAX_DAYS:
        return None
    if timezone.now() - snapshot.taken_at > SNAPSHOT_FRESH:
        return None
    return snapshot


def _cell_days(cells: QuerySet, kind: str, days: list[date]) -> list[int]:
    counts = dict(
        cells.filter(kind=kind, day__gte=days[0], day__lte=days[-1])
        .values("day")
        .annotate(n=Sum("count"))
        .values_list("day", "n")
    )
    return [counts.get(d, 0) for d in days]


def _median_of_histogram(cells: QuerySet) -> Measure:
    """The median whole hour of the swept first-response histogram (hours truncated)."""
    counts = sorted(cells.values("bucket").annotate(n=Sum("count")).values_list("bucket", "n"))
    total = sum(n for _b, n in counts)
    if not total:
        return Measure(None, None, Decimal(0))
    seen, middle = 0, (total + 1) // 2
    for hour, n in counts:
        seen += n
        if seen >= middle:
            return Measure(Decimal(hour), None, Decimal(total))
    return Measure(None, None, Decimal(total))


def _top_cells(cells: QuerySet, kind: str) -> list[dict]:
    from kefu.catalog.queries import product_type_names, reason_code_names

    rows = list(
        cells.filter(kind=kind).values("code_id").annotate(n=Sum("count")).order_by("-n", "code_id")[:10]
    )
    named = reason_code_names if kind == CockpitCell.KIND_REASON else product_type_names
    names = named([r["code_id"] for r in rows])
    return [
        {"label": f"{names[r['code_id']]['code']} {names[r['code_id']]['name']}", "value": r["n"]}
        for r in rows
        if r["code_id"] in names
    ]


def _shown(m: Measure) -> str:
    return "—" if m.value is None else f"{m.value}"


def _top_codes(created: QuerySet) -> tuple[list[dict], list[dict]]:
    from kefu.tickets.queries import top_item_codes

    reasons, products = top_item_codes(created)
    return (
        [{"label": f"{r['code']} {r['name']}", "value": r["n"]} for r in reasons],
        [{"label": f"{r['code']} {r['name']}", "value": r["n"]} for r in products],
    )


def complaint_figures(user, start: date, end: date) -> dict:
    """Complaints received in the period by content class; materials with recurring complaints."""
    from kefu.complaints import queries as complaints
    from kefu.complaints.choices import ContentClass

    lo, hi = bounds(start, end)
    qs = complaints.complaints_for(user).order_by().filter(received_at__gte=lo, received_at__lt=hi)
    labels = dict(ContentClass.choices)
    period = [("open", "all"), ("received_from", start.isoformat()), ("received_to", end.isoformat())]
    by_class = [
        {
            "label": str(labels.get(r["content_class"], r["content_class"] or "—")),
            "value": r["n"],
            "url": _url("complaints:complaint_list", [*period, ("content_class", r["content_class"])])
            if r["content_class"]
            else _url("complaints:complaint_list", period),
        }
        for r in qs.values("content_class").annotate(n=Count("pk")).order_by("-n")
    ]
    totals = qs.aggregate(total=Count("pk"), open=Count("pk", filter=Q(is_open=True)))
    recurring = [
        {
            "label": f"{r['material_code']} {r['name'] or ''}".strip(),
            "value": r["count"],
            "recent": r["recent"],
            "url": _url("complaints:complaint_list", [("open", "all"), ("material", r["material_code"])]),
        }
        for r in complaints.recurring_materials(user)[:10]
    ]
    return {
        "complaints_total": totals["total"],
        "complaints_open": totals["open"],
        "complaints_url": _url("complaints:complaint_list", period),
        "by_class": by_class,
        "recurring": recurring,
    }


def accident_figures(user, start: date, end: date) -> dict:
    """Accidents that occurred in the period: count and losses by kind."""
    from kefu.complaints import queries as complaints
    from kefu.complaints.choices import AccidentKind

    lo, hi = bounds(start, end)
    qs = complaints.accidents_for(user).order_by().filter(occurred_at__gte=lo, occurred_at__lt=hi)
    labels = dict(AccidentKind.choices)
    period = [("open", "all"), ("occurred_from", start.isoformat()), ("occurred_to", end.isoformat())]
    rows = qs.values("kind").annotate(n=Count("pk"), estimated=Sum("estimated_loss"), final=Sum("final_loss"))
    by_kind = [
        {
            "label": str(labels.get(r["kind"], r["kind"])),
            "value": r["n"],
            "estimated": float(r["estimated"] or 0),
            "final": float(r["final"] or 0),
            "url": _url("complaints:accident_list", [*period, ("kind", r["kind"])]),
        }
        for r in rows.order_by("-n")
    ]
    totals = qs.aggregate(n=Count("pk"), estimated=Sum("estimated_loss"), final=Sum("final_loss"))
    return {
        "accidents_total": totals["n"],
        "loss_estimated": totals["estimated"] or Decimal("0.00"),
        "loss_final": totals["final"] or Decimal("0.00"),
        "accidents_url": _url("complaints:accident_list", period),
        "by_kind": by_kind,
    }


def cockpit(user, start: date, end: date) -> dict:
    """Everything the manager's cockpit shows, limited to what `user` may see and open."""
    data: dict = {"start": start, "end": end}
    if user.has_perm("tickets.view_notification"):
        data["notifications"] = notification_figures(user, start, end)
    if user.has_perm("complaints.view_complaint"):
        data["complaints"] = complaint_figures(user, start, end)
    if user.has_perm("complaints.view_accident"):
        data["accidents"] = accident_figures(user, start, end)
    return data


# --- scorecards, archive, weekly ------------------------------------------------------------
def scorecards_for(user) -> QuerySet[Scorecard]:
    """The cards `user` may see: their centres' (by role scope) and always their own."""
    if not user.has_perm("reports.view_scorecard"):
        return Scorecard.objects.none()
    return (
        Scorecard.objects.visible_to(user)
        .select_related("staff", "sales_office")
        .order_by("-period_start", "sales_office__code", "staff__personnel_number")
    )


def card_lines(card: Scorecard) -> list:
    return list(card.lines.select_related("indicator").order_by("indicator__order", "indicator__code"))


def archive_for(user) -> QuerySet[SupervisionReport]:
    if not user.has_perm("reports.view_supervisionreport"):
        return SupervisionReport.objects.none()
    return SupervisionReport.objects.order_by("-period_start")


def weekly_reports_for(user) -> QuerySet[WeeklyReport]:
    if not user.has_perm("reports.view_weeklyreport"):
        return WeeklyReport.objects.none()
    return (
        WeeklyReport.objects.visible_to(user)
        .select_related("staff", "sales_office")
        .order_by("-week_start", "staff__personnel_number")
    )


def month_bounds(period_start: date) -> tuple[date, date]:
    """The first and last day of the month that starts `period_start`."""
    first = period_start.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def jsonable(value):
    """Figures as JSON (archived with a report): decimals and dates as text."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, Decimal | date):
        return str(value)
    return value


def _bars(rows: list[dict], key: str = "value") -> list[dict]:
    """Rows with a `pct` width for the PDF's bar charts (drawn in HTML, no script)."""
    top = max((float(r[key] or 0) for r in rows), default=0) or 1
    return [{**r, "pct": round(float(r[key] or 0) * 100 / top, 1)} for r in rows]


def supervision_figures(start: date, end: date) -> dict:
    """The company-wide figures of the monthly 服务监督报告: service acceptance and completion,
    on-time, first response, complaints, accidents, satisfaction, lateness per centre."""
    from kefu.complaints import queries as complaints_queries
    from kefu.complaints.choices import AccidentKind, ContentClass
    from kefu.org.queries import sales_offices
    from kefu.reports import formulas as fx
    from kefu.tickets import queries as tickets

    lo, hi = bounds(start, end)
    company = fx.Subject()
    received_figures = tickets.received_figures(lo, hi)
    complaints = complaints_queries.complaint_period_counts(lo, hi)
    content = dict(ContentClass.choices)
    accidents = complaints_queries.accident_period_counts(lo, hi)
    kinds = dict(AccidentKind.choices)
    today = timezone.localdate()
    centres = []
    # Two grouped counts for every centre at once (not two per centre); the formulas then run
    # only for the centres that had work (h-pdf: the PDF's figures were the report's slow part).
    received_by = received_figures["by_office"]
    late_by = tickets.late_open_by_office(min(end + timedelta(days=1), today))
    for office in sales_offices(set(received_by) | set(late_by)):
        subject = fx.Subject(office_id=office.pk)
        received, late_open = received_by.get(office.pk, 0), late_by.get(office.pk, 0)
        centres.append(
            {
                "label": f"{office.code} {office.name}",
                "received": received,
                "closed": fx.notifications_closed(subject, lo, hi).value,
                "on_time": fx.on_time_rate(subject, lo, hi).value,
                "late_open": late_open,
                "value": late_open,
            }
        )
    return {
        "received": received_figures["total"],
        "by_type": _bars(
            [
                {"label": f"{r['type__code']} {r['type__name']}", "value": r["n"]}
                for r in received_figures["by_type"]
            ]
        ),
        "closed": fx.notifications_closed(company, lo, hi).value,
        "on_time": fx.on_time_rate(company, lo, hi).value,
        "first_response": fx.first_response_hours(company, lo, hi).value,
        "reopen": fx.reopen_rate(company, lo, hi).value,
        "backlog": tickets.open_count(hi),
        "complaints": complaints["total"],
        "complaint_hours": fx.complaint_handling_hours(company, lo, hi).value,
        "satisfaction": fx.satisfaction_rate(company, lo, hi).value,
        "evaluation": fx.evaluation_rate(company, lo, hi).value,
        "by_class": _bars(
            [
                {"label": str(content.get(r["content_class"], r["content_class"] or "—")), "value": r["n"]}
                for r in complaints["by_class"]
            ]
        ),
        "accidents": accidents["total"],
        "losses": accidents["losses"] or Decimal("0.00"),
        "by_kind": _bars(
            [
                {
                    "label": str(kinds.get(r["kind"], r["kind"])),
                    "value": r["n"],
                    "loss": r["loss_sum"] or Decimal("0.00"),
                }
                for r in accidents["by_kind"]
            ]
        ),
        "centres": _bars(centres),
    }


def week_figures(staff_id: int, week_start: date) -> dict:
    """A person's week for the 周报: work done, still open, late, customer feedback (read through
    the tickets and complaints apps' queries)."""
    from kefu.complaints.queries import person_complaint_counts
    from kefu.reports import formulas as fx
    from kefu.tickets.queries import person_workload

    week_end = week_start + timedelta(days=6)
    lo, hi = bounds(week_start, week_end)
    subject = fx.Subject(staff_id=staff_id)
    work = person_workload(staff_id, lo, hi, week_end)
    complaints = person_complaint_counts(staff_id, lo, hi)
    return {
        "week_start": week_start,
        "week_end": week_end,
        "received": work["received"],
        "closed": fx.notifications_closed(subject, lo, hi).value,
        "on_time": fx.on_time_rate(subject, lo, hi).value,
        "open": work["open"],
        "late": work["late"],
        "complaints_received": complaints["received"],
        "complaints_closed": complaints["closed"],
        "satisfaction": fx.satisfaction_rate(subject, lo, hi).value,
    }


def week_summary_text(figures: dict) -> str:
    from django.utils.translation import gettext as _

    return _(
        "Notifications received %(received)s, completed %(closed)s (on time %(on_time)s%%); "
        "open %(open)s, of them late %(late)s. Complaints received %(complaints_received)s, closed "
        "%(complaints_closed)s."
    ) % {k: ("—" if v is None else v) for k, v in figures.items()}
