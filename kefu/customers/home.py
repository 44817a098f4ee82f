"""Home cards: customers in scope that carry a warning 异样客户 and the key accounts I manage."""

from django.urls import reverse
from django.utils.translation import gettext as _

from kefu.customers.models import Customer


def home_cards(user) -> list[dict]:
    if not user.has_perm("customers.view_customer"):
        return []
    qs = Customer.objects.visible_to(user)
    flagged = qs.filter(anomaly_mask__gt=0)[:1000].count()
    return [
        {
            "label": _("Customers with warnings"),
            "value": f"{flagged}+" if flagged == 1000 else flagged,
            "icon": "exclamation-triangle",
            "href": reverse("customers:warnings"),
            "order": 30,
        }
    ]
