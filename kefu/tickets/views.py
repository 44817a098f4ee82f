"""Notification pages: worklist (IW59), create (IW51), detail/change (IW52), work plan (ZSMR006).
Thin: parse, access, call a service or query, render; domain errors go next to their fields."""

from __future__ import annotations

import datetime as dt
from functools import partial
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kefu.core import jinja
from kefu.core.errors import KefuError, NotFound, ValidationFailed
from kefu.core.forms import apply_error, bootstrap, rendered_fields
from kefu.core.htmx import render_page, safe_next
from kefu.core.paging import BoundedPage, query_without_page
from kefu.core.paging import page_number as page_number_of
from kefu.core.steps import step_page
from kefu.core.validation import CONTROL_CHARACTERS, check_text, is_number, posted_ids, posted_version
from kefu.tickets import queries, services
from kefu.tickets.cells import worklist_lines
from kefu.tickets.exports import worklist_xlsx
from kefu.tickets.filtersets import NotificationFilter
from kefu.tickets.forms import (
    AttachmentForm,
    DisputeForm,
    DisputeRulingForm,
    DisputeWithdrawForm,
    ItemForm,
    MailForm,
    NotificationForm,
    TextForm,
)
from kefu.tickets.models import Item, Notification, SavedView
from kefu.workflow.choices import Stage

COLUMN_LABELS = {
    "number": gettext_lazy("Notification"),
    "type": gettext_lazy("Type"),
    "status": gettext_lazy("User status"),
    "stage": gettext_lazy("System status"),
    "description": gettext_lazy("Description"),
    "customer": gettext_lazy("Customer"),
    "object_address": gettext_lazy("Object address"),
    "contact_phone": gettext_lazy("Contact phone"),
    "work_centre": gettext_lazy("Main work centre"),
    "responsible": gettext_lazy("Person responsible"),
    "sales_office": gettext_lazy("Responsibility centre"),
    "priority": gettext_lazy("Priority"),
    "required_start": gettext_lazy("Required start"),
    "required_end": gettext_lazy("Required end"),
    "created_at": gettext_lazy("Created"),
    "reference_document": gettext_lazy("Reference document"),
    "payment_status": gettext_lazy("Payment status"),
    "clock": gettext_lazy("Time left"),
}


def _notification(request, pk) -> Notification:
    try:
        return services.access_notification(request.user, pk)
    except NotFound:
        raise Http404 from None


def _fail(request, exc: KefuError) -> None:
    detail = "; ".join(f"{k}: {', '.join(v)}" for k, v in exc.fields.items() if k != "__all__")
    messages.error(request, f"{exc.message}{' (' + detail + ')' if detail else ''}")


@login_required
@permission_required("tickets.view_notification", raise_exception=True)
def worklist(request: HttpRequest) -> HttpResponse:
    params = request.GET.copy()
    view = None
    if "view" in params:
        view = SavedView.objects.filter(owner=request.user, pk=params.get("view") or 0).first()
        if view is not None:
            params = QueryDict(view.query, mutable=True)
    columns = [c for c in (params.getlist("col") or (view.columns if view else [])) if c in queries.COLUMNS]
    columns = columns or queries.DEFAULT_COLUMNS
    page_number = page_number_of(params.get("page"))
    try:
        page = BoundedPage(
            queries.worklist(request.user, params),
            params.get("page"),
            fetch=queries.row_fetch(params, request.user),
        )
        rows, has_next = page.object_list, page.has_next
        filter_errors: dict = {}
    except ValidationFailed as exc:
        rows, has_next, filter_errors = [], False, exc.fields
    query = params.copy()
    query.pop("page", None)
    chosen_stages = set(params.getlist("stage"))
    labels = {name: f.label for name, f in NotificationFilter.base_filters.items()}
    context = {
        "filter": {"data": params},
        "lines": worklist_lines(rows, columns),
        "columns": columns,
        "headers": [COLUMN_LABELS[c] for c in columns],
        "column_options": [(c, COLUMN_LABELS[c], c in columns) for c in queries.COLUMNS],
        "stage_options": [(value, label, value in chosen_stages) for value, label in Stage.choices],
        "page_number": page_number,
        "has_next": has_next,
        "query": query.urlencode(),
        "views": SavedView.objects.filter(owner=request.user),
        "current_view": view,
        "technicians": _technicians(request.user),
        "filter_errors": [
            f"{labels.get(name) or name}: {message}"
            for name, msgs in filter_errors.items()
            for message in msgs
        ],
    }
    return jinja.render_page(
        request, "tickets/worklist.html", "tickets/partials/worklist_table.html", context
    )


