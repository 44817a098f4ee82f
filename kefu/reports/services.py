"""Writes of management reports: scorecards (compute, rate, sign off), the supervision report
archive (generate, mail, catch up) and weekly reports. Only this app's tables are written."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from kefu.core.concurrency import save_versioned
from kefu.core.errors import PermissionDenied, ValidationFailed
from kefu.core.scoping import require_perm
from kefu.reports import events, queries
from kefu.reports.choices import AppliesTo, CardStatus, IndicatorKind, WeeklyStatus
from kefu.reports.errors import CardLocked
from kefu.reports.formulas import FORMULAS, OFFICE, STAFF, Group, Subject, measure, measure_all
from kefu.reports.models import (
    GradeBand,
    Indicator,
    ReportRecipient,
    Scorecard,
    ScorecardLine,
    SupervisionReport,
    WeeklyReport,
)
from kefu.timeline.services import record

CENT = Decimal("0.01")


# --- scoring ---------------------------------------------------------------------------------
def points_for(indicator: Indicator, value: Decimal | None) -> Decimal | None:
    """Points earned: None ("—") without data; a measured value scales linearly from `zero_at`
    (no points) to `full_at` (full weight), either direction; rated points are the supervisor's."""
    if value is None:
        return None
    weight = indicator.weight
    if indicator.kind == IndicatorKind.RATED:
        return min(max(value, Decimal(0)), weight).quantize(CENT)
    if indicator.zero_at is None or indicator.full_at is None or indicator.zero_at == indicator.full_at:
        return None
    share = (value - indicator.zero_at) / (indicator.full_at - indicator.zero_at)
    share = min(max(share, Decimal(0)), Decimal(1))
    return (weight * share).quantize(CENT, rounding=ROUND_HALF_UP)


def total_score(lines: list[ScorecardLine]) -> Decimal | None:
    """Score of 100 over the indicators that have data: an indicator with nothing to measure in
    the period neither helps nor hurts (its weight leaves the denominator)."""
    scored = [line for line in lines if line.points is not None]
    weights = sum((line.weight for line in scored), Decimal(0))
    if not weights:
        return None
    earned = sum((line.points or Decimal(0) for line in scored), Decimal(0))
    return (earned * 100 / weights).quantize(CENT, rounding=ROUND_HALF_UP)


def grade_for(score: Decimal | None) -> str:
    if score is None:
        return ""
    for band in GradeBand.objects.order_by("-min_score"):
        if score >= band.min_score:
            return band.grade
    return ""


def indicators_for(card_is_centre: bool) -> list[Indicator]:
    kinds = [AppliesTo.BOTH, AppliesTo.CENTRE if card_is_centre else AppliesTo.STAFF]
    return list(Indicator.objects.filter(is_active=True, applies_to__in=kinds).order_by("order", "code"))


def _appraised_staff():
    from kefu.org.queries import appraised_staff

    return appraised_staff()


def _refresh_card(card: Scorecard, indicators: list[Indicator], figures: dict | None = None) -> None:
    """Recompute the measured lines of one card and its score and grade (card locked by caller).

    `figures` ({formula: {person or centre id: Measure}}, computed once for the whole period by
    `period_figures`) saves the per-card queries; without it the card is measured on its own."""
    first, last = card.period_start, card.period_end
    lo, hi = queries.bounds(first, last)
    subject = Subject(staff_id=card.staff_id) if card.staff_id else Subject(office_id=card.sales_office_id)
    key = card.staff_id if card.staff_id else card.sales_office_id
    existing = {line.indicator_id: line for line in card.lines.all()}
    lines = []
    for indicator in indicators:
        line = existing.get(indicator.pk) or ScorecardLine(scorecard=card, indicator=indicator)
        line.weight = indicator.weight
        if indicator.kind == IndicatorKind.MEASURED:
            if figures is not None and indicator.formula in figures:
                m = figures[indicator.formula][key]
            else:
                m = measure(indicator.formula, subject, lo, hi)
            line.value, line.numerator, line.denominator = m.value, m.numerator, m.denominator
        line.points = points_for(indicator, line.value)
        line.save()
        lines.append(line)
    stale = [pk for pk in existing if pk not in {i.pk for i in indicators}]
    if stale:
        card.lines.filter(indicator_id__in=stale).delete()
    card.score = total_score(lines)
    card.grade = grade_for(card.score)
    card.computed_at = timezone.now()


def period_figures(indicators: list[Indicator], group: Group, lo, hi) -> dict:
    """{formula: {key: Measure}} of the measured indicators, every person (or centre) at once."""
    codes = {i.formula for i in indicators if i.kind == IndicatorKind.MEASURED and i.formula in FORMULAS}
    return {code: measure_all(code, group, lo, hi) for code in sorted(codes)}


