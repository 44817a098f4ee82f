"""Pages of the complaint desk: thin views that parse, check access, call a service or query, render."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from kefu.complaints import exports, queries, services
from kefu.complaints.filtersets import AccidentFilterSet, CarrierFilterSet, ComplaintFilterSet
from kefu.complaints.forms import (
    AccidentActionForm,
    AccidentCreateForm,
    AccidentEditForm,
    AppraisalForm,
    CarrierForm,
    ComplaintCreateForm,
    ComplaintEditForm,
    FollowUpForm,
    PeriodForm,
    TrainingForm,
    transition_form_class,
)
from kefu.complaints.models import Accident, Carrier, Complaint
from kefu.core.errors import KefuError, NotFound
from kefu.core.exports import export_response
from kefu.core.forms import apply_error, bootstrap
from kefu.core.htmx import render_page
from kefu.core.jinja import render_rows
from kefu.core.paging import BoundedPage, query_without_page
from kefu.core.scoping import access
from kefu.core.steps import step_page
from kefu.timeline.queries import events_for, present
from kefu.workflow.engine import available_transitions
from kefu.workflow.events import status_label
from kefu.worktime import clock


def _access(qs_or_model, request, pk):
    try:
        return access(qs_or_model, request.user, pk)
    except NotFound:
        raise Http404 from None


# --- complaints ----------------------------------------------------------------------------
@login_required
@permission_required("complaints.view_complaint", raise_exception=True)
def complaint_list(request):
    filterset = ComplaintFilterSet(request.GET or None, queryset=queries.complaints_for(request.user))
    bootstrap(filterset.form)
    page = BoundedPage(filterset.qs, request.GET.get("page"))
    context = {
        "filter": filterset,
        "page": page,
        "rows_html": render_rows(
            "complaints/complaint_rows.html", rows=queries.present_complaints(page.object_list, request.user)
        ),
        "query": query_without_page(request),
    }
    return render_page(
        request, "complaints/complaint_list.html", "complaints/partials/complaint_table.html", context
    )


@login_required
@permission_required("complaints.view_complaint", raise_exception=True)
def complaint_export(request):
    return export_response(request, "complaints.complaints")


@login_required
@permission_required("complaints.add_complaint", raise_exception=True)
def complaint_create(request):
    # Prefilled from a call's screen pop (kefu.contacts): customer, contact person, number.
    prefill = ("customer", "contact_name", "contact_phone")
    initial = {k: request.GET[k][:50] for k in prefill if request.GET.get(k)}
    form = ComplaintCreateForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            complaint = services.create_complaint(
                actor=request.user,
                customer=data.pop("customer"),
                subject=data.pop("subject"),
                received_at=data.pop("received_at") or None,
                received_via=data.pop("received_via"),
                **data,
            )
        except KefuError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Complaint %(number)s received.") % {"number": complaint.number})
            return redirect("complaints:complaint_detail", complaint.pk)
    return render(
        request,
        "complaints/form.html",
        {"form": form, "title": _("Receive a complaint"), "back": "complaints:complaint_list"},
    )


@login_required
@permission_required("complaints.view_complaint", raise_exception=True)
def complaint_detail(request, pk: int):
    complaint = _access(
        Complaint.objects.select_related(*queries.LIST_RELATED, "notification", "decided_by", "created_by"),
        request,
        pk,
    )
    row = queries.present_complaints([complaint], request.user)[0]
    context = {
        "c": complaint,
        "row": row,
        "transitions": available_transitions(complaint, request.user) if complaint.is_open else [],
        "follow_ups": complaint.follow_ups.select_related("by", "by__staff")[:100],
        "escalations": complaint.escalations.all()[:20],
        "accidents": complaint.accidents.select_related("status")[:20],
        "material": queries.material_history(complaint.material_code) if complaint.material_code else None,
        "follow_up_form": FollowUpForm(),
        "events": present(events_for(complaint), masked=not queries.can_see_personal_data(request.user)),
        "can_change": request.user.has_perm("complaints.change_complaint"),
    }
    return render(request, "complaints/complaint_detail.html", context)


@login_required
@permission_required("complaints.change_complaint", raise_exception=True)
def complaint_edit(request, pk: int):
    complaint = _access(Complaint.objects.select_related("customer"), request, pk)
    form = ComplaintEditForm(
        request.POST or None, instance=complaint, user=request.user, initial={"version": complaint.version}
    )
    if request.method == "POST" and form.is_valid():
        data = form.changes(skip=("version",))
        fresh = Complaint.objects.get(pk=pk)
        try:
            services.update_complaint(
                fresh, actor=request.user, expected_version=form.cleaned_data["version"], **data
            )
        except KefuError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("complaints:complaint_detail", pk)
    return render(
        request,
        "complaints/form.html",
        {
            "form": form,
            "title": _("Change complaint %(number)s") % {"number": complaint.number},
            "back_url": complaint_url(complaint),
        },
    )


def complaint_url(complaint) -> str:
    return services.complaint_url(complaint)


def _step_view(request, obj, to: str, *, do, back_url: str):
    """A complaint's or an accident's step: the form of the step's required fields (kefu.core.steps)."""

    def form_for(target, choice, data):
        required = list(choice.required_fields) if choice else []
        form_class = transition_form_class(type(obj), target.code, required)
        return form_class(
            data,
            instance=type(obj).objects.get(pk=obj.pk),
            user=request.user,
            initial={"version": obj.version},
        )

    return step_page(request, obj, to, form_for=form_for, do=do, back_url=back_url, heading=obj.number)


