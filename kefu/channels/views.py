"""Pages: my notices (the bell), the outbox, incoming mail waiting for a person; the WeChat callback."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotAllowed,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from kefu.channels import queries, services
from kefu.channels.choices import MailStatus
from kefu.channels.models import OutboundMail
from kefu.core.htmx import render_page, safe_next
from kefu.core.paging import BoundedPage, query_without_page
from kefu.core.validation import parse_id


@login_required
def notices(request: HttpRequest) -> HttpResponse:
    page = BoundedPage(queries.inbox(request.user), request.GET.get("page"))
    context = {"page": page, "query": query_without_page(request)}
    return render_page(request, "channels/notices.html", "channels/partials/notice_list.html", context)


@login_required
def notice_badge(request: HttpRequest) -> HttpResponse:
    """The unread count for the navbar bell, polled by htmx."""
    return render(
        request, "channels/partials/notice_badge.html", {"unread": queries.unread_count(request.user)}
    )


@login_required
@require_POST
def notice_open(request: HttpRequest, pk: int) -> HttpResponse:
    notice = queries.inbox(request.user).filter(pk=pk).first()
    if notice is None:
        raise Http404
    services.mark_read(user=request.user, notice_ids=[notice.pk])
    return redirect(notice.url or "channels:notices")


@login_required
@require_POST
def notices_read_all(request: HttpRequest) -> HttpResponse:
    services.mark_read(user=request.user)
    return redirect("channels:notices")


@login_required
def outbox(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    page = BoundedPage(queries.outbox(request.user, status=status), request.GET.get("page"))
    page.object_list = queries.shown_outbound(request.user, page.object_list)
    context = {
        "page": page,
        "status": status,
        "statuses": MailStatus.choices,
        "query": query_without_page(request),
    }
    return render_page(request, "channels/outbox.html", "channels/partials/outbox_table.html", context)


@login_required
@require_POST
def mail_retry(request: HttpRequest, pk: int) -> HttpResponse:
    mail = queries.outbox(request.user).filter(pk=pk).first()
    if mail is None:
        raise Http404
    mail = services.retry_mail(actor=request.user, mail=mail)
    if mail.status == MailStatus.SENT:
        messages.success(request, _("The mail was sent."))
    else:
        messages.error(request, _("Sending failed again: %(error)s") % {"error": mail.last_error})
    return redirect(safe_next(request, reverse("channels:outbox")))


__all__ = ["OutboundMail"]


# --- e-mail in ------------------------------------------------------------------------------------


def _inbound_mail(request: HttpRequest, pk: int):
    from kefu.channels.models import InboundMail
    from kefu.core.errors import NotFound
    from kefu.core.scoping import access

    if not request.user.has_perm("channels.view_inboundmail"):
        raise PermissionDenied
    try:
        return access(InboundMail.objects.select_related("mailbox", "customer"), request.user, pk)
    except NotFound:
        raise Http404 from None


@login_required
def inbound(request: HttpRequest) -> HttpResponse:
    """Incoming mail, by default what waits for a person (unknown senders, unreadable mail)."""
    from kefu.channels.choices import InboundStatus

    if not request.user.has_perm("channels.view_inboundmail"):
        raise PermissionDenied
    status = request.GET.get("status", "waiting")
    if status not in {"", "waiting", *InboundStatus.values}:
        status = "waiting"
    page = BoundedPage(queries.inbound(request.user, status=status), request.GET.get("page"))
    page.object_list = queries.with_shown_senders(request.user, page.object_list)
    context = {
        "page": page,
        "status": status,
        "statuses": InboundStatus.choices,
        "query": query_without_page(request),
    }
    return render_page(request, "channels/inbound.html", "channels/partials/inbound_table.html", context)


def _record_url(target) -> str:
    label = target._meta.label_lower
    if label == "tickets.notification":
        return reverse("tickets:detail", args=[target.pk])
    if label == "complaints.complaint":
        return reverse("complaints:complaint_detail", args=[target.pk])
    return ""


@login_required
def inbound_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from kefu.channels.choices import InboundStatus
    from kefu.core.errors import NotFound

    mail = _inbound_mail(request, pk)
    mail.shown_from = queries.shown_sender(request.user, mail)
    target = mail.target
    target_url = ""
    if target is not None:
        try:
            from kefu.core.scoping import access

            target = access(type(target), request.user, target.pk)
            target_url = _record_url(target)
        except NotFound:
            target = None
    context = {
        "mail": mail,
        "target": target,
        "target_url": target_url,
        "attachments": list(mail.attachments.all()),
        "can_dismiss": mail.status in InboundStatus.needs_person()
        and request.user.has_perm("channels.change_inboundmail"),
        "templates": list(queries.reply_templates()) if target is not None else [],
    }
    return render(request, "channels/inbound_detail.html", context)


@login_required
def inbound_attachment(request: HttpRequest, pk: int, attachment: int) -> HttpResponse:
    from django.http import FileResponse

    mail = _inbound_mail(request, pk)
    found = mail.attachments.filter(pk=attachment).first()
    if found is None:
        raise Http404
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.name)


@login_required
def inbound_raw(request: HttpRequest, pk: int) -> HttpResponse:
    """The mail exactly as received (.eml), for a person to open in a mail program (it carries the
    sender's address unmasked, so only for readers who may see personal data)."""
    from kefu.customers.queries import can_see_personal_data

    mail = _inbound_mail(request, pk)
    if not can_see_personal_data(request.user, mail.customer):
        raise PermissionDenied
    response = HttpResponse(bytes(mail.raw or b""), content_type="message/rfc822")
    response["Content-Disposition"] = f'attachment; filename="mail-{mail.pk}.eml"'
    return response


@login_required
@require_POST
def inbound_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    from kefu.channels.services import mailin
    from kefu.core.errors import KefuError

    mail = _inbound_mail(request, pk)
    if not request.user.has_perm("channels.change_inboundmail"):
        raise PermissionDenied
    try:
        mailin.dismiss(actor=request.user, mail=mail, note=request.POST.get("note", "")[:500])
        messages.success(request, _("The mail is marked as dealt with."))
    except KefuError as exc:
        messages.error(request, str(exc))
    return redirect("channels:inbound_detail", pk=mail.pk)


@login_required
@require_POST
def inbound_rerun(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a waiting mail in again after a fix (idempotent: never a second record)."""
    from kefu.channels.services import mailin
    from kefu.core.errors import KefuError

    mail = _inbound_mail(request, pk)
    if not request.user.has_perm("channels.change_inboundmail"):
        raise PermissionDenied
    try:
        mail = mailin.rerun(actor=request.user, mail=mail)
    except KefuError as exc:
        messages.error(
            request, "; ".join(dict.fromkeys([str(exc), *[m for v in exc.fields.values() for m in v]]))
        )
    else:
        messages.info(request, _("Taken in again: %(status)s") % {"status": mail.get_status_display()})
    return redirect("channels:inbound_detail", pk=mail.pk)


@login_required
@require_POST
def inbound_reply(request: HttpRequest, pk: int) -> HttpResponse:
    """Answer the record of a mail with a canned reply template (and an optional note)."""
    from kefu.channels.models import ReplyTemplate
    from kefu.channels.services import mailin
    from kefu.core.errors import KefuError, NotFound
    from kefu.core.scoping import access

    mail = _inbound_mail(request, pk)
    if mail.target is None:
        raise Http404
    try:
        target = access(type(mail.target), request.user, mail.object_id)
    except NotFound:
        raise Http404 from None
    perm = f"{target._meta.app_label}.change_{target._meta.model_name}"
    if not request.user.has_perm(perm):
        raise PermissionDenied
    template = ReplyTemplate.objects.filter(pk=request.POST.get("template") or 0, is_active=True).first()
    if template is None:
        messages.error(request, _("Template: choose a reply template."))
        return redirect("channels:inbound_detail", pk=mail.pk)
    try:
        sent = mailin.reply_with_template(
            actor=request.user, target=target, template=template, note=request.POST.get("note", "")[:5000]
        )
        messages.success(request, _("The reply is queued to %(to)s.") % {"to": ", ".join(sent.to)})
    except KefuError as exc:
        messages.error(request, str(exc))
    return redirect("channels:inbound_detail", pk=mail.pk)


# --- WeChat -----------------------------------------------------------------------------------------

MAX_WECHAT_BODY = 64 * 1024


@csrf_exempt
def wechat_callback(request: HttpRequest, pk: int) -> HttpResponse:
    """WeChat's server calls this: GET to verify the URL (echostr), POST with messages."""
    from kefu.channels.models import WeChatAccount
    from kefu.channels.services import wechat

    account = WeChatAccount.objects.filter(pk=pk, is_active=True).select_related("intake_user").first()
    if account is None:
        raise Http404
    signed = {
        "signature": request.GET.get("signature", ""),
        "timestamp": request.GET.get("timestamp", ""),
        "nonce": request.GET.get("nonce", ""),
    }
    if request.method == "GET":
        try:
            wechat.verify(account, **signed)
        except wechat.BadSignature:
            return HttpResponseForbidden("bad signature")
        return HttpResponse(request.GET.get("echostr", ""), content_type="text/plain")
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    if len(request.body) > MAX_WECHAT_BODY:
        return HttpResponseBadRequest("too large")
    try:
        reply = wechat.handle_callback(
            account,
            request.body,
            encrypt_type=request.GET.get("encrypt_type", ""),
            msg_signature=request.GET.get("msg_signature", ""),
            **signed,
        )
    except wechat.BadSignature:
        return HttpResponseForbidden("bad signature")
    return HttpResponse(reply, content_type="application/xml" if reply.startswith("<") else "text/plain")


@login_required
def canned(request: HttpRequest) -> HttpResponse:
    """Canned responses for a reply or wrap-up text: filled from a record (?kind=notification|
    complaint|contact&pk=) or, without one, with the record's placeholders left as written."""
    from django.apps import apps

    from kefu.core.errors import NotFound
    from kefu.core.scoping import access

    kind = request.GET.get("kind", "")
    target = None
    if kind:
        spec = queries.CANNED_TARGETS.get(kind)
        if spec is None:
            raise Http404
        app_label, model_name, perm = spec
        if not request.user.has_perm(perm):
            raise PermissionDenied
        try:
            target = access(
                apps.get_model(app_label, model_name), request.user, parse_id(request.GET.get("pk")) or 0
            )
        except (NotFound, ValueError):
            raise Http404 from None
    return JsonResponse({"results": queries.canned_responses(request.user, target)})