def compute_period(period_start: date, *, actor=None, offices: list[int] | None = None) -> int:
    """Compute (or recompute) every scorecard of the month: one per appraised person and one per
    responsibility centre. Signed cards are history and stay as they were signed. Idempotent:
    one card per person (or centre) and month, the same figures on every run."""
    if actor is not None:
        require_perm(actor, "reports.rate_scorecard")
    first, last = queries.month_bounds(period_start)
    staff_indicators, centre_indicators = indicators_for(False), indicators_for(True)
    subjects: list[tuple[int, int | None]] = []
    office_ids: set[int] = set()
    for staff in _appraised_staff():
        office = min(staff.sales_offices.all(), key=lambda o: o.code)
        if offices is not None and office.pk not in offices:
            continue
        subjects.append((office.pk, staff.pk))
        office_ids.add(office.pk)
    subjects += [(office_id, None) for office_id in sorted(office_ids)]
    # Set-based: each formula once for all people and once for all centres (one grouped query
    # each), not once per card.
    lo, hi = queries.bounds(first, last)
    staff_figures = period_figures(staff_indicators, STAFF, lo, hi)
    centre_figures = period_figures(centre_indicators, OFFICE, lo, hi)
    count = 0
    for office_id, staff_id in subjects:
        with transaction.atomic():
            key: dict[str, object] = {"period_start": first, "staff_id": staff_id}
            if staff_id is None:
                key["sales_office_id"] = office_id
            card, created = Scorecard.objects.select_for_update().get_or_create(
                **key, defaults={"period_end": last, "sales_office_id": office_id}
            )
            if card.status == CardStatus.SIGNED:
                continue
            before = (card.score, card.grade)
            if staff_id is None:
                _refresh_card(card, centre_indicators, centre_figures)
            else:
                _refresh_card(card, staff_indicators, staff_figures)
            card.version += 1
            card.save()
            if created or before != (card.score, card.grade):
                record(
                    card,
                    events.CARD_COMPUTED.code,
                    actor=actor,
                    data={"score": str(card.score) if card.score is not None else None, "grade": card.grade},
                )
            count += 1
    return count


def rate_scorecard(
    card: Scorecard,
    *,
    actor,
    points: dict[str, Decimal | None],
    comment: str = "",
    expected_version: int | None,
) -> Scorecard:
    """The supervisor scores the attitude and ability items (table 2-7) of one person's card."""
    require_perm(actor, "reports.rate_scorecard")
    if card.status == CardStatus.SIGNED:
        raise CardLocked()
    if card.staff_id is not None and getattr(getattr(card.staff, "user", None), "pk", None) == actor.pk:
        raise PermissionDenied(_("Nobody rates their own scorecard."))
    rated = {i.code: i for i in indicators_for(card.is_centre) if i.kind == IndicatorKind.RATED}
    errors: dict[str, list[str]] = {}
    for code, value in points.items():
        indicator = rated.get(code)
        if indicator is None:
            errors[code] = [_("Not an item the supervisor rates on this card.")]
        elif value is not None and (not value.is_finite() or not (Decimal(0) <= value <= indicator.weight)):
            errors[code] = [
                _("%(name)s: enter points from 0 to %(max)s.")
                % {"name": indicator.display_name, "max": indicator.weight}
            ]
    if len(comment) > 500:
        errors["comment"] = [_("At most 500 characters.")]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    with transaction.atomic():
        locked = Scorecard.objects.select_for_update().get(pk=card.pk)
        if expected_version is not None and locked.version != expected_version:
            from kefu.core.errors import ConcurrentUpdate

            raise ConcurrentUpdate()
        if locked.status == CardStatus.SIGNED:
            raise CardLocked()
        lines = {line.indicator.code: line for line in locked.lines.select_related("indicator")}
        for code, value in points.items():
            line = lines.get(code)
            if line is None:
                line = ScorecardLine.objects.create(
                    scorecard=locked, indicator=rated[code], weight=rated[code].weight
                )
                lines[code] = line
            line.value = value
            line.points = points_for(line.indicator, value)
            line.save(update_fields=["value", "points"])
        all_lines = list(lines.values())
        locked.score = total_score(all_lines)
        locked.grade = grade_for(locked.score)
        complete = all(lines.get(code) is not None and lines[code].value is not None for code in rated)
        locked.status = CardStatus.RATED if complete else CardStatus.COMPUTED
        locked.rated_by = actor
        locked.supervisor_comment = comment
        save_versioned(
            locked,
            expected_version=None,
            update_fields=["score", "grade", "status", "rated_by", "supervisor_comment"],
        )
        record(
            locked,
            events.CARD_RATED.code,
            actor=actor,
            data={"points": {k: str(v) for k, v in points.items()}},
        )
    return locked