@login_required
@permission_required("complaints.change_complaint", raise_exception=True)
def complaint_transition(request, pk: int, to: str):
    complaint = _access(Complaint.objects.select_related("status", "customer"), request, pk)
    return _step_view(
        request, complaint, to, do=services.transition_complaint, back_url=complaint_url(complaint)
    )


@login_required
@require_POST
@permission_required("complaints.change_complaint", raise_exception=True)
def complaint_follow_up(request, pk: int):
    complaint = _access(Complaint, request, pk)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.add_follow_up(complaint, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Follow-up recorded."))
        except KefuError as exc:
            messages.error(request, str(exc.message))
    else:
        messages.error(request, _("Write what was done or agreed."))
    return redirect("complaints:complaint_detail", pk)


@login_required
@require_POST
@permission_required("complaints.change_complaint", raise_exception=True)
def complaint_quality(request, pk: int):
    complaint = _access(Complaint, request, pk)
    try:
        services.send_to_quality(complaint, actor=request.user, note=request.POST.get("note", ""))
        messages.success(request, _("Passed to quality."))
    except KefuError as exc:
        messages.error(request, str(exc.message))
    return redirect("complaints:complaint_detail", pk)


@login_required
@permission_required("complaints.view_complaint", raise_exception=True)
def complaint_report(request, pk: int):
    """客诉办理报告: the complaint handling report of one complaint, printable and as xlsx."""
    complaint = _access(
        Complaint.objects.select_related(*queries.LIST_RELATED, "decided_by", "created_by"), request, pk
    )
    row = queries.present_complaints([complaint], request.user)[0]
    follow_ups = list(complaint.follow_ups.select_related("by", "by__staff")[:200])
    events = present(events_for(complaint), masked=not queries.can_see_personal_data(request.user))
    if request.GET.get("format") == "xlsx":
        fields = [
            (_("Complaint number"), complaint.number),
            (_("Customer"), f"{row.customer_number} {row.customer}"),
            (_("Received at"), complaint.received_at),
            (_("Received through"), row.received_via),
            (_("Contact person"), complaint.contact_name),
            (_("Contact phone"), row.contact_phone),
            (_("Subject"), complaint.subject),
            (_("Complaint content"), row.content_class),
            (_("Complaint cause"), row.cause_class),
            (_("Severity"), row.severity),
            (_("Description"), complaint.description),
            (_("Complaint valid"), complaint.is_valid),
            (_("Validity reasoning"), complaint.validity_reason),
            (_("Handling department"), row.handling_department),
            (_("Cause analysis"), complaint.cause_analysis),
            (_("Proposed plan"), complaint.proposed_plan),
            (_("Marketing director's decision"), complaint.director_decision),
            (_("Handling actions"), complaint.handling_actions),
            (_("Closing summary"), complaint.closing_summary),
            (_("Evaluation"), complaint.evaluation),
            (
                _("Customer satisfaction"),
                complaint.get_satisfaction_display() if complaint.satisfaction else "",
            ),
            (_("Status"), row.status),
            (_("Closed at"), complaint.closed_at),
        ]
        return exports.xlsx_response(
            f"客诉办理报告_{complaint.number}.xlsx",
            [
                (
                    _("Complaint handling report"),
                    [pgettext("complaints", "Field"), pgettext("complaints", "Value")],
                    ([k, v] for k, v in fields),
                ),
                (
                    _("Follow-up records"),
                    [_("Time"), _("By"), _("Through"), _("Note")],
                    (
                        [f.at, getattr(getattr(f.by, "staff", None), "name", ""), f.get_via_display(), f.note]
                        for f in follow_ups
                    ),
                ),
                (
                    _("History"),
                    [_("Time"), _("Event"), _("By"), _("Details")],
                    ([e["occurred_at"], e["label"], e["actor"], e["description"]] for e in events),
                ),
            ],
        )
    return render(
        request,
        "complaints/complaint_report.html",
        {
            "c": complaint,
            "row": row,
            "follow_ups": follow_ups,
            "events": events,
            "escalations": complaint.escalations.all(),
            "printed_at": clock.now(),
        },
    )


@login_required
@permission_required("complaints.view_complaint", raise_exception=True)
def quality_feedback(request):
    """Quality feedback 品管反馈: materials with recurring complaints, to see whether they stop."""
    rows = queries.recurring_materials(request.user)
    if request.method == "POST" and request.POST.get("material"):
        try:
            count = services.mark_quality_resolved(actor=request.user, material_code=request.POST["material"])
            messages.success(request, _("%(count)d complaints marked: problem stopped.") % {"count": count})
        except KefuError as exc:
            messages.error(request, str(exc.message))
        return redirect("complaints:quality")
    return render(request, "complaints/quality.html", {"rows": rows})


def _period(request) -> tuple[PeriodForm, object, object]:
    today = timezone.localdate(clock.now())
    default = {"start": today.replace(day=1), "end": today}
    form = PeriodForm(request.GET if "start" in request.GET else None, initial=default)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["start"], form.cleaned_data["end"]
    if not form.is_bound:
        form = PeriodForm(initial=default)
    return form, default["start"], default["end"]


@login_required
@permission_required("complaints.view_complaint_reports", raise_exception=True)
def exception_summary(request):
    """异样状况汇总表 for a period."""
    form, start, end = _period(request)
    data = queries.exception_summary(request.user, start, end)
    if request.GET.get("format") == "xlsx":
        rows = queries.present_complaints(data["complaints"], request.user)
        count = [("count", _("Count"))]
        return exports.xlsx_response(
            f"异样状况汇总表_{start}_{end}.xlsx",
            [
                exports.grouped_sheet(_("By content"), _("Complaint content"), data["by_content"], count),
                exports.grouped_sheet(_("By cause"), _("Complaint cause"), data["by_cause"], count),
                exports.grouped_sheet(
                    _("By department"), _("Handling department"), data["by_department"], count
                ),
                exports.grouped_sheet(_("By customer tier"), _("Customer tier"), data["by_tier"], count),
                exports.grouped_sheet(_("Late steps"), _("Step"), data["late_by_step"], count),
                (
                    _("Escalations"),
                    [_("Complaint number"), _("Step"), _("Level"), _("Deadline"), _("Escalated at")],
                    (
                        [
                            e.complaint.number,
                            status_label(e.status_code),
                            e.get_level_display(),
                            e.deadline,
                            e.escalated_at,
                        ]
                        for e in data["escalations"]
                    ),
                ),
                exports.complaint_sheet(rows),
            ],
        )
    chart = {
        "content": [{"name": g["label"], "value": g["count"]} for g in data["by_content"]],
        "cause": [{"name": g["label"], "value": g["count"]} for g in data["by_cause"]],
        "department": {
            "labels": [g["label"] for g in data["by_department"]],
            "values": [g["count"] for g in data["by_department"]],
        },
    }
    return render(
        request,
        "complaints/summary.html",
        {"form": form, "data": data, "chart": chart, "query": request.GET.urlencode()},
    )


# --- accidents -----------------------------------------------------------------------------
def accident_url(accident) -> str:
    return services.accident_url(accident)


@login_required
@permission_required("complaints.view_accident", raise_exception=True)
def accident_list(request):
    filterset = AccidentFilterSet(request.GET or None, queryset=queries.accidents_for(request.user))
    bootstrap(filterset.form)
    page = BoundedPage(filterset.qs, request.GET.get("page"))
    context = {
        "filter": filterset,
        "page": page,
        "rows_html": render_rows(
            "complaints/accident_rows.html", rows=queries.present_accidents(page.object_list)
        ),
        "query": query_without_page(request),
    }
    return render_page(
        request, "complaints/accident_list.html", "complaints/partials/accident_table.html", context
    )


@login_required
@permission_required("complaints.view_accident", raise_exception=True)
def accident_export(request):
    return export_response(request, "complaints.accidents")


@login_required
@permission_required("complaints.add_accident", raise_exception=True)
def accident_create(request):
    initial = {"occurred_at": clock.now().astimezone(clock.load_calendar().tz)}
    if request.GET.get("complaint"):
        initial["description"] = request.GET.get("description", "")
    form = AccidentCreateForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            accident = services.create_accident(actor=request.user, **data)
        except KefuError as exc:
            apply_error(form, exc)
        else:
            messages.success(
                request,
                _("Accident %(number)s registered. Report it to the unit head within 30 minutes.")
                % {"number": accident.number},
            )
            return redirect("complaints:accident_detail", accident.pk)
    return render(
        request,
        "complaints/form.html",
        {"form": form, "title": _("Register a service accident"), "back": "complaints:accident_list"},
    )


@login_required
@permission_required("complaints.view_accident", raise_exception=True)
def accident_detail(request, pk: int):
    accident = _access(
        Accident.objects.select_related(
            "status", "carrier", "customer", "sales_office", "owner", "reported_to", "complaint"
        ),
        request,
        pk,
    )
    context = {
        "a": accident,
        "row": queries.present_accidents([accident])[0],
        "transitions": available_transitions(accident, request.user) if accident.is_open else [],
        "actions": accident.actions.select_related("by", "by__staff")[:100],
        "reports": accident.reports.select_related("department"),
        "escalations": accident.escalations.all()[:20],
        "action_form": AccidentActionForm(),
        "events": present(events_for(accident), masked=not queries.can_see_personal_data(request.user)),
        "can_change": request.user.has_perm("complaints.change_accident"),
    }
    return render(request, "complaints/accident_detail.html", context)


@login_required
@permission_required("complaints.change_accident", raise_exception=True)
def accident_edit(request, pk: int):
    accident = _access(Accident.objects.select_related("customer"), request, pk)
    form = AccidentEditForm(
        request.POST or None, instance=accident, user=request.user, initial={"version": accident.version}
    )
    if request.method == "POST" and form.is_valid():
        data = form.changes(skip=("version",))
        try:
            services.update_accident(
                Accident.objects.get(pk=pk),
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                **data,
            )
        except KefuError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("complaints:accident_detail", pk)
    return render(
        request,
        "complaints/form.html",
        {
            "form": form,
            "title": _("Change accident %(number)s") % {"number": accident.number},
            "back_url": accident_url(accident),
        },
    )


@login_required
@permission_required("complaints.change_accident", raise_exception=True)
def accident_transition(request, pk: int, to: str):
    accident = _access(Accident.objects.select_related("status", "sales_office"), request, pk)
    return _step_view(request, accident, to, do=services.transition_accident, back_url=accident_url(accident))


@login_required
@require_POST
@permission_required("complaints.change_accident", raise_exception=True)
def accident_action(request, pk: int):
    accident = _access(Accident, request, pk)
    form = AccidentActionForm(request.POST)
    if form.is_valid():
        try:
            services.add_accident_action(accident, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Handling action recorded."))
        except KefuError as exc:
            messages.error(
                request, "; ".join([str(exc.message), *[m for v in exc.fields.values() for m in v]])
            )
    else:
        messages.error(
            request,
            "; ".join(
                f"{form.fields[k].label}: {' '.join(v)}" for k, v in form.errors.items() if k in form.fields
            ),
        )
    return redirect("complaints:accident_detail", pk)


@login_required
@permission_required("complaints.view_complaint_reports", raise_exception=True)
def accident_statistics(request):
    form, start, end = _period(request)
    data = queries.accident_statistics(request.user, start, end)
    columns = [
        ("count", _("Count")),
        ("estimated", _("Estimated loss (CNY)")),
        ("final", _("Final loss (CNY)")),
        ("recovered", _("Amount recovered (CNY)")),
    ]
    if request.GET.get("format") == "xlsx":
        return exports.xlsx_response(
            f"服务事故统计_{start}_{end}.xlsx",
            [
                exports.grouped_sheet(_("By kind"), _("Kind"), data["by_kind"], columns),
                exports.grouped_sheet(_("By carrier"), _("Carrier"), data["by_carrier"], columns),
                exports.grouped_sheet(
                    _("By responsibility"), _("Responsibility"), data["by_responsibility"], columns
                ),
                exports.grouped_sheet(_("By severity"), _("Severity"), data["by_severity"], columns),
                exports.accident_sheet(queries.present_accidents(data["accidents"])),
            ],
        )
    chart = {
        "kind": {
            "labels": [g["label"] for g in data["by_kind"]],
            "count": [g["count"] for g in data["by_kind"]],
            "loss": [float(g["estimated"] or 0) for g in data["by_kind"]],
        },
        "carrier": {
            "labels": [g["label"] for g in data["by_carrier"]],
            "loss": [float(g["estimated"] or 0) for g in data["by_carrier"]],
        },
        "responsibility": [{"name": g["label"], "value": g["count"]} for g in data["by_responsibility"]],
    }
    return render(
        request,
        "complaints/accident_statistics.html",
        {"form": form, "data": data, "chart": chart, "columns": columns, "query": request.GET.urlencode()},
    )


# --- carriers ------------------------------------------------------------------------------
@login_required
@permission_required("complaints.view_carrier", raise_exception=True)
def carrier_list(request):
    filterset = CarrierFilterSet(request.GET or None, queryset=queries.carriers_for(request.user))
    bootstrap(filterset.form)
    page = BoundedPage(filterset.qs, request.GET.get("page"))
    return render(
        request,
        "complaints/carrier_list.html",
        {"filter": filterset, "page": page, "query": query_without_page(request)},
    )


def _carrier(request, pk):
    carrier = queries.carriers_for(request.user).filter(pk=pk).first()
    if carrier is None:
        raise Http404
    return carrier


@login_required
@permission_required("complaints.view_carrier", raise_exception=True)
def carrier_detail(request, pk: int):
    carrier = _carrier(request, pk)
    since = clock.now() - timedelta(days=365)
    accidents = queries.accidents_for(request.user).filter(carrier=carrier)
    return render(
        request,
        "complaints/carrier_detail.html",
        {
            "carrier": carrier,
            "accidents": queries.present_accidents(accidents[:50]),
            "year": accidents.filter(occurred_at__gte=since).count(),
            "trainings": carrier.trainings.all()[:50],
            "appraisals": carrier.appraisals.all()[:50],
            "training_form": TrainingForm(),
            "appraisal_form": AppraisalForm(),
            "events": present(events_for(carrier)),
            "can_change": request.user.has_perm("complaints.change_carrier"),
        },
    )


@login_required
def carrier_form(request, pk: int | None = None):
    if not request.user.has_perm("complaints.change_carrier" if pk else "complaints.add_carrier"):
        raise PermissionDenied
    carrier = _carrier(request, pk) if pk else None
    instance = Carrier.objects.get(pk=pk) if carrier else None
    form = CarrierForm(
        request.POST or None, instance=instance, initial={"version": getattr(instance, "version", None)}
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            saved = services.save_carrier(
                actor=request.user,
                carrier=Carrier.objects.get(pk=pk) if pk else None,
                expected_version=form.cleaned_data.get("version"),
                **data,
            )
        except KefuError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("complaints:carrier_detail", saved.pk)
    return render(
        request,
        "complaints/form.html",
        {"form": form, "title": _("Carrier"), "back": "complaints:carrier_list"},
    )


@login_required
@require_POST
@permission_required("complaints.change_carrier", raise_exception=True)
def carrier_record(request, pk: int, kind: str):
    carrier = _carrier(request, pk)
    form = (TrainingForm if kind == "training" else AppraisalForm)(request.POST)
    if form.is_valid():
        try:
            if kind == "training":
                services.add_training(carrier, actor=request.user, **form.cleaned_data)
            else:
                services.add_appraisal(carrier, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Saved."))
        except KefuError as exc:
            messages.error(request, str(exc.message))
    else:
        messages.error(
            request,
            "; ".join(
                f"{form.fields[k].label}: {' '.join(v)}" for k, v in form.errors.items() if k in form.fields
            ),
        )
    return redirect("complaints:carrier_detail", pk)