def _technicians(user) -> list[tuple[int, str]]:
    """The people the bulk "assign" offers: the same for every page of a user, so buffered
    (staff, roles and memberships are watched)."""
    from kefu.core import buffer
    from kefu.org.models import Staff

    def load() -> list[tuple[int, str]]:
        technicians = (
            Staff.objects.visible_to(user)
            .filter(is_active=True, user__groups__role__code="technician")
            .distinct()
        )
        return [(t.pk, str(t)) for t in technicians]

    return buffer.get(f"tickets.technicians:{user.pk}:{int(user.is_superuser)}", load)


@login_required
@require_POST
@permission_required("tickets.view_notification", raise_exception=True)
def save_view(request: HttpRequest) -> HttpResponse:
    name = request.POST.get("name", "").strip()[:60]
    if not name:
        messages.error(request, _("Give the view a name."))
        return redirect("tickets:worklist")
    query = request.POST.get("query", "")
    try:
        check_text(name=name, query=query)
    except KefuError as exc:
        _fail(request, exc)
        return redirect("tickets:worklist")
    columns = [c for c in request.POST.getlist("col") if c in queries.COLUMNS]
    view, _created = SavedView.objects.update_or_create(
        owner=request.user, name=name, defaults={"query": query[:1000], "columns": columns}
    )
    messages.success(request, _("View “%(name)s” saved.") % {"name": name})
    return redirect(f"{request.build_absolute_uri('/notifications/')}?view={view.pk}")


@login_required
@require_POST
@permission_required("tickets.assign_notification", raise_exception=True)
def bulk(request: HttpRequest) -> HttpResponse:
    """Bulk actions on the selected rows: assign, print the work plan, export."""
    ids = posted_ids(request.POST.getlist("ids"))
    action = request.POST.get("action")
    chosen_qs = Notification.objects.visible_to(request.user).filter(pk__in=ids)
    chosen = list(chosen_qs.select_related("responsible"))
    if not chosen:
        messages.error(request, _("Select at least one notification."))
        return redirect("tickets:worklist")
    if action == "workplan":
        return redirect(
            f"{request.build_absolute_uri('/notifications/work-plan/')}?"
            + urlencode([("id", n.pk) for n in chosen])
        )
    if action == "export":
        return worklist_xlsx(
            queries.read_rows(chosen_qs.order_by("-urgent", "-created_at", "-id"), request.user), request.user
        )
    if action == "assign":
        from kefu.org.models import Staff

        raw = request.POST.get("responsible", "").strip()
        # "—" (empty) takes the person off; any other value must be a person the user may choose:
        # an unknown or foreign id is refused, never read as "nobody" (that emptied every row).
        staff = Staff.objects.filter(pk=int(raw)).first() if is_number(raw) else None
        try:
            if raw and staff is None:
                refused = _("You may not choose this: it is outside your responsibility centres.")
                raise ValidationFailed(refused, fields={"responsible": [refused]})
            count = services.assign(actor=request.user, notifications=chosen, responsible=staff)
        except KefuError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("%(count)d notifications assigned.") % {"count": count})
    return redirect(safe_next(request, reverse("tickets:worklist")))


@login_required
@permission_required("tickets.export_notification", raise_exception=True)
def export(request: HttpRequest) -> HttpResponse:
    """The worklist's selection as .xlsx (same filters as the page), streamed; a big one is
    written in the background with its progress shown (kefu.core.exports)."""
    from kefu.core.exports import export_response

    try:
        return export_response(request, "tickets.worklist")
    except ValidationFailed as exc:
        messages.error(request, str(exc.message))
        return redirect(f"{reverse('tickets:worklist')}?{request.GET.urlencode()}")


@login_required
@permission_required("tickets.add_notification", raise_exception=True)
def create(request: HttpRequest) -> HttpResponse:
    form = NotificationForm(request.POST or None, user=request.user, initial=_initial(request))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            n = services.create_notification(actor=request.user, **data)
        except KefuError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Notification %(number)s created.") % {"number": n.number})
            return redirect("tickets:detail", pk=n.pk)
    return render(request, "tickets/form.html", {"form": form, "creating": True})


def _initial(request) -> dict:
    initial = {}
    if request.GET.get("customer"):
        initial["customer"] = request.GET["customer"]
    # Prefilled from a call's screen pop (kefu.contacts): who called, and on which number.
    for name in ("contact_name", "contact_phone"):
        if request.GET.get(name):
            initial[name] = request.GET[name][:50]
    return initial