def sign_scorecard(card: Scorecard, *, actor, comment: str = "", expected_version: int | None) -> Scorecard:
    """The appraised person signs their own card off 签认; from then on it is history."""
    if card.staff_id is None or getattr(card.staff, "user_id", None) != actor.pk:
        raise PermissionDenied(_("Only the appraised person signs their scorecard off."))
    if card.status == CardStatus.SIGNED:
        raise CardLocked()
    if card.status != CardStatus.RATED:
        raise ValidationFailed(
            _("The supervisor has not rated this scorecard yet."), fields={"status": [_("Not rated yet.")]}
        )
    if len(comment) > 500:
        raise ValidationFailed(fields={"comment": [_("At most 500 characters.")]})
    with transaction.atomic():
        card.status = CardStatus.SIGNED
        card.signed_at = timezone.now()
        card.staff_comment = comment
        save_versioned(
            card, expected_version=expected_version, update_fields=["status", "signed_at", "staff_comment"]
        )
        record(card, events.CARD_SIGNED.code, actor=actor, data={"comment": comment})
    return card


# --- the monthly service supervision report ----------------------------------------------------
def previous_month(today: date | None = None) -> date:
    today = today or timezone.localdate()
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def generate_supervision_report(
    period_start: date, *, actor=None, replace: bool = False
) -> SupervisionReport:
    """Render the month's 服务监督报告 to PDF (headless chromium) and archive it with its period.
    An archived month is returned as it is unless `replace` is asked for."""
    if actor is not None:
        require_perm(actor, "reports.add_supervisionreport")
    first, last = queries.month_bounds(period_start)
    if first >= timezone.localdate().replace(day=1) and not replace:
        raise ValidationFailed(
            _("Only a finished month can be archived."), fields={"period": [_("Choose a past month.")]}
        )
    existing = SupervisionReport.objects.filter(period_start=first).first()
    if existing and not replace:
        return existing
    from kefu.core.pdf import html_to_pdf

    with override("zh-hans"):
        figures = queries.supervision_figures(first, last)
        html = render_to_string("reports/supervision_pdf.html", {"f": figures, "start": first, "end": last})
    content = html_to_pdf(html)  # outside any transaction: a minute of chromium holds no lock
    with transaction.atomic():
        report = existing or SupervisionReport(period_start=first)
        report.period_end = last
        report.size = len(content)
        report.figures = queries.jsonable(figures)
        report.generated_by = actor if getattr(actor, "is_authenticated", False) else None
        if report.file:
            report.file.delete(save=False)
        report.save()
        report.file.save(f"{first:%Y-%m}.pdf", ContentFile(content), save=True)
        record(report, events.REPORT_GENERATED.code, actor=actor, data={"period": f"{first:%Y-%m}"})
    return report


def mail_supervision_report(report: SupervisionReport, *, actor=None) -> int:
    """Mail the archived report's link to the recipients (the general manager); once per report."""
    from django.urls import reverse

    from kefu.channels.services import send_mail

    recipients = list(ReportRecipient.objects.filter(is_active=True).values_list("email", flat=True))
    if not recipients or report.mailed_at:
        return 0
    with override("zh-hans"):
        subject = _("Service supervision report %(period)s") % {"period": f"{report.period_start:%Y-%m}"}
        body = _("The service supervision report for %(period)s is archived in Kefu: %(path)s") % {
            "period": f"{report.period_start:%Y-%m}",
            "path": reverse("reports:archive_download", args=[report.pk]),
        }
    with transaction.atomic():
        send_mail(actor=actor, target=report, to=recipients, subject=subject, body=body)
        SupervisionReport.objects.filter(pk=report.pk).update(mailed_at=timezone.now())
    return len(recipients)


def run_monthly_report(today: date | None = None) -> SupervisionReport | None:
    """The schedule's job: last month's report, generated and mailed if not done yet. Run daily,
    so a missed run (consumer down on the 1st) catches up once at the next run and never twice."""
    period = previous_month(today)
    report = SupervisionReport.objects.filter(period_start=period).first()
    if report is None:
        report = generate_supervision_report(period)
    if report.mailed_at is None:
        mail_supervision_report(report)
    return report


