"""What a customer user reads in the portal: their requests with the customer-facing status,
the conversation, their quotations and their documents. Everything starts from `visible_to`."""

from __future__ import annotations

from django.db.models import Count, Max, Min, QuerySet

from kefu.portal.choices import MessageKind
from kefu.portal.models import Message

# What the customer reads: their own messages and the desk's public replies.
CUSTOMER_KINDS = [MessageKind.CUSTOMER, MessageKind.REPLY]


def my_requests(user, *, open_only: bool = False) -> QuerySet:
    """The customer's notifications, newest first (the index tk_customer serves it)."""
    from kefu.tickets.models import Notification
    from kefu.workflow.choices import Stage

    qs = (
        Notification.objects.visible_to(user)
        .select_related("status", "type")
        .only(
            "id",
            "number",
            "description",
            "created_at",
            "stage",
            "required_end",
            "status__stage",
            "status__customer_label",
            "status__customer_label_en",
            "type__name",
            "type__name_en",
        )
        .order_by("-created_at", "-id")
    )
    if open_only:
        qs = qs.filter(stage__in=Stage.open_values())
    return qs


def request_detail(notification, user) -> dict:
    """The request page: customer-visible messages, the customer's own photos, quotations."""
    from kefu.billing.choices import QuotationStatus
    from kefu.billing.models import Quotation

    messages = list(
        Message.objects.visible_to(user).filter(notification=notification, kind__in=CUSTOMER_KINDS)
    )
    photos = list(
        notification.attachments.filter(uploaded_by__portal_account__customer=notification.customer_id)
    )
    quotations = list(
        Quotation.objects.visible_to(user)
        .filter(notification=notification)
        .exclude(status=QuotationStatus.DRAFT)
        .prefetch_related("lines")
    )
    return {"n": notification, "messages": messages, "photos": photos, "quotations": quotations}


def documents(user) -> list[dict]:
    """The customer's reference documents 订单/单据 as Kefu knows them: each with its payment
    status, its requests and the service invoices made on them."""
    from kefu.tickets.choices import PaymentStatus
    from kefu.tickets.models import Notification

    rows = (
        Notification.objects.visible_to(user)
        .exclude(reference_document="")
        .values("reference_document", "payment_status")
        .annotate(
            requests=Count("id"),
            first=Min("created_at"),
            last=Max("created_at"),
            date=Max("reference_date"),
            invoiced=Count("invoices"),
        )
        .order_by("-last")
    )[:200]
    labels = dict(PaymentStatus.choices)
    return [
        {**row, "payment_label": labels.get(row["payment_status"], row["payment_status"])} for row in rows
    ]


def invoices(user) -> QuerySet:
    from kefu.billing.models import Invoice
    from kefu.tickets.models import Notification

    return (
        Invoice.objects.filter(notification__in=Notification.objects.visible_to(user).values("pk"))
        .select_related("notification")
        .order_by("-created_at")[:100]
    )


def conversation(notification) -> list[Message]:
    """Every message on a notification, for the desk's page (customer and public replies)."""
    from kefu.core import prepared

    return prepared.fetch(
        "portal.conversation",
        lambda pk: Message.objects.filter(notification_id=pk).order_by("created_at", "id"),
        pk=notification.pk,
    )
