"""Paid-service actions on a notification's page: quotation, the customer's decision, service report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.billing import services
from kefu.billing.models import Quotation
from kefu.core.errors import KefuError, NotFound
from kefu.core.scoping import access
from kefu.core.validation import query_int
from kefu.tickets.services import access_notification


def _fail(request, exc: KefuError) -> None:
    detail = "; ".join(f"{k}: {', '.join(v)}" for k, v in exc.fields.items() if k != "__all__")
    messages.error(request, f"{exc.message}{' (' + detail + ')' if detail else ''}")


def _back(n) -> HttpResponse:
    return redirect(f"/notifications/{n.pk}/#paid-service")


@login_required
@require_POST
@permission_required("billing.add_quotation", raise_exception=True)
def create_quotation(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        n = access_notification(request.user, pk)
    except NotFound:
        raise Http404 from None
    rows = []
    post = request.POST
    for kind, description, material, quantity, price in zip(
        post.getlist("kind"),
        post.getlist("description"),
        post.getlist("material"),
        post.getlist("quantity"),
        post.getlist("unit_price"),
        strict=False,
    ):
        if description.strip() or material.strip() or price.strip():
            rows.append(
                {
                    "kind": kind,
                    "description": description,
                    "material": material,
                    "quantity": quantity or 1,
                    "unit_price": price,
                }
            )
    try:
        quotation = services.create_quotation(actor=request.user, notification=n, lines=rows)
    except KefuError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("Quotation %(number)s created.") % {"number": quotation.number})
    return _back(n)


@login_required
@require_POST
@permission_required("billing.change_quotation", raise_exception=True)
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        quotation = access(Quotation.objects.select_related("notification"), request.user, pk)
    except NotFound:
        raise Http404 from None
    try:
        services.decide_quotation(
            actor=request.user,
            quotation=quotation,
            accepted=request.POST.get("accepted") == "1",
            customer_person=request.POST.get("customer_person", ""),
            reason=request.POST.get("reason", ""),
            expected_version=query_int(request.POST.get("version")),
        )
    except KefuError as exc:
        _fail(request, exc)
    return _back(quotation.notification)


@login_required
@require_POST
@permission_required("billing.add_servicereport", raise_exception=True)
def create_report(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        n = access_notification(request.user, pk)
    except NotFound:
        raise Http404 from None
    from kefu.billing.choices import QuotationStatus

    technician = n.responsible or getattr(request.user, "staff", None)
    quotation = n.quotations.filter(status=QuotationStatus.ACCEPTED).order_by("-created_at").first()
    try:
        services.record_service_report(
            actor=request.user,
            notification=n,
            technician=technician,
            quotation=quotation,
            work_done=request.POST.get("work_done", ""),
            materials_used=request.POST.get("materials_used", ""),
            accepted_by_customer=request.POST.get("accepted_by_customer", ""),
        )
    except KefuError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("Service report recorded."))
    return _back(n)