# --- weekly report 周报 ---------------------------------------------------------------------------
def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def draft_weekly_report(staff, week_start: date, *, actor) -> WeeklyReport:
    """Draft (or refresh the figures of) a person's weekly report from the week's records."""
    require_perm(actor, "reports.add_weeklyreport")
    week_start = week_of(week_start)
    office = min(staff.sales_offices.all(), key=lambda o: o.code, default=None)
    if office is None:
        raise ValidationFailed(fields={"staff": [_("This person works for no responsibility centre.")]})
    figures = queries.jsonable(queries.week_figures(staff.pk, week_start))
    with transaction.atomic():
        report, _created = WeeklyReport.objects.select_for_update().get_or_create(
            week_start=week_start, staff=staff, defaults={"sales_office": office, "figures": figures}
        )
        if report.status == WeeklyStatus.DRAFT:
            report.figures = figures
            if not report.done:
                report.done = queries.week_summary_text(figures)
            report.version += 1
            report.save()
    return report


def submit_weekly_report(
    report: WeeklyReport, *, actor, done: str, problems: str, plan: str, expected_version: int | None
) -> WeeklyReport:
    """The person completes their weekly report with their remarks and submits it."""
    if getattr(report.staff, "user_id", None) != actor.pk:
        raise PermissionDenied(_("Only the author submits a weekly report."))
    errors = {
        name: [_("At most 4000 characters.")]
        for name, value in (("done", done), ("problems", problems), ("plan", plan))
        if len(value) > 4000
    }
    if not done.strip():
        errors["done"] = [_("Describe the work done this week.")]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    report.done, report.problems, report.plan = done, problems, plan
    report.status = WeeklyStatus.SUBMITTED
    report.submitted_at = timezone.now()
    with transaction.atomic():
        save_versioned(
            report,
            expected_version=expected_version,
            update_fields=["done", "problems", "plan", "status", "submitted_at"],
        )
        record(
            report, events.WEEKLY_SUBMITTED.code, actor=actor, data={"week": report.week_start.isoformat()}
        )
    return report


# --- the cockpit's pre-aggregated counts ---------------------------------------------------------
def refresh_cockpit(*, today: date | None = None) -> int:
    """Rebuild the cockpit's counts (a sweep, every few minutes): open notifications by centre,
    work centre, person, status and age bucket; received and completed per day for the longest
    period the cockpit shows. Rebuilt whole in one transaction, so readers never see half."""
    from kefu.reports.formulas import response_rows
    from kefu.reports.models import CockpitCell, CockpitSnapshot
    from kefu.tickets import queries as tickets

    today = today or timezone.localdate()
    keys = ("sales_office_id", "work_centre_id", "responsible_id")
    cells: list[CockpitCell] = []
    conditions = [q for q, _p in queries.age_conditions(today)]
    for row in tickets.open_by_age(keys, conditions):
        for i in range(len(conditions)):
            if row[f"a{i}"]:
                cells.append(
                    CockpitCell(
                        kind=CockpitCell.KIND_BACKLOG,
                        **{k: row[k] for k in (*keys, "status_id")},
                        bucket=i,
                        count=row[f"a{i}"],
                    )
                )
    lo, hi = queries.bounds(today - timedelta(days=queries.MAX_DAYS - 1), today)
    for kind in (CockpitCell.KIND_IN, CockpitCell.KIND_OUT):
        rows = tickets.daily_flow(keys, lo, hi, completed=kind == CockpitCell.KIND_OUT)
        cells += [
            CockpitCell(
                kind=kind,
                **{k: r[k] for k in keys},
                day=r["local_day"],
                count=r["n"],
                due=r.get("due", 0),
                on_time=r.get("on_time", 0),
            )
            for r in rows
        ]
    received = tickets.received_by_day(lo, hi)
    for kind, column in (
        (CockpitCell.KIND_REASON, "reason_id"),
        (CockpitCell.KIND_PRODUCT, "product_type_id"),
    ):
        cells += [
            CockpitCell(
                kind=kind,
                **{k: r[f"notification__{k}"] for k in keys},
                day=r["local_day"],
                code_id=r[column],
                count=r["n"],
            )
            for r in tickets.item_codes_by_day(received, keys, column)
        ]
    # First response: whole hours from creation to the first status change, as a histogram
    # per centre, person and day (a median is not a sum; its histogram is).
    histogram: dict[tuple, int] = {}
    for row in response_rows(received, keys):
        key = (*(row[k] for k in keys), row["local_day"], min(int(row["hours"]), 9999))
        histogram[key] = histogram.get(key, 0) + 1
    cells += [
        CockpitCell(
            kind=CockpitCell.KIND_RESPONSE,
            **dict(zip(keys, key[:3], strict=True)),
            day=key[3],
            bucket=key[4],
            count=n,
        )
        for key, n in histogram.items()
    ]
    with transaction.atomic():
        CockpitCell.objects.all().delete()
        CockpitCell.objects.bulk_create(cells, batch_size=2000)
        CockpitSnapshot.objects.all().delete()
        CockpitSnapshot.objects.create(taken_at=timezone.now(), today=today)
    return len(cells)
