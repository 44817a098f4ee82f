"""The customer's whole story: one read-side timeline of everything with a customer, open work first.

Reads notifications, complaints, accidents, visits, receptions, ratings and survey answers through
each record's own scoped queryset (nothing the user may not see), newest first, open work on top.
Each kind is one `Source`: the permission that shows it, its rows, and how a row reads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

LIMIT = 50  # per kind: the page shows the recent story; each list has its own full view


@dataclass
class StoryItem:
    kind: str
    kind_label: str
    icon: str
    at: datetime
    title: str
    status: str
    is_open: bool
    url: str


@dataclass(frozen=True)
class Source:
    kind: str
    permission: str
    label: Callable[[], str]
    icon: str
    rows: Callable[[Any, Any], Iterable[Any]]  # (customer, user) -> the newest LIMIT rows
    item: Callable[[Any], tuple[datetime, str, str, bool, str]]  # row -> at, title, status, open, url


def _notifications(customer, user):
    from kefu.tickets.models import Notification

    return (
        Notification.objects.visible_to(user)
        .filter(customer=customer)
        .only("pk", "number", "description", "created_at", "stage", "status_id")
        .with_code_tables("status")
        .order_by("-created_at")[:LIMIT]
    )


def _notification_item(n):
    from kefu.workflow.choices import Stage

    is_open = n.stage in Stage.open_values()
    return (
        n.created_at,
        f"{n.number} {n.description}",
        n.status.display_name,
        is_open,
        reverse("tickets:detail", args=[n.pk]),
    )


def _complaints(customer, user):
    from kefu.complaints.models import Complaint

    query = Complaint.objects.visible_to(user).filter(customer=customer)
    return query.with_code_tables("status").order_by("-received_at")[:LIMIT]


def _complaint_item(c):
    url = reverse("complaints:complaint_detail", args=[c.pk])
    return c.received_at, f"{c.number} {c.subject}", c.status.display_name, c.is_open, url


def _accidents(customer, user):
    from kefu.complaints.models import Accident

    query = Accident.objects.visible_to(user).filter(customer=customer)
    return query.with_code_tables("status").order_by("-occurred_at")[:LIMIT]


def _accident_item(a):
    url = reverse("complaints:accident_detail", args=[a.pk])
    return a.occurred_at, f"{a.number} {a.place}", a.status.display_name, a.is_open, url


def _visits(customer, user):
    from kefu.visits.models import Visit

    return Visit.objects.visible_to(user).filter(customer=customer).order_by("-due_at")[:LIMIT]


def _visit_item(v):
    from kefu.visits.choices import VisitStatus

    title = f"{v.get_method_display()} {v.summary[:60] or v.reason}"
    is_open = v.status == VisitStatus.PLANNED
    return (
        v.performed_at or v.due_at,
        title,
        str(v.get_status_display()),
        is_open,
        reverse("visits:detail", args=[v.pk]),
    )


def _receptions(customer, user):
    from kefu.visits.models import Reception, ReceptionQuestion

    unanswered = ReceptionQuestion.objects.filter(reception=OuterRef("pk"), answered_at__isnull=True)
    return (
        Reception.objects.visible_to(user)
        .filter(customer=customer)
        .annotate(has_open_question=Exists(unanswered))
        .with_code_tables("status")
        .order_by("-started_at")[:LIMIT]
    )


def _reception_item(r):
    is_open = r.status.stage != "completed" or r.has_open_question
    url = reverse("visits:reception_detail", args=[r.pk])
    return r.started_at, f"{r.number} {r.get_purpose_display()}", r.status.display_name, is_open, url


def _ratings(customer, user):
    from kefu.surveys.models import Rating

    query = Rating.objects.visible_to(user).filter(customer=customer, rated_at__isnull=False)
    return query.order_by("-rated_at")[:LIMIT]


def _rating_item(rating):
    title = f"{rating.number} {'★' * (rating.stars or 0)} {rating.comment[:60]}"
    return rating.rated_at, title, f"{rating.stars}/5", False, ""


def _surveys(customer, user):
    from kefu.surveys.models import SurveyResponse

    query = SurveyResponse.objects.visible_to(user).filter(customer=customer)
    return query.select_related("template").order_by("-answered_at")[:LIMIT]


def _survey_item(response):
    return response.answered_at, response.template.name, str(response.get_collected_display()), False, ""


SOURCES: tuple[Source, ...] = (
    Source(
        "notification",
        "tickets.view_notification",
        lambda: _("Service notification"),
        "tools",
        _notifications,
        _notification_item,
    ),
    Source(
        "complaint",
        "complaints.view_complaint",
        lambda: _("Complaint"),
        "megaphone",
        _complaints,
        _complaint_item,
    ),
    Source(
        "accident", "complaints.view_accident", lambda: _("Accident"), "truck", _accidents, _accident_item
    ),
    Source("visit", "visits.view_visit", lambda: _("Return visit"), "telephone", _visits, _visit_item),
    Source("reception", "visits.view_visit", lambda: _("Reception"), "people", _receptions, _reception_item),
    Source("rating", "surveys.view_rating", lambda: _("Rating"), "star", _ratings, _rating_item),
    Source("survey", "surveys.view_rating", lambda: _("Survey"), "clipboard-data", _surveys, _survey_item),
)


def customer_story(customer, user) -> list[StoryItem]:
    """Every kind the user may see, each through its own scope; open work first, newest first."""
    items: list[StoryItem] = []
    for source in SOURCES:
        if not user.has_perm(source.permission):
            continue
        label = source.label()
        for row in source.rows(customer, user):
            at, title, status, is_open, url = source.item(row)
            items.append(StoryItem(source.kind, label, source.icon, at, title, status, is_open, url))
    items.sort(key=lambda i: i.at, reverse=True)
    items.sort(key=lambda i: not i.is_open)  # stable: open work first, each part newest first
    return items
