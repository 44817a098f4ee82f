"""Pages of contacts and the call centre: thin (parse, check, call a service or query, render)."""

from __future__ import annotations

import json

from asgiref.sync import sync_to_async
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.contacts import queries, services
from kefu.contacts.forms import AttemptForm, HandoverForm, SimulateForm, WrapUpForm
from kefu.contacts.models import Call, CallTask, Contact
from kefu.core.errors import KefuError, NotFound
from kefu.core.forms import apply_error
from kefu.core.jinja import render_rows
from kefu.core.paging import BoundedPage
from kefu.core.push import Hub, event_stream, push_url
from kefu.core.scoping import access
from kefu.core.validation import parse_id


def _get(qs_or_model, request, pk):
    try:
        return access(qs_or_model, request.user, pk)
    except NotFound:
        raise Http404 from None


@login_required
@permission_required("contacts.view_contact", raise_exception=True)
def contact_list(request: HttpRequest) -> HttpResponse:
    qs = queries.contacts_for(request.user)
    show = request.GET.get("show", "")
    staff = getattr(request.user, "staff", None)
    if show == "mine" and staff is not None:
        qs = qs.filter(first_responsible=staff, is_open=True)
    elif show == "flagged":
        qs = qs.filter(is_open=True).filter(flag_unowned=True) | qs.filter(is_open=True, flag_unanswered=True)
    elif show == "open":
        qs = qs.filter(is_open=True)
    page = BoundedPage(qs, request.GET.get("page"))
    rows = [queries.present_contact(c, request.user) for c in page.object_list]
    return render(
        request,
        "contacts/contact_list.html",
        {"page": page, "rows": rows, "show": show, "query": f"show={show}"},
    )


@login_required
@permission_required("contacts.view_contact", raise_exception=True)
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _get(queries.contacts_for(request.user), request, pk)
    form = HandoverForm(user=request.user, initial={"version": contact.version})
    return render(request, "contacts/contact_detail.html", _detail_context(request, contact, form))


def _detail_context(request, contact: Contact, form) -> dict:
    from kefu.timeline.queries import events_for, present

    masked = not queries.unmasked_for(request.user, contact.customer)
    return {
        "contact": contact,
        "row": queries.present_contact(contact, request.user),
        "handovers": contact.handovers.select_related("from_staff", "to_staff").all(),
        "form": form,
        "events": present(events_for(contact), masked=masked),
        "call": Call.objects.filter(contact=contact).first(),
    }


