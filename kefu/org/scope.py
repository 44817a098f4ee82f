"""What a user may see: the widest data scope of their roles, and their centres."""

from __future__ import annotations

from django.db.models import Value

from kefu.core.scoping import UserScope
from kefu.org.choices import DataScope

_CACHE_ATTR = "_kefu_scope"


def scope_for(user) -> UserScope:
    """The user's data scope: once per user object (i.e. once per request), and between requests
    from the buffer, which forgets it when roles, groups, staff or their centres change."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return UserScope(user_id=None)
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    from kefu.core import buffer

    scope, roles = buffer.get(f"org.scope:{user.pk}:{int(user.is_superuser)}", lambda: _load_scope(user))
    if not hasattr(user, _ROLES_ATTR):
        setattr(user, _ROLES_ATTR, roles)
    setattr(user, _CACHE_ATTR, scope)
    return scope


def _load_scope(user) -> tuple[UserScope, frozenset[str]]:
    from kefu.org.models import Role, Staff

    roles = list(Role.objects.filter(group__user=user).values_list("code", "data_scope"))
    scopes = {data_scope for _code, data_scope in roles}
    company_wide = user.is_superuser or DataScope.COMPANY in scopes
    staff = Staff.objects.filter(user=user, is_active=True).only("pk").first()
    office_ids: frozenset[int] = frozenset()
    work_centre_ids: frozenset[int] = frozenset()
    if staff is not None and DataScope.CENTRE in scopes:
        # Both memberships in one round trip: 1 = responsibility centre, 2 = work centre.
        offices = staff.sales_offices.order_by().annotate(kind=Value(1)).values_list("pk", "kind")
        centres = staff.work_centres.order_by().annotate(kind=Value(2)).values_list("pk", "kind")
        rows = list(offices.union(centres, all=True))
        office_ids = frozenset(pk for pk, kind in rows if kind == 1)
        work_centre_ids = frozenset(pk for pk, kind in rows if kind == 2)
    customer_id = None
    if not roles and staff is None and not user.is_superuser:
        customer_id = _portal_customer(user)
    scope = UserScope(
        user_id=user.pk,
        company_wide=company_wide,
        office_ids=office_ids,
        work_centre_ids=work_centre_ids,
        staff_id=staff.pk if staff else None,
        customer_id=customer_id,
    )
    return scope, frozenset(code for code, _scope in roles)


_ROLES_ATTR = "_kefu_role_codes"


def _portal_customer(user) -> int | None:
    """The customer of a customer user (a portal account of kefu.portal; never a staff login).
    A closed account's user is inactive, so it has no scope at all."""
    from django.apps import apps

    if not apps.is_installed("kefu.portal"):
        return None
    account = apps.get_model("portal", "PortalAccount")
    return account.objects.filter(user=user).values_list("customer_id", flat=True).first()


def forget_scope(user) -> None:
    """Drop the cached scope and roles after roles or memberships change."""
    for attr in (_CACHE_ATTR, _ROLES_ATTR):
        if hasattr(user, attr):
            delattr(user, attr)
    user._state.fields_cache.pop("staff", None)


def role_codes(user) -> set[str]:
    """The user's role codes, read with the scope (once per request, buffered between them)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached: frozenset[str] | None = getattr(user, _ROLES_ATTR, None)
    if cached is None:
        if user.is_active:
            scope_for(user)
            cached = getattr(user, _ROLES_ATTR, frozenset())
        else:
            from kefu.org.models import Role

            cached = frozenset(Role.objects.filter(group__user=user).values_list("code", flat=True))
        setattr(user, _ROLES_ATTR, cached)
    return set(cached or ())


# What an actor may USE when writing (offices, work centres, people), from the same scope as
# what they may see: a centre user writes into their centres and hands work to their people.


def usable_offices(user):
    """Responsibility centres 责任中心 the user may create or move records into."""
    from kefu.org.models import SalesOffice

    scope = scope_for(user)
    qs = SalesOffice.objects.filter(is_active=True)
    if scope.company_wide:
        return qs
    return qs.filter(pk__in=_own_offices(user, scope))


def usable_work_centres(user):
    """Work centres 工作中心 the user may hand work to: their own and those of their centres."""
    from django.db.models import Q

    from kefu.org.models import WorkCentre

    scope = scope_for(user)
    qs = WorkCentre.objects.filter(is_active=True)
    if scope.company_wide:
        return qs
    centres = set(scope.work_centre_ids) or _own_work_centres(user, scope)
    return qs.filter(Q(pk__in=centres) | Q(sales_office__in=_own_offices(user, scope)))


def usable_sales_groups(user):
    """Sales groups 销售组 the user may choose: those of the responsibility centres they may use."""
    from kefu.org.models import SalesGroup

    qs = SalesGroup.objects.filter(is_active=True)
    if scope_for(user).company_wide:
        return qs
    return qs.filter(sales_office__in=usable_offices(user))


def usable_departments(user):
    """Departments 部门 the user may choose (e.g. a complaint's handling department): the
    company-wide ones (no branch: 总部, 品管) and those of the branches 分公司 of the
    responsibility centres they may use."""
    from django.db.models import Q

    from kefu.org.models import Department

    qs = Department.objects.filter(is_active=True)
    if scope_for(user).company_wide:
        return qs
    branches = usable_offices(user).values("sales_organization")
    return qs.filter(Q(sales_organization__isnull=True) | Q(sales_organization__in=branches))


def assignable_staff(user):
    """People the user may make responsible 负责人: active staff in the user's scope who hold a
    working role (never a login that is only the system administrator)."""
    from kefu.org.models import Staff

    return (
        Staff.objects.visible_to(user)
        .filter(is_active=True, user__is_active=True, user__groups__role__isnull=False)
        .exclude(user__groups__role__code="administrator")
        .distinct()
        .order_by("personnel_number")
    )


def check_usable(user, **chosen) -> None:
    """Refuse, naming each field, an office, work centre or person outside what `user` may use.

    Services call this with what the actor chose (sales_office=…, work_centre=…, sales_group=…,
    responsible=…, owner=…, handling_department=…), so forms, the API, imports and tasks are
    all held to the same rule. A name not known here is an error of the caller, not ignored."""
    from django.utils.translation import gettext as _

    from kefu.core.errors import ValidationFailed

    sets = {
        "sales_office": usable_offices,
        "work_centre": usable_work_centres,
        "responsible": assignable_staff,
        "owner": assignable_staff,
        "sales_group": usable_sales_groups,
        "handling_department": usable_departments,
        "department": usable_departments,
    }
    unknown = set(chosen) - set(sets)
    if unknown:
        raise TypeError(f"check_usable: no rule for {', '.join(sorted(unknown))}")
    errors = {}
    for name, value in chosen.items():
        if value is None:
            continue
        pk = getattr(value, "pk", value)
        if not sets[name](user).filter(pk=pk).exists():
            errors[name] = [_("You may not choose this: it is outside your responsibility centres.")]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)


def _own_offices(user, scope: UserScope) -> set[int]:
    if scope.office_ids or scope.staff_id is None:
        return set(scope.office_ids)
    return set(user.staff.sales_offices.values_list("pk", flat=True))


def _own_work_centres(user, scope: UserScope) -> set[int]:
    if scope.staff_id is None:
        return set()
    return set(user.staff.work_centres.values_list("pk", flat=True))
