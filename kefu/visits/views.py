"""Pages of return visits and receptions: thin views that parse, check access, call a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.errors import KefuError, NotFound
from kefu.core.forms import apply_error
from kefu.core.htmx import render_page
from kefu.core.paging import BoundedPage, query_without_page
from kefu.core.scoping import access
from kefu.core.steps import run_step
from kefu.timeline.queries import events_for, present
from kefu.visits import queries, services, story
from kefu.visits.choices import VisitStatus
from kefu.visits.forms import (
    AnswerForm,
    PeriodForm,
    PlanVisitForm,
    ReceptionForm,
    RecordVisitForm,
    RuleForm,
    StepForm,
)
from kefu.visits.models import Reception, ReceptionQuestion, Visit, VisitRule
from kefu.workflow.engine import available_transitions
from kefu.worktime import clock


def _access(qs_or_model, request, pk):
    try:
        return access(qs_or_model, request.user, pk)
    except NotFound:
        raise Http404 from None


def _masked(user) -> bool:
    from kefu.customers.queries import can_see_personal_data

    return not can_see_personal_data(user)


@login_required
@permission_required("visits.view_visit", raise_exception=True)
def my_visits(request):
    """我的待回访: the visits I own that are still to do, with their clocks."""
    page = BoundedPage(queries.my_visits_due(request.user), request.GET.get("page"))
    context = {
        "page": page,
        "rows": queries.present_visits(page.object_list),
        "query": query_without_page(request),
        "title": _("My visits due"),
        "mine": True,
    }
    return render_page(request, "visits/visit_list.html", "visits/partials/visit_table.html", context)


@login_required
@permission_required("visits.view_visit", raise_exception=True)
def visit_list(request):
    qs = queries.visits_for(request.user)
    status = request.GET.get("status", VisitStatus.PLANNED)
    if status in VisitStatus.values:
        qs = qs.filter(status=status)
    page = BoundedPage(qs, request.GET.get("page"))
    context = {
        "page": page,
        "rows": queries.present_visits(page.object_list),
        "query": query_without_page(request),
        "title": _("Return visits"),
        "status": status,
        "statuses": VisitStatus.choices,
    }
    return render_page(request, "visits/visit_list.html", "visits/partials/visit_table.html", context)


@login_required
@permission_required("visits.view_visit", raise_exception=True)
def visit_detail(request, pk: int):
    visit = _access(Visit.objects.select_related(*queries.LIST_RELATED, "rule", "performed_by"), request, pk)
    form = None
    if visit.status == VisitStatus.PLANNED and request.user.has_perm("visits.change_visit"):
        form = RecordVisitForm(
            initial={"version": visit.version, "method": visit.method, "performed_at": clock.now()},
            user=request.user,
        )
    return _detail(request, visit, form)


def _detail(request, visit, form, status: int = 200):
    context = {
        "v": visit,
        "row": queries.present_visits([visit])[0],
        "form": form,
        "card": services.present_card(visit.card, request.user, visit.customer),
        "follow_ups": visit.follow_ups.select_related("owner", "notification", "complaint"),
        "events": present(events_for(visit), masked=_masked(request.user)),
    }
    return render(request, "visits/visit_detail.html", context, status=status)


@login_required
@permission_required("visits.change_visit", raise_exception=True)
def visit_record(request, pk: int):
    visit = _access(Visit.objects.select_related(*queries.LIST_RELATED), request, pk)
    if request.method != "POST":
        return redirect("visits:detail", visit.pk)
    form = RecordVisitForm(request.POST, user=request.user)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.record_visit(
                visit,
                actor=request.user,
                expected_version=d["version"],
                performed_at=d.get("performed_at"),
                method=d["method"],
                contact_person=d.get("contact_person") or "",
                summary=d["summary"],
                needs=d.get("needs") or "",
                satisfaction=d.get("satisfaction"),
                card=form.card(),
                follow_ups=form.follow_ups(),
            )
        except KefuError as exc:
            apply_error(form, exc)
            visit.refresh_from_db()
        else:
            made = visit.follow_ups.count()
            messages.success(request, _("Visit recorded; %(count)s follow-up(s) created.") % {"count": made})
            return redirect("visits:detail", visit.pk)
    return _detail(request, visit, form, status=400)


@login_required
@permission_required("visits.add_visit", raise_exception=True)
def visit_plan(request):
    initial = {"customer": request.GET.get("customer", ""), "method": "phone"}
    form = PlanVisitForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            visit = services.plan_visit(
                actor=request.user,
                customer=d["customer"],
                due_at=d["due_at"],
                method=d["method"],
                owner=d.get("owner"),
                reason=d.get("reason") or "",
            )
        except KefuError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Visit planned."))
            return redirect("visits:detail", visit.pk)
    return render(
        request,
        "complaints/form.html",
        {"form": form, "title": _("Plan a return visit"), "back": "visits:mine"},
    )


@login_required
@permission_required("visits.view_visitrule", raise_exception=True)
def rule_list(request):
    return render(request, "visits/rules.html", {"rules": queries.rules()})


@login_required
@permission_required("visits.change_visitrule", raise_exception=True)
def rule_form(request, pk: int | None = None):
    rule = get_object_or_404(VisitRule, pk=pk) if pk else None
    form = RuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_rule(
                actor=request.user,
                rule=rule,
                expected_version=form.cleaned_data["version"] if rule else None,
                **{k: form.cleaned_data[k] for k in RuleForm.Meta.fields},
            )
        except KefuError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Rule saved."))
            return redirect("visits:rules")
    title = _("Change return-visit rule") if rule else _("New return-visit rule")
    return render(request, "complaints/form.html", {"form": form, "title": title, "back": "visits:rules"})


@login_required
@permission_required("visits.add_visit", raise_exception=True)
@require_POST
def generate(request):
    result = services.generate_visits()
    closed = services.plan_after_closed_complaints()
    messages.success(
        request,
        _("%(period)s: %(created)s visits planned from the rules, %(closed)s after closed complaints.")
        % {"period": result.period, "created": result.created, "closed": closed},
    )
    return redirect("visits:list")


@login_required
@permission_required("visits.view_visit_report", raise_exception=True)
def work_report(request):
    form = PeriodForm(request.GET or None)
    start, end = form.period(clock.now().astimezone(queries.SH).date())
    data = queries.work_report(request.user, start, end)
    chart = {
        "names": [r["name"] for r in data["rows"]],
        "done": [r["done"] for r in data["rows"]],
        "open": [r["open"] for r in data["rows"]],
        "overdue": [r["overdue"] for r in data["rows"]],
    }
    return render(request, "visits/report.html", {"form": form, "data": data, "chart": chart})


@login_required
@permission_required("customers.view_customer", raise_exception=True)
def customer_story(request, pk: int):
    from kefu.customers.models import Customer

    customer = _access(Customer, request, pk)
    items = story.customer_story(customer, request.user)
    context = {"customer": customer, "items": items}
    return render_page(request, "visits/story.html", "visits/partials/story_items.html", context)


# --- receptions -----------------------------------------------------------------------------
@login_required
@permission_required("visits.view_reception", raise_exception=True)
def reception_list(request):
    page = BoundedPage(queries.receptions_for(request.user), request.GET.get("page"))
    context = {
        "page": page,
        "rows": page.object_list,
        "questions": queries.open_questions(request.user)[:50],
        "query": query_without_page(request),
        "today": clock.now().astimezone(queries.SH).date(),
    }
    return render(request, "visits/reception_list.html", context)


@login_required
@permission_required("visits.add_reception", raise_exception=True)
def reception_create(request):
    form = ReceptionForm(request.POST or None, initial={"started_at": clock.now()}, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            reception = services.create_reception(
                actor=request.user,
                customer=form.cleaned_data["customer"],
                questions=form.questions(),
                **form.fields_for_service(),
            )
        except KefuError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Reception %(number)s recorded.") % {"number": reception.number})
            return redirect("visits:reception_detail", reception.pk)
    return render(
        request,
        "complaints/form.html",
        {"form": form, "title": _("Record a reception"), "back": "visits:receptions"},
    )


@login_required
@permission_required("visits.view_reception", raise_exception=True)
def reception_detail(request, pk: int):
    reception = _access(queries.receptions_for(request.user), request, pk)
    return _reception_page(request, reception, StepForm(initial={"version": reception.version}))


def _reception_page(request, reception, step_form, status: int = 200):
    context = {
        "r": reception,
        "questions": reception.questions.all(),
        "transitions": available_transitions(reception, request.user)
        if request.user.has_perm("visits.change_reception")
        else [],
        "step_form": step_form,
        "answer_form": AnswerForm(),
        "events": present(events_for(reception), masked=_masked(request.user)),
    }
    return render(request, "visits/reception_detail.html", context, status=status)


@login_required
@permission_required("visits.change_reception", raise_exception=True)
@require_POST
def reception_step(request, pk: int, to: str):
    reception = _access(queries.receptions_for(request.user), request, pk)
    form = StepForm(request.POST)
    if form.is_valid():
        done, _status = run_step(
            request,
            reception,
            to,
            form,
            do=services.transition_reception,
            inputs={"review_note": form.cleaned_data.get("review_note") or ""},
            back_url=reverse("visits:reception_detail", args=[reception.pk]),
            done=_("Status changed."),
        )
        if done is not None:
            return done
    # The step is asked from the reception's page: the page again, the refusal on its form.
    reception.refresh_from_db()
    return _reception_page(request, reception, form, status=400)


@login_required
@permission_required("visits.change_reception", raise_exception=True)
@require_POST
def question_answer(request, pk: int):
    question = _question(request, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer_question(question, actor=request.user, answer=form.cleaned_data["answer"])
        except KefuError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Answer recorded."))
    else:
        messages.error(request, _("Write the answer given to the customer."))
    return redirect("visits:reception_detail", question.reception_id)


def _question(request, pk: int) -> ReceptionQuestion:
    question = ReceptionQuestion.objects.select_related("reception").filter(pk=pk).first()
    if (
        question is None
        or not Reception.objects.visible_to(request.user).filter(pk=question.reception_id).exists()
    ):
        raise Http404
    return question
