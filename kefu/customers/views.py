"""Pages of the customer archive. Thin: parse, check, call a service or a query, render."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Count, Sum
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.errors import KefuError, NotFound
from kefu.core.forms import apply_error
from kefu.core.htmx import render_page, safe_next
from kefu.core.jinja import render_rows
from kefu.core.paging import BoundedPage, query_without_page
from kefu.core.scoping import access
from kefu.core.validation import CONTROL_CHARACTERS, CONTROL_CHARACTERS_MESSAGE, parse_id
from kefu.customers import services
from kefu.customers.choices import TIER_SHARES, AccessAction, Tier
from kefu.customers.filtersets import ORDERING_LABELS, filtered_customers
from kefu.customers.forms import (
    ContactForm,
    CustomerForm,
    GradeOverrideForm,
    ImportForm,
    PartnerForm,
    RevealForm,
    ServiceAddressForm,
)
from kefu.customers.models import (
    AnomalyRule,
    Customer,
    CustomerPartner,
    GradeRule,
    PersonalDataAccess,
    TierStrategy,
)
from kefu.customers.queries import (
    can_see_personal_data,
    customer_choices,
    customers_for,
    detail_queryset,
    present_customer_detail,
    present_history,
    present_rows,
)


def _get(model_or_qs, user, pk):
    try:
        return access(model_or_qs, user, pk)
    except NotFound:
        raise Http404 from None


@login_required
@permission_required("customers.view_customer", raise_exception=True)
def customer_list(request: HttpRequest) -> HttpResponse:
    filterset, qs = filtered_customers(request.user, request.GET)
    page = BoundedPage(qs, request.GET.get("page"))
    count, capped = page.capped_count()
    context = {
        "filter": filterset,
        "page": page,
        "rows_html": render_rows(
            "customers/rows.html",
            rows=present_rows(page.object_list, request.user),
            base_url=reverse("customers:list"),
        ),
        "count": count,
        "count_capped": capped,
        "query": query_without_page(request),
        "orderings": ORDERING_LABELS,
    }
    return render_page(
        request, "customers/customer_list.html", "customers/partials/customer_table.html", context
    )


@login_required
@permission_required("customers.view_customer", raise_exception=True)
def customer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    customer = _get(detail_queryset(request.user), request.user, pk)
    detail = present_customer_detail(customer, request.user)
    if not detail.row.masked:
        services.log_access(
            request.user, action=AccessAction.VIEW, customer=customer, detail={"page": "detail"}
        )
    context = {
        "customer": customer,
        "c": detail.row,
        "d": detail.fields,
        "contacts": detail.contacts,
        "addresses": detail.addresses,
        "partners": detail.partners,
        "events": present_history(customer, request.user, masked=detail.row.masked),
        "reveal_form": RevealForm(),
        "grade_form": GradeOverrideForm(
            initial={"grade": customer.grade_override, "version": customer.version}
        ),
        "can_reveal": detail.row.masked and request.user.has_perm("customers.reveal_personal_data"),
    }
    return render(request, "customers/customer_detail.html", context)


@login_required
@permission_required("customers.add_customer", raise_exception=True)
def customer_create(request: HttpRequest) -> HttpResponse:
    form = CustomerForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            customer = services.create_customer(
                actor=request.user, number=form.cleaned_data.get("number") or "", **form.changes()
            )
        except KefuError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Customer %(number)s created.") % {"number": customer.number})
            return redirect("customers:detail", pk=customer.pk)
    return render(request, "customers/customer_form.html", {"form": form, "customer": None})


@login_required
@permission_required("customers.change_customer", raise_exception=True)
def customer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    customer = _get(Customer, request.user, pk)
    masked = not can_see_personal_data(request.user, customer)
    form = CustomerForm(request.POST or None, instance=customer, user=request.user, masked=masked)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_customer(
                Customer.objects.get(pk=pk),
                actor=request.user,
                expected_version=form.cleaned_data.get("version"),
                **form.changes(),
            )
        except KefuError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("customers:detail", pk=pk)
    return render(request, "customers/customer_form.html", {"form": form, "customer": customer})


@login_required
@require_POST
def customer_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    form = RevealForm(request.POST)
    context: dict = {"form": form, "pk": pk}
    # The service asks permission and scope before the reason, so an empty form on another
    # centre's customer answers 404 (or 403), never a hint that the record exists.
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        customer = services.reveal_personal_data(pk, actor=request.user, reason=reason)
    except NotFound:
        raise Http404 from None
    except KefuError as exc:
        if exc.status == 403:
            raise DjangoPermissionDenied from exc
        apply_error(form, exc)
    else:
        customer = detail_queryset(request.user).get(pk=customer.pk)
        detail = present_customer_detail(customer, request.user, unmasked=True)
        context.update(
            {
                "c": detail.row,
                "d": detail.fields,
                "contacts": detail.contacts,
                "addresses": detail.addresses,
                "revealed": True,
            }
        )
    return render(
        request, "customers/partials/revealed.html", context, status=200 if form.is_valid() else 400
    )


@login_required
@require_POST
@permission_required("customers.classify_customer", raise_exception=True)
def customer_grade(request: HttpRequest, pk: int) -> HttpResponse:
    customer = _get(Customer, request.user, pk)
    form = GradeOverrideForm(request.POST)
    if form.is_valid():
        try:
            services.set_grade_override(
                customer,
                actor=request.user,
                grade=form.cleaned_data["grade"],
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
            messages.success(request, _("Grade saved."))
        except KefuError as exc:
            first = next(iter(exc.fields.values()), [str(exc.message)])
            messages.error(request, first[0])
    else:
        messages.error(request, _("Some fields are not valid."))
    return redirect("customers:detail", pk=pk)


def _sub_form(request, pk, form_class, instance, create, update, template_title):
    customer = _get(Customer, request.user, pk)
    masked = instance is not None and not can_see_personal_data(request.user, customer)
    form = form_class(request.POST or None, instance=instance, masked=masked, customer=customer)
    if request.method == "POST" and form.is_valid():
        try:
            if instance is None:
                values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
                create(customer, actor=request.user, **values)
            else:
                update(
                    instance,
                    actor=request.user,
                    expected_version=form.cleaned_data["version"],
                    **form.changes(skip=("version",)),
                )
        except KefuError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("customers:detail", pk=pk)
    return render(
        request, "customers/sub_form.html", {"form": form, "customer": customer, "title": template_title}
    )


@login_required
@permission_required("customers.add_contact", raise_exception=True)
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _sub_form(request, pk, ContactForm, None, services.add_contact, None, _("New contact"))


@login_required
@permission_required("customers.change_contact", raise_exception=True)
def contact_edit(request: HttpRequest, pk: int, contact_id: int) -> HttpResponse:
    customer = _get(Customer, request.user, pk)
    contact = customer.contacts.filter(pk=contact_id).first() or _raise404()
    return _sub_form(request, pk, ContactForm, contact, None, services.update_contact, _("Edit contact"))


@login_required
@require_POST
@permission_required("customers.delete_contact", raise_exception=True)
def contact_delete(request: HttpRequest, pk: int, contact_id: int) -> HttpResponse:
    customer = _get(Customer, request.user, pk)
    contact = customer.contacts.filter(pk=contact_id).first() or _raise404()
    try:
        services.remove_contact(contact, actor=request.user, expected_version=_posted_version(request))
    except KefuError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Contact removed."))
    return redirect("customers:detail", pk=pk)


@login_required
@permission_required("customers.add_serviceaddress", raise_exception=True)
def address_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _sub_form(
        request, pk, ServiceAddressForm, None, services.add_service_address, None, _("New service address")
    )


@login_required
@permission_required("customers.change_serviceaddress", raise_exception=True)
def address_edit(request: HttpRequest, pk: int, address_id: int) -> HttpResponse:
    customer = _get(Customer, request.user, pk)
    address = customer.service_addresses.filter(pk=address_id).first() or _raise404()
    return _sub_form(
        request,
        pk,
        ServiceAddressForm,
        address,
        None,
        services.update_service_address,
        _("Edit service address"),
    )


@login_required
@require_POST
@permission_required("customers.delete_serviceaddress", raise_exception=True)
def address_delete(request: HttpRequest, pk: int, address_id: int) -> HttpResponse:
    customer = _get(Customer, request.user, pk)
    address = customer.service_addresses.filter(pk=address_id).first() or _raise404()
    try:
        services.remove_service_address(
            address, actor=request.user, expected_version=_posted_version(request)
        )
    except KefuError as exc:
        messages.error(request, str(exc))
        return redirect("customers:detail", pk=pk)
    messages.success(request, _("Service address removed."))
    return redirect("customers:detail", pk=pk)


@login_required
@permission_required("customers.add_customerpartner", raise_exception=True)
def partner_add(request: HttpRequest, pk: int) -> HttpResponse:
    customer = _get(Customer, request.user, pk)
    form = PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        partner = (
            Customer.objects.visible_to(request.user)
            .filter(number=form.cleaned_data["partner_number"])
            .first()
        )
        if partner is None:
            form.add_error("partner_number", _("No customer with this number in your scope."))
        else:
            try:
                services.add_partner(
                    customer, actor=request.user, function=form.cleaned_data["function"], partner=partner
                )
            except KefuError as exc:
                apply_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("customers:detail", pk=pk)
    return render(
        request, "customers/sub_form.html", {"form": form, "customer": customer, "title": _("New partner")}
    )


@login_required
@require_POST
@permission_required("customers.delete_customerpartner", raise_exception=True)
def partner_delete(request: HttpRequest, pk: int, partner_id: int) -> HttpResponse:
    customer = _get(Customer, request.user, pk)
    link = CustomerPartner.objects.filter(customer=customer, pk=partner_id).first() or _raise404()
    services.remove_partner(link, actor=request.user)
    return redirect("customers:detail", pk=pk)


def _posted_version(request: HttpRequest) -> int | None:
    """The customer's version a remove button was rendered with (None from an older page)."""
    return parse_id(request.POST.get("version", ""), maximum=2**31 - 1)


