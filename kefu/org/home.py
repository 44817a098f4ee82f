from django.urls import reverse
from django.utils.translation import gettext as _

from kefu.org.models import Staff


def home_cards(user) -> list[dict]:
    if not user.has_perm("org.view_staff"):
        return []
    count = Staff.objects.visible_to(user).filter(is_active=True).count()
    return [
        {
            "label": _("Colleagues in my scope"),
            "value": count,
            "icon": "people",
            "href": reverse("org:staff_list"),
            "order": 90,
        }
    ]
