from django.conf import settings

from kefu.core import buffer
from kefu.core.navigation import nav_menu, navbar_widgets


def navigation(request) -> dict:
    """The menu, the navbar widgets and the user's name: the same on every page of a user, so
    built once per user and kept in the buffer (roles, permissions and staff are watched)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "site_name": settings.KEFU_SITE_NAME}
    items, widgets, display_name = buffer.get(
        f"core.navigation:{user.pk}:{int(user.is_superuser)}:{int(user.is_active)}",
        lambda: (nav_menu(user), navbar_widgets(user), _display_name(user)),
    )
    return {
        "nav_items": items,
        "navbar_widgets": widgets,
        "site_name": settings.KEFU_SITE_NAME,
        "display_name": display_name,
    }


def _display_name(user) -> str:
    staff = getattr(user, "staff", None)
    return staff.name if staff else user.get_username()