def _raise404():
    raise Http404


@login_required
@permission_required("customers.export_customer", raise_exception=True)
def customer_export(request: HttpRequest) -> HttpResponseBase:
    from kefu.core.exports import export_response

    return export_response(request, "customers.customers")


@login_required
@permission_required("customers.import_customer", raise_exception=True)
def customer_import(request: HttpRequest) -> HttpResponse:
    from kefu.customers.importing import import_upload

    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = import_upload(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                mode=form.cleaned_data["mode"],
            )
        except KefuError as exc:
            apply_error(form, exc)
    return render(request, "customers/import.html", {"form": form, "result": result})


@login_required
@permission_required("customers.view_customer", raise_exception=True)
def pyramid(request: HttpRequest) -> HttpResponse:
    """The value pyramid 客户金字塔 of the customers in the user's scope, with each tier's strategy."""
    qs = Customer.objects.visible_to(request.user).filter(is_active=True)
    stats = {row["tier"]: row for row in qs.values("tier").annotate(n=Count("id"), total=Sum("value_amount"))}
    strategies = dict(TierStrategy.objects.values_list("tier", "strategy"))
    tiers = []
    previous_share = 0
    for tier, share in TIER_SHARES:
        row = stats.get(tier, {})
        tiers.append(
            {
                "code": str(tier),
                "label": str(Tier(tier).label),
                "share": share - previous_share,
                "count": row.get("n", 0),
                "total": row.get("total") or 0,
                "strategy": strategies.get(tier, ""),
            }
        )
        previous_share = share
    unranked = stats.get("", {}).get("n", 0)
    chart = [
        {"name": f"{t['label']} {t['share']}%", "value": (i + 1) * 25, "count": t["count"]}
        for i, t in enumerate(tiers)
    ]
    grade_counts = dict(qs.values_list("grade").annotate(n=Count("id")).values_list("grade", "n"))
    context = {
        "tiers": tiers,
        "unranked": unranked,
        "chart_json": json.dumps(chart, ensure_ascii=False),
        "grade_rules": GradeRule.objects.filter(is_active=True),
        "grade_counts": [(g, grade_counts.get(g, 0)) for g in ("A", "B", "C", "")],
        "can_classify": request.user.has_perm("customers.classify_customer"),
    }
    return render(request, "customers/pyramid.html", context)


