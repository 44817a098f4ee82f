"""The appointment card on the notification page (the desk side of field service)."""

from __future__ import annotations

from django import template

from kefu.field.choices import Slot

register = template.Library()


@register.inclusion_tag("field/partials/appointment_card.html", takes_context=True)
def appointment_card(context, notification) -> dict:
    from kefu.field.models import Appointment

    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "n": notification,
        "appointment": Appointment.objects.filter(notification=notification).first(),
        "slots": Slot.choices,
        "can_set": bool(user and user.has_perm("field.change_appointment")),
        "csrf_token": context.get("csrf_token"),
    }
