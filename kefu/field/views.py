"""Pages of field service: the technician app (PWA: today, one job, manifest, service worker) and
the appointment form on the notification page. Thin: parse, check, call a query or service."""

from __future__ import annotations

import datetime as dt
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.errors import KefuError, NotFound, ValidationFailed
from kefu.core.validation import query_int
from kefu.field import queries, services
from kefu.field.choices import Slot, StepKind
from kefu.tickets.services import access_notification as _access


def access_notification(user, pk: int):
    try:
        return _access(user, pk)
    except NotFound:
        raise Http404 from None


USE_APP = "field.add_fieldstep"
# Bump when the app shell (CSS, JS, service worker) changes: old caches are dropped.
APP_VERSION = "field-1"


def _day(request: HttpRequest) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return timezone.localdate()


@login_required
@permission_required(USE_APP, raise_exception=True)
def today(request: HttpRequest) -> HttpResponse:
    """Today's jobs 今日任务 in appointment order (the app's start page, cached for offline)."""
    day = _day(request)
    jobs = queries.today_jobs(request.user, day)
    return render(request, "field/today.html", {"jobs": jobs, "day": day, "app_version": APP_VERSION})


@login_required
@permission_required(USE_APP, raise_exception=True)
def job(request: HttpRequest, pk: int) -> HttpResponse:
    """One job: address and phone (need-to-know, logged), items, long text and the step buttons."""
    n = access_notification(request.user, pk)
    from kefu.catalog.models import Material

    materials = list(Material.objects.filter(is_active=True).order_by("code").values("code", "name")[:300])
    context = {
        "job": queries.job(request.user, n),
        "own": services.is_own_work(request.user, n),
        "materials": materials,
        "kinds": StepKind,
        "slots": Slot.choices,
        "app_version": APP_VERSION,
    }
    return render(request, "field/job.html", context)


def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest: installable from the browser, opens on today's jobs."""
    data = {
        "name": _("Kefu field service"),
        "short_name": _("Field service"),
        "start_url": "/field/",
        "scope": "/field/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1f4e79",
        "lang": "zh-CN",
        "icons": [{"src": static("favicon.svg"), "sizes": "any", "type": "image/svg+xml"}],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served under /field/ so its scope is the app (no personal data in it)."""
    shell = ["/field/", static("field/field.css"), static("field/app.js"), "/field/manifest.webmanifest"]
    body = render(request, "field/sw.js", {"version": APP_VERSION, "shell": json.dumps(shell)}).content
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@login_required
@require_POST
@permission_required("field.change_appointment", raise_exception=True)
def appointment(request: HttpRequest, pk: int) -> HttpResponse:
    """Set the visit window from the notification page (assistant) or the job page (technician)."""
    n = access_notification(request.user, pk)
    try:
        date = dt.date.fromisoformat(request.POST.get("date", ""))
    except ValueError:
        date = None
    version = request.POST.get("version", "")
    try:
        services.set_appointment(
            actor=request.user,
            notification=n,
            date=date,
            slot=request.POST.get("slot", ""),
            note=request.POST.get("note", ""),
            expected_version=query_int(version),
            notify_customer=request.POST.get("notify_customer") == "1",
        )
    except KefuError as exc:
        messages.error(
            request, " ".join([str(exc.message), *[str(m) for v in exc.fields.values() for m in v]])
        )
    else:
        messages.success(request, _("The appointment is saved."))
    back = request.POST.get("next", "")
    return redirect(
        back if back in (f"/field/jobs/{n.pk}/", f"/notifications/{n.pk}/") else f"/notifications/{n.pk}/"
    )


def _error_text(exc: KefuError) -> str:
    return " ".join([str(exc.message), *[str(m) for v in exc.fields.values() for m in v]])


def _centre_and_day(request: HttpRequest):
    from kefu.org.scope import usable_work_centres

    centres = list(usable_work_centres(request.user).order_by("code"))
    code = (request.POST.get("work_centre") or request.GET.get("work_centre") or "").strip()
    centre = next((c for c in centres if c.code == code), centres[0] if centres else None)
    raw = request.POST.get("day") or request.GET.get("day") or ""
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        day = timezone.localdate()
    return centres, centre, day


@login_required
@permission_required("tickets.assign_notification", raise_exception=True)
def dispatch_board(request: HttpRequest) -> HttpResponse:
    """Dispatch board 派工台 of one work centre and day: open work beside the technicians, with
    ranked proposals and why."""
    centres, centre, day = _centre_and_day(request)
    lines, technicians = queries.dispatch_board(request.user, centre, day) if centre else ([], [])
    context = {
        "centres": centres,
        "centre": centre,
        "day": day,
        "lines": lines,
        "technicians": technicians,
        "slots": Slot.choices,
    }
    return render(request, "field/dispatch.html", context)


@login_required
@require_POST
@permission_required("tickets.assign_notification", raise_exception=True)
def dispatch_assign(request: HttpRequest) -> HttpResponse:
    """Assign by click (one line), or accept every proposal of the board (`all`)."""
    from kefu.org.models import Staff

    _centres, centre, day = _centre_and_day(request)
    back = f"/field/dispatch/?work_centre={centre.code if centre else ''}&day={day.isoformat()}"
    try:
        if request.POST.get("all") and centre is not None:
            lines, _techs = queries.dispatch_board(request.user, centre, day)
            made = services.accept_proposals(actor=request.user, user_lines=lines, day=day)
            messages.success(request, _("%(n)d notifications dispatched.") % {"n": made})
        else:
            pk = query_int(request.POST.get("notification"))
            if pk is None:
                raise ValidationFailed(fields={"notification": [_("This field is required.")]})
            n = access_notification(request.user, pk)
            tech_id = query_int(request.POST.get("technician"))
            technician = Staff.objects.filter(pk=tech_id).first() if tech_id is not None else None
            services.dispatch(
                actor=request.user,
                notification=n,
                technician=technician,
                day=day,
                slot=request.POST.get("slot", "") or Slot.MORNING,
            )
            messages.success(request, _("Dispatched."))
    except KefuError as exc:
        messages.error(
            request, " ".join([str(exc.message), *[str(m) for v in exc.fields.values() for m in v]])
        )
    return redirect(back)


@login_required
@permission_required("tickets.view_notification", raise_exception=True)
def service_form(request: HttpRequest, pk: int) -> HttpResponse:
    """The service form 家具服务单 / 客户服务验收确认 as a printable A4 page (the PDF's own HTML)."""
    n = access_notification(request.user, pk)
    form = queries.service_form(request.user, n)
    return render(request, "field/service_form.html", {"f": form, "for_pdf": False})


@login_required
@permission_required("tickets.view_notification", raise_exception=True)
def service_form_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The service form printed to PDF on the server (503 with the printable page without chromium)."""
    from kefu.core.pdf import pdf_response

    n = access_notification(request.user, pk)
    form = queries.service_form(request.user, n)
    filename = f"{_('Furniture service form')}_{n.number}.pdf"
    return pdf_response(request, "field/service_form.html", {"f": form}, filename=filename)