@login_required
@permission_required("contacts.handover_contact", raise_exception=True)
@require_POST
def contact_handover(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _get(queries.contacts_for(request.user), request, pk)
    form = HandoverForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.hand_over(
                contact,
                actor=request.user,
                to_staff=form.cleaned_data["to_staff"],
                reason=form.cleaned_data["reason"],
                due_at=form.cleaned_data["due_at"],
                expected_version=form.cleaned_data.get("version"),
            )
        except KefuError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Handed over with a work liaison slip."))
            return redirect("contacts:detail", pk=contact.pk)
    return render(
        request, "contacts/contact_detail.html", _detail_context(request, contact, form), status=400
    )


@login_required
@permission_required("contacts.answer_call", raise_exception=True)
@require_POST
def contact_close(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _get(queries.contacts_for(request.user), request, pk)
    try:
        services.close_contact(
            contact, actor=request.user, expected_version=_int(request.POST.get("version"))
        )
    except KefuError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Contact closed."))
    return redirect("contacts:detail", pk=contact.pk)


def _int(value) -> int | None:
    return parse_id(value)


# --- calls -----------------------------------------------------------------------------------
@login_required
@permission_required("contacts.view_call", raise_exception=True)
def call_list(request: HttpRequest) -> HttpResponse:
    qs = queries.call_rows_for(request.user)
    if request.GET.get("mine"):
        qs = qs.filter(agent=request.user)
    page = BoundedPage(qs, request.GET.get("page"))
    rows = queries.present_calls(page.object_list, request.user)
    return render(
        request,
        "contacts/call_list.html",
        {
            "page": page,
            "rows_html": render_rows(
                "contacts/call_rows.html", rows=rows, may_answer=request.user.has_perm("contacts.answer_call")
            ),
            "query": "",
            "simulate": SimulateForm(),
            "queue": _queue_head(request.user),
        },
    )


def _queue_head(user):
    return list(queries.my_queue(user)[:5]) if user.has_perm("contacts.answer_call") else []


@login_required
@permission_required("contacts.view_call", raise_exception=True)
def call_card(request: HttpRequest, pk: int) -> HttpResponse:
    """The screen-pop card 来电弹屏 (an htmx/fetch fragment)."""
    call = _get(queries.calls_for(request.user), request, pk)
    return render(request, "contacts/partials/call_card.html", queries.caller_card(call, request.user))


@login_required
@permission_required("contacts.answer_call", raise_exception=True)
@require_POST
def call_pick(request: HttpRequest, pk: int) -> HttpResponse:
    from kefu.customers.models import Customer

    call = _get(queries.calls_for(request.user), request, pk)
    if not _int(request.POST.get("customer")):
        return HttpResponse(_("Choose the calling customer."), status=400)
    customer = _get(Customer, request, _int(request.POST.get("customer")))
    services.pick_customer(call, actor=request.user, customer=customer)
    call.refresh_from_db()
    return render(request, "contacts/partials/call_card.html", queries.caller_card(call, request.user))


@login_required
@permission_required("contacts.answer_call", raise_exception=True)
def call_wrapup(request: HttpRequest, pk: int) -> HttpResponse:
    call = _get(queries.calls_for(request.user), request, pk)
    contact = call.contact
    form = WrapUpForm(
        request.POST or None,
        user=request.user,
        direction=call.direction,
        initial={"version": contact.version, "subject": contact.subject},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.wrap_up(
                contact,
                actor=request.user,
                classification=data["classification"],
                resolution=data["resolution"],
                steps=form.steps(),
                subject=data["subject"],
                note=data["note"],
                handover_to=data["handover_to"],
                handover_reason=data["handover_reason"],
                handover_due=data["handover_due"],
                expected_version=data.get("version"),
            )
        except KefuError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Call wrapped up."))
            return redirect("contacts:detail", pk=contact.pk)
    linked = services.touched_records(contact, request.user)
    return render(
        request,
        "contacts/wrapup.html",
        {
            "call": call,
            "contact": contact,
            "form": form,
            "linked": linked,
            "row": queries.present_call(call, request.user),
        },
    )


@login_required
@permission_required("contacts.answer_call", raise_exception=True)
def pops(request: HttpRequest) -> JsonResponse:
    """The browser's cursor poll: pops newer than `after` (a reconnect catches up from its cursor).
    A page with no cursor yet (a new tab, a new login) gets the calls still live, not every card of
    the last ten minutes again, and a cursor past them all."""
    after = _int(request.GET.get("after")) or 0
    services.touch_presence(request.user)
    newest = queries.latest_pop_id(request.user) if after <= 0 else 0  # read first: none is skipped
    rows = queries.pops_after(request.user, after, live_only=after <= 0)
    cursor = max(rows[-1]["id"] if rows else max(after, 0), newest)
    brought = {pk for pk in (_int(v) for v in request.GET.get("seen", "").split(",")[:50]) if pk}
    for row in rows:  # the card itself comes with its pop: no second round trip before the agent sees it
        if row["id"] in brought:
            continue  # the push stream brought this card already (kefu.core.push)
        call = queries.popped_call(request.user, row["call"])
        if call is not None:
            row["html"] = queries.caller_card_html(call, request)
    shown = None  # the takeable queue cards the browser shows (`open`); absent: an older page asks about all
    if "open" in request.GET:
        shown = [pk for pk in (_int(v) for v in request.GET["open"].split(",")[:20]) if pk]
    withdrawn = queries.withdrawn_pops(request.user, shown)
    return JsonResponse({"cursor": cursor, "pops": rows, "withdrawn": withdrawn})


# The push server's listeners for screen pops (one per process; see kefu.core.push).
POPS = Hub(queries.pop_events_after, queries.newest_pop_id)


@login_required
@permission_required("contacts.answer_call", raise_exception=True)
async def pop_stream(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """Server push of screen pops: the moment a call rings for this agent, an event with the pop's
    id and the caller's card, made as `pops` makes it (the same lookup, masking and card cache), so
    the page shows it without asking. Served by the push server (`kefu.asgi`); the web server
    answers 204 and the page keeps polling."""
    user = await request.auser()
    request.user = user  # the card reads the viewer from the request; loaded once per stream

    async def keep_alive() -> None:
        await sync_to_async(services.touch_presence)(user)

    def card(pop_id: int) -> str | None:
        call = queries.popped_call(user, pop_id=pop_id)
        if call is None:
            return None
        html = queries.caller_card_html(call, request)
        return json.dumps({"id": pop_id, "call": call.pk, "html": html}, ensure_ascii=False)

    return event_stream(
        request, POPS, user.pk, event="pop", keep_alive=keep_alive, render=sync_to_async(card)
    )


@login_required
@permission_required("contacts.answer_call", raise_exception=True)
@require_POST
def call_take(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a queue call from the screen pop; the first agent owns it (409 for the later ones)."""
    call = _get(queries.calls_for(request.user), request, pk)
    status, error = 200, ""
    try:
        call = services.take_call(call, actor=request.user)
    except KefuError as exc:
        status, error = exc.status, str(exc.message)
    context = queries.caller_card(Call.objects.select_related("contact").get(pk=call.pk), request.user)
    return render(request, "contacts/partials/call_card.html", {**context, "error": error}, status=status)


@login_required
@permission_required("contacts.answer_call", raise_exception=True)
def pop_widget(request: HttpRequest) -> HttpResponse:
    push = push_url(reverse("contacts:pop_stream"))
    return render(request, "contacts/partials/pop_widget.html", {"push": push})


@login_required
@permission_required("contacts.answer_call", raise_exception=True)
@require_POST
def call_simulate(request: HttpRequest) -> HttpResponse:
    """A simulated ring to the agent's own screen (training, and checking the pop works)."""
    form = SimulateForm(request.POST)
    if form.is_valid():
        services.simulate_ring(actor=request.user, number=form.cleaned_data["number"])
        messages.info(request, _("A simulated call is ringing."))
    else:
        messages.error(request, _("Enter the caller number."))
    return redirect("contacts:call_list")


# --- outbound ---------------------------------------------------------------------------------
@login_required
@permission_required("contacts.view_calllist", raise_exception=True)
def call_lists(request: HttpRequest) -> HttpResponse:
    from django.db.models import Count, Q

    lists = queries.call_lists_for(request.user).annotate(
        total=Count("tasks"), done=Count("tasks", filter=Q(tasks__status__in=["done", "failed"]))
    )
    page = BoundedPage(lists, request.GET.get("page"))
    return render(
        request,
        "contacts/call_lists.html",
        {
            "page": page,
            "rows": page.object_list,
            "query": "",
            "queue": list(queries.my_queue(request.user)[:50]),
        },
    )


@login_required
@permission_required("contacts.answer_call", raise_exception=True)
def task_attempt(request: HttpRequest, pk: int) -> HttpResponse:
    task = _get(CallTask.objects.select_related("call_list", "customer"), request, pk)
    form = AttemptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_attempt(
                task,
                actor=request.user,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                retry_at=form.cleaned_data.get("retry_at"),
            )
        except KefuError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Attempt recorded."))
            return redirect(
                (request.POST.get("next") == "queue" and "contacts:next_call") or "contacts:call_lists"
            )
    return render(request, "contacts/attempt.html", {"task": task, "form": form})


@login_required
@permission_required("contacts.add_calllist", raise_exception=True)
def call_list_create(request: HttpRequest) -> HttpResponse:
    """A new list from a selection: return visits due, satisfaction calls, needs survey, acceptances."""
    from kefu.contacts.forms import CallListForm

    form = CallListForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            call_list = services.build_call_list(
                actor=request.user,
                purpose=data.pop("purpose"),
                sales_office=data.pop("sales_office"),
                agents=list(data.pop("agents")),
                name=data.pop("name"),
                days=data.pop("days"),
                **data,
            )
        except KefuError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Call list created."))
            return redirect("contacts:call_list_detail", pk=call_list.pk)
    return render(request, "contacts/call_list_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@permission_required("contacts.view_calllist", raise_exception=True)
def call_list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A list's progress 外呼进度: per status, per outcome, per agent, and its tasks."""
    call_list = _get(queries.call_lists_for(request.user), request, pk)
    return render(
        request,
        "contacts/call_list_detail.html",
        {
            "call_list": call_list,
            "progress": queries.list_progress(call_list),
            "tasks": queries.list_tasks(call_list, request.user),
            "open_now": services.calling_allowed(call_list, timezone.now()),
        },
    )


@login_required
@permission_required("contacts.answer_call", raise_exception=True)
def next_call(request: HttpRequest) -> HttpResponse:
    """My next call 下一个外呼: the due task of my queue inside its list's calling hours."""
    task = services.next_task(request.user)
    context: dict = {"task": task, "waiting": queries.my_queue(request.user).count()}
    if task is not None:
        customer = task.customer
        context.update(
            form=AttemptForm(),
            phone=queries.show_phone(request.user, customer.phone or customer.mobile, customer),
            progress=queries.list_progress(task.call_list),
        )
    return render(request, "contacts/next_call.html", context)


@login_required
@permission_required("tickets.add_notification", raise_exception=True)
def similar(request: HttpRequest) -> HttpResponse:
    """The similar-notification hint on the create form (an htmx fragment)."""
    rows = queries.similar_notifications(
        request.user,
        customer_number=request.GET.get("customer", "")[:20],
        description=request.GET.get("description", "")[:200],
        object_address=request.GET.get("object_address", "")[:200],
    )
    return render(request, "contacts/partials/similar.html", {"rows": rows, "days": queries.SIMILAR_DAYS})