@login_required
@permission_required("tickets.view_notification", raise_exception=True)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    n = _notification(request, pk)
    return _detail_page(request, n)


def _detail_page(request, n, *, status: int = 200, **forms) -> HttpResponse:
    """The notification page, rendered by Jinja2 (kefu.core.jinja): the desk's most opened page
    spent most of its server time in the Django engine's per-variable work."""
    context = _detail_context(request, n, **forms)
    response = jinja.render_page(request, "tickets/detail.html", "tickets/detail.html", context)
    response.status_code = status
    return response


def _detail_context(request, n, **forms) -> dict:
    from django.contrib.auth.context_processors import PermWrapper

    from kefu.field.queries import appointment_card
    from kefu.knowledge.queries import desk_panel
    from kefu.portal.queries import conversation

    user = request.user
    context = queries.detail_context(n, user)
    cards = context["cards"]  # which of the mostly empty cards have rows (one query)
    # Unbound forms as factories: built only when the user's rendered fields are not buffered.
    page_forms = {
        "text_form": forms.get("text_form") or TextForm,
        "item_form": forms.get("item_form") or ItemForm,
        "attachment_form": forms.get("attachment_form") or AttachmentForm,
        "mail_form": forms.get("mail_form") or partial(MailForm, user=request.user),
    }
    context.update(
        {name: form for name, form in forms.items() if form is not None},  # bound: its errors
        fields=rendered_fields(f"tickets.detail:{request.user.pk}", page_forms),
        datalists=_catalogue_datalists(),
        perms=PermWrapper(user),
        # the cards other apps add to the page (field service, portal messages, knowledge)
        **appointment_card(n, user, exists=cards["appointment"]),
        portal_messages=conversation(n) if cards["portal_messages"] else [],
        knowledge=desk_panel(n, user, has_solutions=cards["solutions"]),
    )
    return context


def _catalogue_datalists() -> SafeString:
    """The code pickers of the item form (product types, colours, materials, reasons): catalogue
    data, the same on every notification page, so built once and kept in the buffer."""
    from kefu.catalog.models import ColourCode, Material, ProductType, ReasonCode
    from kefu.core import buffer

    def build() -> SafeString:
        lists = [
            ("dl-ptype", ProductType.objects.filter(is_active=True)),
            ("dl-colour", ColourCode.objects.filter(is_active=True)),
            ("dl-material", Material.objects.filter(is_active=True)[:500]),
            ("dl-reason", ReasonCode.objects.filter(is_active=True)),
        ]
        return format_html_join(
            "\n",
            '<datalist id="{}">{}</datalist>',
            (
                (
                    list_id,
                    format_html_join("", '<option value="{}">{}</option>', ((x.code, x.name) for x in rows)),
                )
                for list_id, rows in lists
            ),
        )

    return buffer.get("tickets.catalogue_datalists", build)


@login_required
@permission_required("tickets.change_notification", raise_exception=True)
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    n = _notification(request, pk)
    masked = not queries.can_see_personal_data(request.user) and not queries.assigned_work_ids(
        request.user, [n]
    )
    form = NotificationForm(request.POST or None, instance=n, user=request.user, editing=True, masked=masked)
    if request.method == "POST":
        seen = request.POST.get("version")
        fresh = _notification(request, pk)
        if form.is_valid():
            changes = form.changes(skip=("version",))
            try:
                services.update_notification(
                    actor=request.user,
                    notification=fresh,
                    expected_version=posted_version(seen),
                    **changes,
                )
            except KefuError as exc:
                apply_error(form, exc)
            else:
                messages.success(request, _("Notification %(number)s saved.") % {"number": n.number})
                return redirect("tickets:detail", pk=n.pk)
    return render(request, "tickets/form.html", {"form": form, "creating": False, "n": n})


@login_required
@require_POST
@permission_required("tickets.transition_notification", raise_exception=True)
def change_status(request: HttpRequest, pk: int) -> HttpResponse:
    n = _notification(request, pk)
    inputs = {k: v for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", "to", "version")}
    seen = request.POST.get("version")
    try:
        outcome = services.change_status(
            actor=request.user,
            notification=n,
            to=request.POST.get("to", ""),
            inputs=inputs,
            expected_version=posted_version(seen),
        )
    except KefuError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("Status changed to %(status)s.") % {"status": outcome.to_status})
    return redirect("tickets:detail", pk=n.pk)


