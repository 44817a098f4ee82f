"""The customer's whole story: one read-side timeline of everything with a customer, open work first.

Reads notifications, complaints, accidents, visits, receptions, ratings and survey answers through
each record's own scoped queryset (nothing the user may not see), newest first, open work on top.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

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


def customer_story(customer, user) -> list[StoryItem]:
    items: list[StoryItem] = []
    if user.has_perm("tickets.view_notification"):
        from kefu.tickets.models import Notification
        from kefu.workflow.choices import Stage

        for n in (
            Notification.objects.visible_to(user)
            .filter(customer=customer)
            .select_related("status")
            .only("pk", "number", "description", "created_at", "stage", "status__code", "status__name")
            .order_by("-created_at")[:LIMIT]
        ):
            items.append(
                StoryItem(
                    "notification",
                    _("Service notification"),
                    "tools",
                    n.created_at,
                    f"{n.number} {n.description}",
                    n.status.display_name,
                    n.stage in Stage.open_values(),
                    reverse("tickets:detail", args=[n.pk]),
                )
            )
    if user.has_perm("complaints.view_complaint"):
        from kefu.complaints.models import Accident, Complaint

        for c in (
            Complaint.objects.visible_to(user)
            .filter(customer=customer)
            .select_related("status")
            .order_by("-received_at")[:LIMIT]
        ):
            items.append(
                StoryItem(
                    "complaint",
                    _("Complaint"),
                    "megaphone",
                    c.received_at,
                    f"{c.number} {c.subject}",
                    c.status.display_name,
                    c.is_open,
                    reverse("complaints:complaint_detail", args=[c.pk]),
                )
            )
        if user.has_perm("complaints.view_accident"):
            for a in (
                Accident.objects.visible_to(user)
                .filter(customer=customer)
                .select_related("status")
                .order_by("-occurred_at")[:LIMIT]
            ):
                items.append(
                    StoryItem(
                        "accident",
                        _("Accident"),
                        "truck",
                        a.occurred_at,
                        f"{a.number} {a.place}",
                        a.status.display_name,
                        a.is_open,
                        reverse("complaints:accident_detail", args=[a.pk]),
                    )
                )
    if user.has_perm("visits.view_visit"):
        from kefu.visits.choices import VisitStatus
        from kefu.visits.models import Reception, Visit

        for v in Visit.objects.visible_to(user).filter(customer=customer).order_by("-due_at")[:LIMIT]:
            items.append(
                StoryItem(
                    "visit",
                    _("Return visit"),
                    "telephone",
                    v.performed_at or v.due_at,
                    f"{v.get_method_display()} {v.summary[:60] or v.reason}",
                    str(v.get_status_display()),
                    v.status == VisitStatus.PLANNED,
                    reverse("visits:detail", args=[v.pk]),
                )
            )
        for r in (
            Reception.objects.visible_to(user)
            .filter(customer=customer)
            .select_related("status")
            .order_by("-started_at")[:LIMIT]
        ):
            items.append(
                StoryItem(
                    "reception",
                    _("Reception"),
                    "people",
                    r.started_at,
                    f"{r.number} {r.get_purpose_display()}",
                    r.status.display_name,
                    r.status.stage != "completed" or r.questions.filter(answered_at__isnull=True).exists(),
                    reverse("visits:reception_detail", args=[r.pk]),
                )
            )
    if user.has_perm("surveys.view_rating"):
        from kefu.surveys.models import Rating, SurveyResponse

        for rating in (
            Rating.objects.visible_to(user)
            .filter(customer=customer, rated_at__isnull=False)
            .order_by("-rated_at")[:LIMIT]
        ):
            items.append(
                StoryItem(
                    "rating",
                    _("Rating"),
                    "star",
                    rating.rated_at,
                    f"{rating.number} {'★' * (rating.stars or 0)} {rating.comment[:60]}",
                    f"{rating.stars}/5",
                    False,
                    "",
                )
            )
        for response in (
            SurveyResponse.objects.visible_to(user)
            .filter(customer=customer)
            .select_related("template")
            .order_by("-answered_at")[:LIMIT]
        ):
            items.append(
                StoryItem(
                    "survey",
                    _("Survey"),
                    "clipboard-data",
                    response.answered_at,
                    response.template.name,
                    str(response.get_collected_display()),
                    False,
                    "",
                )
            )
    items.sort(key=lambda i: i.at, reverse=True)
    items.sort(key=lambda i: not i.is_open)  # stable: open work first, each part newest first
    return items
