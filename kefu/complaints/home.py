"""Workbench cards: open complaints, late steps and accidents still waiting for their report."""

from django.urls import reverse
from django.utils.translation import gettext as _

from kefu.complaints.models import Accident, Complaint
from kefu.worktime import clock


def home_cards(user) -> list[dict]:
    cards = []
    now = clock.now()
    if user.has_perm("complaints.view_complaint"):
        open_qs = Complaint.objects.visible_to(user).filter(is_open__in=[True])
        url = reverse("complaints:complaint_list")
        late = open_qs.filter(step_deadline__lt=now)[:1000].count()
        cards.append(
            {
                "label": _("Open complaints"),
                "value": open_qs[:10000].count(),
                "icon": "megaphone",
                "href": url,
                "order": 40,
            }
        )
        cards.append(
            {
                "label": _("Complaint steps overdue"),
                "value": late,
                "icon": "alarm",
                "href": f"{url}?overdue=true",
                "colour": "danger" if late else "success",
                "order": 41,
            }
        )
    if user.has_perm("complaints.view_accident"):
        unreported = (
            Accident.objects.visible_to(user)
            .filter(is_open__in=[True], reported_at__isnull=True)[:1000]
            .count()
        )
        cards.append(
            {
                "label": _("Accidents not yet reported"),
                "value": unreported,
                "icon": "truck",
                "href": reverse("complaints:accident_list") + "?status=SGDJ",
                "colour": "danger" if unreported else "success",
                "order": 45,
            }
        )
    return cards