@login_required
@require_POST
@permission_required("tickets.change_notification", raise_exception=True)
def add_text(request: HttpRequest, pk: int) -> HttpResponse:
    n = _notification(request, pk)
    form = TextForm(request.POST)
    if form.is_valid():
        try:
            services.add_text(actor=request.user, notification=n, text=form.cleaned_data["text"])
        except KefuError as exc:
            _fail(request, exc)
        return redirect(f"/notifications/{n.pk}/#long-text")
    return _detail_page(request, n, text_form=form)


@login_required
@require_POST
@permission_required("tickets.change_notification", raise_exception=True)
def add_item(request: HttpRequest, pk: int) -> HttpResponse:
    n = _notification(request, pk)
    form = ItemForm(request.POST)
    if form.is_valid():
        try:
            services.add_item(actor=request.user, notification=n, **form.cleaned_data)
        except KefuError as exc:
            for name, errors in exc.fields.items():
                field = name.rsplit(".", 1)[-1]
                form.add_error(field if field in form.fields else None, "; ".join(errors))
            if not exc.fields:
                form.add_error(None, str(exc.message))
        else:
            return redirect(f"/notifications/{n.pk}/#items")
    return _detail_page(request, n, status=400, item_form=form)


@login_required
@require_POST
@permission_required("tickets.change_notification", raise_exception=True)
def remove_item(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    n = _notification(request, pk)
    item = Item.objects.filter(notification=n, pk=item_id).first()
    if item is None:
        raise Http404
    try:
        services.remove_item(actor=request.user, item=item)
    except KefuError as exc:
        _fail(request, exc)
    return redirect(f"/notifications/{n.pk}/#items")


@login_required
@require_POST
@permission_required("tickets.change_notification", raise_exception=True)
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    n = _notification(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_attachment(actor=request.user, notification=n, upload=form.cleaned_data["file"])
        except KefuError as exc:
            form.add_error("file", str(exc.message))
        else:
            return redirect(f"/notifications/{n.pk}/#attachments")
    return _detail_page(request, n, status=400, attachment_form=form)


@login_required
@permission_required("tickets.view_notification", raise_exception=True)
def attachment(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    from django.http import FileResponse

    n = _notification(request, pk)
    found = n.attachments.filter(pk=attachment_id).first()
    if found is None:
        raise Http404
    if not queries.sees_unmasked(n, request.user) and found.pk in queries.signature_attachment_ids(n):
        raise Http404  # a customer's signature is personal data: not for a masked reader
    try:
        handle = found.file.open("rb")
    except FileNotFoundError:  # the record outlived its file (restored database, cleaned disk)
        raise Http404 from None
    return FileResponse(handle, filename=found.name, content_type=found.content_type)


@login_required
@require_POST
@permission_required("tickets.mail_notification", raise_exception=True)
def mail(request: HttpRequest, pk: int) -> HttpResponse:
    n = _notification(request, pk)
    form = MailForm(request.POST, user=request.user)
    if form.is_valid():
        to = [a.strip() for a in form.cleaned_data["to"].split(",") if a.strip()]
        try:
            services.mail_to_department(
                actor=request.user,
                notification=n,
                department=form.cleaned_data["department"],
                to=to,
                note=form.cleaned_data["note"],
            )
        except KefuError as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("The mail is on its way; it is recorded on the timeline."))
    return redirect(f"/notifications/{n.pk}/#timeline")


@login_required
@permission_required("tickets.view_notification", raise_exception=True)
def work_plan(request: HttpRequest) -> HttpResponse:
    """Work plan 工作计划表 (ZSMR006), printable on A4."""
    return render(request, "tickets/work_plan.html", _work_plan_context(request))


@login_required
@permission_required("tickets.view_notification", raise_exception=True)
def work_plan_pdf(request: HttpRequest) -> HttpResponse:
    """The work plan printed to PDF on the server (kefu.core.pdf); without chromium, the page
    with its print stylesheet and the reason (503)."""
    from django.utils import timezone

    from kefu.core.pdf import pdf_response

    context = _work_plan_context(request)
    day = context["date_from"] or timezone.localdate()
    return pdf_response(
        request,
        "tickets/work_plan_pdf.html",
        context,
        filename=f"{_('Work plan')}_{day:%Y%m%d}.pdf",
        fallback_template="tickets/work_plan.html",
    )


def _work_plan_context(request: HttpRequest) -> dict:
    def date(name):
        try:
            return dt.date.fromisoformat(request.GET.get(name, ""))
        except ValueError:
            return None

    ids = posted_ids(request.GET.getlist("id"))
    # A code with a control character names no centre or person (and PostgreSQL refuses a NUL).
    work_centre = CONTROL_CHARACTERS.sub("", request.GET.get("work_centre", "")).strip()
    technician = CONTROL_CHARACTERS.sub("", request.GET.get("technician", "")).strip()
    date_from, date_to = date("from"), date("to")
    rows = []
    if ids or work_centre or technician:
        rows = queries.work_plan(
            request.user,
            work_centre=work_centre,
            technician=technician,
            date_from=date_from,
            date_to=date_to,
            ids=ids,
        )
    from kefu.billing.queries import reports_for
    from kefu.field.queries import appointments_for

    reports = reports_for(n.pk for n in rows) if rows else {}
    appointments = appointments_for(n.pk for n in rows)
    presented = queries.present_for_work(rows, request.user, where="work_plan")
    context = {
        "rows": presented,
        "lines": [(row, reports.get(row.id, []), appointments.get(row.id)) for row in presented],
        "work_centre": work_centre,
        "technician": technician,
        "date_from": date_from,
        "date_to": date_to,
        "technicians": _technicians(request.user),
        "query": request.GET.urlencode(),
    }
    return context


# --- 跨部门协作 cross-department disputes (seed 004) -------------------------------------------
@login_required
@permission_required("tickets.view_dispute", raise_exception=True)
def dispute_list(request: HttpRequest) -> HttpResponse:
    from kefu.tickets.filtersets import DisputeFilter

    filterset = DisputeFilter(request.GET or None, queryset=queries.disputes_for(request.user))
    bootstrap(filterset.form)
    page = BoundedPage(filterset.qs, request.GET.get("page"))
    context = {"filter": filterset, "page": page, "query": query_without_page(request)}
    return render_page(request, "tickets/dispute_list.html", "tickets/partials/dispute_table.html", context)


@login_required
@permission_required("tickets.add_dispute", raise_exception=True)
def dispute_create(request: HttpRequest) -> HttpResponse:
    """Submit a disagreement to the office; from a notification's page the notification and the
    submitter's department are filled in."""
    staff = getattr(request.user, "staff", None)
    initial = {
        "notification": request.GET.get("notification", "")[:20],
        "requesting_department": getattr(getattr(staff, "department", None), "code", None),
    }
    form = DisputeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        notification = queries.notification_by_number(request.user, data["notification"])
        if notification is None:
            form.add_error("notification", _("No notification with this number that you may see."))
        else:
            try:
                dispute = services.submit_dispute(
                    actor=request.user,
                    notification=notification,
                    requesting_department=data["requesting_department"],
                    other_departments=list(data["other_departments"]),
                    issue=data["issue"],
                    positions=data["positions"],
                    supervising_department=data["supervising_department"],
                )
            except KefuError as exc:
                apply_error(form, exc)
            else:
                messages.success(request, _("The disagreement is submitted to the office."))
                return redirect("tickets:dispute_detail", dispute.pk)
    return render(
        request,
        "tickets/dispute_form.html",
        {
            "form": form,
            "title": _("Submit a disagreement to the office"),
            "submit": _("Submit"),
            "back": "tickets:dispute_list",
        },
    )


def _dispute(request, pk: int):
    try:
        return queries.dispute_for(request.user, pk)
    except NotFound:
        raise Http404 from None


@login_required
@permission_required("tickets.view_dispute", raise_exception=True)
def dispute_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from kefu.workflow.engine import available_transitions

    dispute = _dispute(request, pk)
    context = {
        "d": dispute,
        "transitions": available_transitions(dispute, request.user)
        if dispute.status.stage in Stage.open_values()
        else [],
        "events": queries.dispute_history(dispute),
    }
    return render(request, "tickets/dispute_detail.html", context)


@login_required
@permission_required("tickets.view_dispute", raise_exception=True)
def dispute_step(request: HttpRequest, pk: int, to: str) -> HttpResponse:
    """The office's ruling (YCJ), or a withdrawal (YCH): the step's form, then the one service."""
    dispute = _dispute(request, pk)

    def form_for(target, choice, data) -> DisputeRulingForm | DisputeWithdrawForm:
        initial = {"version": dispute.version}
        if target.stage == Stage.CANCELLED:
            return DisputeWithdrawForm(data, initial=initial)
        return DisputeRulingForm(data, initial=initial, user=request.user)

    def rule(d, to: str, **step) -> None:
        services.rule_dispute(dispute=d, to=to, **step)

    return step_page(
        request,
        dispute,
        to,
        form_for=form_for,
        do=rule,
        back_url=reverse("tickets:dispute_detail", args=[dispute.pk]),
        heading=dispute.notification.number,
        template="tickets/dispute_form.html",
        context={"d": dispute},
    )
