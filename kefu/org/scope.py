"""What a user may see: the widest data scope of their roles, and their centres."""

from __future__ import annotations

from django.db.models import Value

from kefu.core.scoping import UserScope
from kefu.org.choices import DataScope

_CACHE_ATTR = "_kefu_scope"


def scope_for(user) -> UserScope:
    """The user's data scope, computed once per user object (i.e. once per request)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return UserScope(user_id=None)
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    from kefu.org.models import Role, Staff

    roles = list(Role.objects.filter(group__user=user).values_list("code", "data_scope"))
    if not hasattr(user, _ROLES_ATTR):
        setattr(user, _ROLES_ATTR, frozenset(code for code, _scope in roles))
    scopes = {data_scope for _code, data_scope in roles}
    company_wide = user.is_superuser or DataScope.COMPANY in scopes
    try:
        staff = user.staff  # cached on the user, so services asking again cost nothing
    except Staff.DoesNotExist:
        staff = None
    if staff is not None and not staff.is_active:
        staff = None
    office_ids: frozenset[int] = frozenset()
    work_centre_ids: frozenset[int] = frozenset()
    if staff is not None and DataScope.CENTRE in scopes:
        # Both memberships in one round trip: 1 = responsibility centre, 2 = work centre.
        offices = staff.sales_offices.order_by().annotate(kind=Value(1)).values_list("pk", "kind")
        centres = staff.work_centres.order_by().annotate(kind=Value(2)).values_list("pk", "kind")
        rows = list(offices.union(centres, all=True))
        office_ids = frozenset(pk for pk, kind in rows if kind == 1)
        work_centre_ids = frozenset(pk for pk, kind in rows if kind == 2)
    scope = UserScope(
        user_id=user.pk,
        company_wide=company_wide,
        office_ids=office_ids,
        work_centre_ids=work_centre_ids,
        staff_id=staff.pk if staff else None,
    )
    setattr(user, _CACHE_ATTR, scope)
    return scope


_ROLES_ATTR = "_kefu_role_codes"


def forget_scope(user) -> None:
    """Drop the cached scope and roles after roles or memberships change."""
    for attr in (_CACHE_ATTR, _ROLES_ATTR):
        if hasattr(user, attr):
            delattr(user, attr)
    user._state.fields_cache.pop("staff", None)


def role_codes(user) -> set[str]:
    """The user's role codes, read once per user object (i.e. once per request)."""
    from kefu.org.models import Role

    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, _ROLES_ATTR, None)
    if cached is None:
        cached = frozenset(Role.objects.filter(group__user=user).values_list("code", flat=True))
        setattr(user, _ROLES_ATTR, cached)
    return set(cached)
