"""Writes to the organisation: staff and their roles. Views, admin actions and the demo call these."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext_lazy

from kefu.core.errors import ValidationFailed
from kefu.core.validation import full_clean
from kefu.org.models import Department, Role, SalesOffice, Staff, WorkCentre
from kefu.org.scope import forget_scope
from kefu.timeline.registry import register
from kefu.timeline.services import record

STAFF_CREATED = register("org.staff_created", gettext_lazy("Staff member created"), icon="person-plus")
ROLES_CHANGED = register(
    "org.roles_changed",
    gettext_lazy("Roles changed"),
    describe=lambda d: "、".join(d.get("roles", [])),
    icon="people",
)


def create_staff(
    *,
    actor,
    username: str,
    personnel_number: str,
    name: str,
    password: str | None = None,
    roles: Sequence[str] = (),
    department: Department | None = None,
    sales_offices: Sequence[SalesOffice] = (),
    work_centres: Sequence[WorkCentre] = (),
    phone: str = "",
    email: str = "",
    title: str = "",
    is_superuser: bool = False,
) -> Staff:
    """Create a login and its staff record with roles and centre memberships."""
    User = get_user_model()
    with transaction.atomic():
        user = User(username=username, email=email, is_staff=is_superuser, is_superuser=is_superuser)
        user.first_name = name[:150]
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        full_clean(user, unique=True)
        user.save()
        staff = Staff(
            user=user,
            personnel_number=personnel_number,
            name=name,
            phone=phone,
            email=email,
            title=title,
            department=department,
        )
        full_clean(staff, exclude=["user"], unique=True)
        staff.save()
        staff.sales_offices.set(sales_offices)
        staff.work_centres.set(work_centres)
        set_roles(staff, roles, actor=actor, record_event=False)
        record(staff, STAFF_CREATED.code, actor=actor, data={"roles": list(roles)})
    return staff


def set_roles(staff: Staff, role_codes: Sequence[str], *, actor, record_event: bool = True) -> None:
    """Replace the staff member's roles; the admin 'is_staff' flag follows the administrator role."""
    roles = list(Role.objects.filter(code__in=role_codes).select_related("group"))
    unknown = set(role_codes) - {r.code for r in roles}
    if unknown:
        raise ValidationFailed(fields={"roles": [", ".join(sorted(unknown))]})
    user = staff.user
    role_groups = Group.objects.filter(role__isnull=False)
    user.groups.remove(*role_groups)
    user.groups.add(*[r.group for r in roles])
    if "administrator" in role_codes and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    forget_scope(user)
    if record_event:
        record(staff, ROLES_CHANGED.code, actor=actor, data={"roles": [r.group.name for r in roles]})
