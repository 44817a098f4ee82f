"""Code catalogue pages: the lists and the .xlsx import (administrators)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kefu.catalog.services import KINDS, import_catalog, read_rows
from kefu.core.errors import KefuError


@login_required
@permission_required("catalog.view_producttype", raise_exception=True)
def catalogues(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "product_type")
    model = KINDS.get(kind, KINDS["product_type"])
    rows = model.objects.all().order_by("code")[:1000]
    context = {
        "kind": kind,
        "kinds": [(k, m._meta.verbose_name_plural) for k, m in KINDS.items()],
        "rows": rows,
        "errors": request.session.pop("catalog_errors", []),
    }
    return render(request, "catalog/catalogues.html", context)


@login_required
@permission_required("catalog.add_producttype", raise_exception=True)
def import_xlsx(request: HttpRequest) -> HttpResponse:
    kind = request.POST.get("kind", "")
    upload = request.FILES.get("file")
    if request.method != "POST" or upload is None:
        messages.error(request, _("Upload an .xlsx file."))
        return redirect(f"/catalog/?kind={kind}")
    try:
        result = import_catalog(actor=request.user, kind=kind, rows=read_rows(upload))
    except KefuError as exc:
        messages.error(request, str(exc.message))
        request.session["catalog_errors"] = exc.fields.get("file", [])
    else:
        messages.success(request, _("Imported: %(created)d new, %(updated)d updated.") % result)
    return redirect(f"/catalog/?kind={kind}")
