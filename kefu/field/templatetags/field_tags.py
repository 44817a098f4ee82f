"""The appointment card on the notification page (the desk side of field service)."""

from __future__ import annotations

from django import template

from kefu.field.choices import Slot

register = template.Library()


@register.inclusion_tag("field/partials/appointment_card.html", takes_context=True)
def appointment_card(context, notification) -> dict:
    from kefu.core import prepared
    from kefu.field.models import Appointment

    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "n": notification,
        "appointment": next(
            iter(
                prepared.fetch(
                    "field.appointment_card",
                    lambda pk: Appointment.objects.filter(notification_id=pk).order_by("id")[:1],
                    pk=notification.pk,
                )
            ),
            None,
        ),
        "slots": Slot.choices,
        "can_set": bool(user and user.has_perm("field.change_appointment")),
        "csrf_token": context.get("csrf_token"),
    }
