"""The shell's pages: home, login, health and the error pages."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _

from kefu.core.forms import LoginForm
from kefu.core.homepage import home_context


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", home_context(request.user))


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _api_error(request, error) -> JsonResponse | None:
    """Under /api/ every error is the API's JSON envelope, even when no route matched."""
    if request.path.startswith("/api/"):
        return JsonResponse(error.as_dict(), status=error.status)
    return None


def bad_request(request, exception=None):
    from kefu.core.errors import ValidationFailed

    return _api_error(request, ValidationFailed()) or render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    from kefu.core.errors import PermissionDenied

    return _api_error(request, PermissionDenied()) or render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    from kefu.core.errors import NotFound

    return _api_error(request, NotFound()) or render(request, "errors/404.html", status=404)


def server_error(request):
    from kefu.core.errors import KefuError

    error = KefuError(_("An unexpected error occurred. It has been logged."), code="server_error")
    error.status = 500
    return _api_error(request, error) or render(request, "errors/500.html", status=500)


def _own_export(request: HttpRequest, pk: int):
    from django.http import Http404

    from kefu.core.models import ExportJob

    job = ExportJob.objects.filter(pk=pk, owner_id=request.user.pk).first()
    if job is None:  # someone else's export does not exist for this user
        raise Http404
    return job


@login_required
def export_status(request: HttpRequest, pk: int) -> HttpResponse:
    """A big export's progress (the page polls itself until done), then its download link."""
    from kefu.core.htmx import render_page

    job = _own_export(request, pk)
    context = {"job": job, "finished": job.status in (job.Status.DONE, job.Status.FAILED)}
    return render_page(request, "core/export_status.html", "core/partials/export_progress.html", context)


@login_required
def export_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    from django.http import FileResponse, Http404

    job = _own_export(request, pk)
    if job.status != job.Status.DONE or not job.file:
        raise Http404
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)


@login_required
def pick(request: HttpRequest) -> HttpResponse:
    """The one picker endpoint (F4 and type-ahead): ?source=customer|staff|work_centre|status|…&q=."""
    from kefu.core import pickers

    found = pickers.source(request.GET.get("source", ""))
    if found is None:
        raise Http404
    if found.perm and not request.user.has_perm(found.perm):
        raise PermissionDenied
    rows = pickers.picks(request.GET["source"], request.user, request.GET.get("q", ""))
    return JsonResponse({"results": rows})
