"""Pages: my notices (the bell), the outbox with failed mail and "send again"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.channels import queries, services
from kefu.channels.choices import MailStatus
from kefu.channels.models import OutboundMail
from kefu.core.htmx import render_page, safe_next
from kefu.core.paging import BoundedPage, query_without_page


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