@login_required
@require_POST
@permission_required("customers.classify_customer", raise_exception=True)
def recompute(request: HttpRequest) -> HttpResponse:
    what = request.POST.get("what", "all")
    if what in ("all", "grades"):
        services.recompute_grades(actor=request.user)
    if what == "all":
        services.recompute_value_classification(actor=request.user)
    if what == "pyramid":
        services.recompute_values(actor=request.user)
        services.recompute_pyramid(actor=request.user)
        services.recompute_key_customers(actor=request.user)
    if what == "warnings":
        services.recompute_anomalies(actor=request.user)
        services.raise_value_drop_warnings()
    messages.success(request, _("Classification recomputed."))
    return redirect(safe_next(request, reverse("customers:pyramid")))


@login_required
@permission_required("customers.view_customer", raise_exception=True)
def warnings(request: HttpRequest) -> HttpResponse:
    """异样客户预警: flagged customers with why and who must act (responsible staff, key-account manager)."""
    qs = customers_for(request.user).filter(anomaly_mask__gt=0).order_by("number")
    page = BoundedPage(qs, request.GET.get("page"))
    count, capped = page.capped_count()
    mine = request.GET.get("mine") == "1"
    open_warnings = []
    if request.user.has_perm("customers.view_customerwarning"):
        from kefu.customers.queries import present_warnings, warnings_for

        open_warnings = present_warnings(warnings_for(request.user, mine=mine)[:OPEN_WARNINGS], request.user)
    context = {
        "open_warnings": open_warnings,
        "open_warnings_capped": len(open_warnings) >= OPEN_WARNINGS,
        "mine": mine,
        "can_acknowledge": request.user.has_perm("customers.acknowledge_customerwarning"),
        "page": page,
        "rows": present_rows(page.object_list, request.user),
        "count": count,
        "count_capped": capped,
        "rules": AnomalyRule.objects.filter(is_active=True),
        "can_classify": request.user.has_perm("customers.classify_customer"),
        "query": "",
    }
    return render(request, "customers/warnings.html", context)


