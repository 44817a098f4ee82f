"""The knowledge panel on the desk's notification page: the solution used, and suggestions."""

from django import template

register = template.Library()


@register.inclusion_tag("knowledge/partials/notification_knowledge.html", takes_context=True)
def knowledge_panel(context, notification) -> dict:
    from kefu.knowledge.queries import solutions_for

    perms = context.get("perms")
    may_read = bool(perms and perms["knowledge"]["view_article"])
    solutions = solutions_for(notification) if may_read else []
    # Suggestions load after the page (htmx), so the notification page pays one query here.
    return {
        "n": notification,
        "may_read": may_read,
        "solutions": solutions,
        "suggest_text": f"{notification.description} {notification.long_text[-500:]}",
        "link_to": notification.pk if perms and perms["tickets"]["change_notification"] else None,
        "csrf_token": context.get("csrf_token"),
    }
