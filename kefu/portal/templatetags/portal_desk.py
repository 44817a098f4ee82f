"""The portal conversation on the desk's notification page: customer messages and public
replies, clearly apart from the internal long text."""

from django import template

register = template.Library()


@register.inclusion_tag("portal/partials/notification_messages.html", takes_context=True)
def portal_panel(context, notification) -> dict:
    from kefu.portal.queries import conversation

    return {
        "n": notification,
        "portal_messages": conversation(notification),
        "perms": context.get("perms"),
        "csrf_token": context.get("csrf_token"),
    }