OPEN_WARNINGS = 50


@login_required
@require_POST
@permission_required("customers.acknowledge_customerwarning", raise_exception=True)
def warning_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    """Acknowledge a warning 异样客户预警 with a note: it leaves the open list, stays on the timeline."""
    from kefu.customers.models import CustomerWarning

    warning = _get(CustomerWarning.objects.select_related("customer"), request.user, pk)
    try:
        services.acknowledge_warning(warning, actor=request.user, note=request.POST.get("note", ""))
        messages.success(request, _("Warning acknowledged."))
    except KefuError as exc:
        first = next(iter(exc.fields.values()), [str(exc.message)])
        messages.error(request, first[0])
    return redirect(safe_next(request, reverse("customers:warnings")))


@login_required
@permission_required("customers.view_access_log", raise_exception=True)
def access_log(request: HttpRequest) -> HttpResponse:
    qs = PersonalDataAccess.objects.select_related("user", "user__staff", "customer").order_by("-at", "-id")
    number = request.GET.get("customer", "").strip()[:20]
    if CONTROL_CHARACTERS.search(number):  # a NUL is refused by PostgreSQL: no customer has it
        messages.error(request, _("Customer number: %(error)s") % {"error": CONTROL_CHARACTERS_MESSAGE})
        qs, number = qs.none(), ""
    elif number:
        qs = qs.filter(customer__number=number)
    page = BoundedPage(qs, request.GET.get("page"))
    return render(
        request,
        "customers/access_log.html",
        {
            "page": page,
            "rows": page.object_list,
            "customer_number": number,
            "query": query_without_page(request),
        },
    )


@login_required
@permission_required("customers.view_customer", raise_exception=True)
def autocomplete(request: HttpRequest) -> JsonResponse:
    """Scoped customer lookup for other apps' forms: ?q=number, name or phone fragment."""
    return JsonResponse({"results": customer_choices(request.user, request.GET.get("q", "").strip())})


@login_required
@permission_required("customers.view_segmentrun", raise_exception=True)
def segments(request: HttpRequest) -> HttpResponse:
    """客户分类: the latest segmentation (segments in words, sizes, centres, a chart) and the
    decision tree's held-out accuracy; classifiers start a new run (a Huey task)."""
    from kefu.customers.models import SegmentRun
    from kefu.customers.queries import current_segment_run, segment_overview

    if request.method == "POST":
        if not request.user.has_perm("customers.classify_customer"):
            raise DjangoPermissionDenied
        from kefu.customers.tasks import segment_customers

        try:
            run = services.start_segmentation(actor=request.user, params=_run_params(request.POST))
        except KefuError as exc:
            messages.error(request, str(exc))
            return redirect("customers:segments")
        segment_customers(run.pk)
        messages.success(request, _("Segmentation started; the page shows it when it is done."))
        return redirect("customers:segments")
    run = current_segment_run()
    context = {
        "run": run,
        "overview": segment_overview(run) if run is not None else None,
        "latest": SegmentRun.objects.order_by("-created_at", "-id").first(),
        "can_classify": request.user.has_perm("customers.classify_customer"),
    }
    if run is not None:
        context["chart_json"] = json.dumps(context["overview"]["chart"], ensure_ascii=False)
        context["silhouettes"] = sorted((int(k), v) for k, v in run.silhouettes.items())
    return render(request, "customers/segments.html", context)


def _run_params(post) -> dict:
    return {name: post.get(name) for name in ("k_min", "k_max", "sample", "window_days") if post.get(name)}
