from django.conf import settings

from kefu.core.navigation import nav_items, navbar_widgets


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "site_name": settings.KEFU_SITE_NAME}
    staff = getattr(user, "staff", None)
    return {
        "nav_items": nav_items(user),
        "navbar_widgets": navbar_widgets(user),
        "site_name": settings.KEFU_SITE_NAME,
        "current_staff": staff,
        "display_name": staff.name if staff else user.get_username(),
    }
