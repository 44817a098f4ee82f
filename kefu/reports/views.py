"""Pages of management reports: thin views that parse, check access, call a query or service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.errors import KefuError, NotFound
from kefu.core.forms import apply_error
from kefu.core.paging import BoundedPage, query_without_page
from kefu.core.scoping import access
from kefu.reports import exports, queries, services
from kefu.reports.choices import CardStatus, IndicatorKind, WeeklyStatus
from kefu.reports.forms import MonthForm, PeriodForm, RateForm, SignForm, WeeklyForm
from kefu.reports.models import Scorecard
from kefu.timeline.queries import events_for, present


def _access(qs, request, pk):
    try:
        return access(qs, request.user, pk)
    except NotFound:
        raise Http404 from None


def _period(request) -> tuple[PeriodForm, object, object]:
    start, end = queries.default_period()
    initial = {"start": start, "end": end}
    if "start" in request.GET or "end" in request.GET:
        form = PeriodForm(request.GET)
        if form.is_valid():
            return form, form.cleaned_data["start"], form.cleaned_data["end"]
        return form, start, end
    return PeriodForm(initial=initial), start, end


def _month(request) -> tuple[MonthForm, object]:
    default = services.previous_month()
    if request.GET.get("period"):
        form = MonthForm(request.GET)
        if form.is_valid():
            return form, form.cleaned_data["period"]
        return form, default
    return MonthForm(initial={"period": f"{default:%Y-%m}"}), default


# --- cockpit --------------------------------------------------------------------------------------
@login_required
@permission_required("reports.view_cockpit", raise_exception=True)
def cockpit(request):
    """管理驾驶舱: what the viewer may see, each figure linking to the list behind it."""
    form, start, end = _period(request)
    data = queries.cockpit(request.user, start, end)
    chart = queries.jsonable({k: v for k, v in data.items() if k not in ("start", "end")})
    return render(request, "reports/cockpit.html", {"form": form, "data": data, "chart": chart})


# --- scorecards ----------------------------------------------------------------------------------
@login_required
@permission_required("reports.view_scorecard", raise_exception=True)
def scorecards(request):
    form, period = _month(request)
    cards = queries.scorecards_for(request.user).filter(period_start=period)
    office = request.GET.get("office", "").strip()
    if office:
        cards = cards.filter(sales_office__code=office)
    page = BoundedPage(cards, request.GET.get("page"))
    context = {
        "form": form,
        "period": period,
        "page": page,
        "query": query_without_page(request),
        "can_rate": request.user.has_perm("reports.rate_scorecard"),
    }
    return render(request, "reports/scorecards.html", context)


@login_required
@permission_required("reports.view_scorecard", raise_exception=True)
def scorecards_export(request):
    _form, period = _month(request)
    cards = queries.scorecards_for(request.user).filter(period_start=period)
    return exports.scorecards_xlsx(cards, period)


@login_required
@permission_required("reports.rate_scorecard", raise_exception=True)
@require_POST
def scorecards_compute(request):
    form = MonthForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors.get("period", [_("Enter a month.")])[0])
        return redirect("reports:scorecards")
    period = form.cleaned_data["period"]
    from kefu.org.scope import scope_for

    scope = scope_for(request.user)
    offices = None if scope.company_wide else sorted(scope.office_ids)
    count = services.compute_period(period, actor=request.user, offices=offices)
    messages.success(request, _("%(count)s scorecards computed.") % {"count": count})
    return HttpResponseRedirect(f"{reverse('reports:scorecards')}?period={period:%Y-%m}")


def _card_context(request, card: Scorecard, rate_form=None, sign_form=None) -> dict:
    lines = queries.card_lines(card)
    rated = [line for line in lines if line.indicator.kind == IndicatorKind.RATED]
    own = card.staff_id is not None and card.staff.user_id == request.user.pk
    can_rate = (
        request.user.has_perm("reports.rate_scorecard")
        and not own
        and card.status != CardStatus.SIGNED
        and not card.is_centre
    )
    if can_rate and rate_form is None:
        rate_form = RateForm(
            items=rated, initial={"version": card.version, "comment": card.supervisor_comment}
        )
    can_sign = own and card.status == CardStatus.RATED
    if can_sign and sign_form is None:
        sign_form = SignForm(initial={"version": card.version})
    return {
        "card": card,
        "lines": lines,
        "rate_form": rate_form if can_rate else None,
        "sign_form": sign_form if can_sign else None,
        "own": own,
        "events": present(events_for(card)),
    }


@login_required
@permission_required("reports.view_scorecard", raise_exception=True)
def scorecard_detail(request, pk: int):
    card = _access(queries.scorecards_for(request.user), request, pk)
    return render(request, "reports/scorecard_detail.html", _card_context(request, card))


@login_required
@permission_required("reports.rate_scorecard", raise_exception=True)
def scorecard_rate(request, pk: int):
    card = _access(queries.scorecards_for(request.user), request, pk)
    if request.method != "POST":
        return redirect("reports:scorecard_detail", pk=card.pk)
    rated = [line for line in queries.card_lines(card) if line.indicator.kind == IndicatorKind.RATED]
    form = RateForm(request.POST, items=rated)
    if form.is_valid():
        try:
            services.rate_scorecard(
                card,
                actor=request.user,
                points=form.points(),
                comment=form.cleaned_data["comment"],
                expected_version=form.cleaned_data["version"],
            )
            messages.success(request, _("Scorecard rated."))
            return redirect("reports:scorecard_detail", pk=card.pk)
        except KefuError as error:
            apply_error(form, error)
            status = error.status
    else:
        status = 400
    return render(
        request, "reports/scorecard_detail.html", _card_context(request, card, rate_form=form), status=status
    )


@login_required
@permission_required("reports.view_scorecard", raise_exception=True)
def scorecard_sign(request, pk: int):
    card = _access(queries.scorecards_for(request.user), request, pk)
    if request.method != "POST":
        return redirect("reports:scorecard_detail", pk=card.pk)
    form = SignForm(request.POST)
    if form.is_valid():
        try:
            services.sign_scorecard(
                card,
                actor=request.user,
                comment=form.cleaned_data["comment"],
                expected_version=form.cleaned_data["version"],
            )
            messages.success(request, _("Scorecard signed off."))
            return redirect("reports:scorecard_detail", pk=card.pk)
        except KefuError as error:
            messages.error(request, str(error.message))
            apply_error(form, error)
            status = error.status
    else:
        status = 400
    card.refresh_from_db()
    return render(
        request, "reports/scorecard_detail.html", _card_context(request, card, sign_form=form), status=status
    )


# --- the archive of supervision reports -----------------------------------------------------------
@login_required
@permission_required("reports.view_supervisionreport", raise_exception=True)
def archive(request):
    page = BoundedPage(queries.archive_for(request.user), request.GET.get("page"))
    default = services.previous_month()
    context = {
        "page": page,
        "query": query_without_page(request),
        "form": MonthForm(initial={"period": f"{default:%Y-%m}"}),
        "can_generate": request.user.has_perm("reports.add_supervisionreport"),
    }
    return render(request, "reports/archive.html", context)


@login_required
@permission_required("reports.add_supervisionreport", raise_exception=True)
@require_POST
def archive_generate(request):
    form = MonthForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors.get("period", [_("Enter a month.")])[0])
        return redirect("reports:archive")
    try:
        report = services.generate_supervision_report(
            form.cleaned_data["period"], actor=request.user, replace=request.POST.get("replace") == "1"
        )
    except KefuError as error:
        messages.error(request, str(error.message))
        return redirect("reports:archive")
    messages.success(
        request, _("Report for %(period)s archived.") % {"period": f"{report.period_start:%Y-%m}"}
    )
    return redirect("reports:archive")


@login_required
@permission_required("reports.view_supervisionreport", raise_exception=True)
def archive_download(request, pk: int):
    report = queries.archive_for(request.user).filter(pk=pk).first()
    if report is None or not report.file:
        raise Http404
    return FileResponse(
        report.file.open("rb"),
        as_attachment=True,
        filename=f"服务监督报告_{report.period_start:%Y-%m}.pdf",
        content_type="application/pdf",
    )


# --- weekly reports -------------------------------------------------------------------------------
@login_required
@permission_required("reports.view_weeklyreport", raise_exception=True)
def weekly(request):
    reports = queries.weekly_reports_for(request.user)
    page = BoundedPage(reports, request.GET.get("page"))
    staff = getattr(request.user, "staff", None)
    return render(
        request,
        "reports/weekly.html",
        {"page": page, "query": query_without_page(request), "has_staff": staff is not None},
    )


@login_required
@permission_required("reports.add_weeklyreport", raise_exception=True)
@require_POST
def weekly_draft(request):
    staff = getattr(request.user, "staff", None)
    if staff is None:
        raise Http404
    try:
        report = services.draft_weekly_report(staff, timezone.localdate(), actor=request.user)
    except KefuError as error:
        messages.error(request, str(error.message))
        return redirect("reports:weekly")
    return redirect("reports:weekly_detail", pk=report.pk)


@login_required
@permission_required("reports.view_weeklyreport", raise_exception=True)
def weekly_detail(request, pk: int):
    report = _access(queries.weekly_reports_for(request.user), request, pk)
    own = report.staff.user_id == request.user.pk
    editable = own and report.status == WeeklyStatus.DRAFT
    form = None
    status = 200
    if editable:
        initial = {
            "done": report.done,
            "problems": report.problems,
            "plan": report.plan,
            "version": report.version,
        }
        form = WeeklyForm(request.POST if request.method == "POST" else None, initial=initial)
        if request.method == "POST":
            if form.is_valid():
                try:
                    services.submit_weekly_report(
                        report,
                        actor=request.user,
                        done=form.cleaned_data["done"],
                        problems=form.cleaned_data["problems"],
                        plan=form.cleaned_data["plan"],
                        expected_version=form.cleaned_data["version"],
                    )
                    messages.success(request, _("Weekly report submitted."))
                    return redirect("reports:weekly_detail", pk=report.pk)
                except KefuError as error:
                    apply_error(form, error)
                    status = error.status
            else:
                status = 400
    elif request.method == "POST":
        status = 403 if not own else 409
    return render(
        request, "reports/weekly_detail.html", {"report": report, "form": form, "own": own}, status=status
    )
