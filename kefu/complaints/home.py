"""Workbench tiles of complaints and accidents: each counts exactly what its list link lists."""

from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _

from kefu.complaints import queries
from kefu.complaints.filtersets import AccidentFilterSet, ComplaintFilterSet
from kefu.core.homepage import list_card


def home_cards(user) -> list[dict]:
    cards = []
    if user.has_perm("complaints.view_complaint"):
        url = reverse("complaints:complaint_list")
        for label, query, icon, order, alarm in (
            (_("Open complaints"), "", "megaphone", 40, False),
            (_("Complaint steps overdue"), "overdue=true", "alarm", 41, True),
        ):
            rows = ComplaintFilterSet(QueryDict(query), queryset=queries.complaints_for(user)).qs
            cards.append(
                list_card(label=label, rows=rows, url=url, query=query, icon=icon, order=order, alarm=alarm)
            )
    if user.has_perm("complaints.view_accident"):
        query = "status=SGDJ"
        rows = AccidentFilterSet(QueryDict(query), queryset=queries.accidents_for(user)).qs
        cards.append(
            list_card(
                label=_("Accidents not yet reported"),
                rows=rows,
                url=reverse("complaints:accident_list"),
                query=query,
                icon="truck",
                order=45,
                alarm=True,
            )
        )
    return cards
