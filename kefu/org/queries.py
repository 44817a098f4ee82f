"""Read side of the organisation: the scoped staff directory, masked for roles without the right."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from kefu.core.masking import mask_email, mask_phone
from kefu.org.models import Staff


def staff_with_role(role_code: str, *, office=None) -> list[Staff]:
    """Active staff holding role `role_code` (in responsibility centre `office`, when given)."""
    qs = Staff.objects.filter(is_active=True, user__is_active=True, user__groups__role__code=role_code)
    if office is not None:
        qs = qs.filter(sales_offices=office)
    return list(qs.select_related("user").distinct().order_by("personnel_number"))


def can_see_staff_contacts(user) -> bool:
    return user.has_perm("org.view_personal_data")


def staff_directory(user, *, q: str = "", office: str = "") -> QuerySet[Staff]:
    qs = Staff.objects.visible_to(user).filter(is_active=True).select_related("department", "user")
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(personnel_number__startswith=q))
    if office:
        qs = qs.filter(sales_offices__code=office)
    return qs.prefetch_related("sales_offices", "work_centres", "user__groups").order_by("personnel_number")


@dataclass(frozen=True)
class StaffRow:
    id: int
    personnel_number: str
    name: str
    title: str
    department: str
    phone: str
    email: str
    offices: list[str]
    work_centres: list[str]
    roles: list[str]


def present_staff(staff: Staff, *, unmasked: bool) -> StaffRow:
    """The one read model of a staff member; contacts are masked unless `unmasked`."""
    return StaffRow(
        id=staff.pk,
        personnel_number=staff.personnel_number,
        name=staff.name,
        title=staff.title,
        department=str(staff.department or ""),
        phone=staff.phone if unmasked else mask_phone(staff.phone),
        email=staff.email if unmasked else mask_email(staff.email),
        offices=[o.code for o in staff.sales_offices.all()],
        work_centres=[w.code for w in staff.work_centres.all()],
        roles=[g.name for g in staff.user.groups.all()],
    )


def company_structure() -> list[dict]:
    """Branches with their responsibility centres, sales groups and work centres (a few dozen rows)."""
    from kefu.org.models import Department, SalesOrganization

    orgs = SalesOrganization.objects.filter(is_active=True).prefetch_related(
        "offices__groups", "offices__work_centres", "offices__business_area"
    )
    departments: dict[int | None, list] = {}
    for department in Department.objects.filter(is_active=True).order_by("code"):
        departments.setdefault(department.sales_organization_id, []).append(department)
    tree = [
        {"org": org, "offices": list(org.offices.all()), "departments": departments.get(org.pk, [])}
        for org in orgs
    ]
    if departments.get(None):
        tree.append({"org": None, "offices": [], "departments": departments[None]})
    return tree


def staff_picks(user, term: str, limit: int) -> list[dict]:
    """The person-responsible picker 负责人 (F4): people the user may make responsible, found by
    personnel number, a fragment of the name or its pinyin initials (wm → 王敏). Value: the pk."""
    from kefu.core import buffer, pickers
    from kefu.org.scope import assignable_staff

    def load() -> list[tuple]:
        rows = assignable_staff(user).values_list("pk", "personnel_number", "name")
        return [(pk, number, name, pickers.keys(number, name)) for pk, number, name in rows]

    return pickers.filter_rows(buffer.get(f"org.staff_picks:{user.pk}", load), term, limit)


def work_centre_picks(user, term: str, limit: int) -> list[dict]:
    """The work-centre picker 工作中心 (F4): the centres the user may hand work to. Value: the pk."""
    from kefu.core import buffer, pickers
    from kefu.org.scope import usable_work_centres

    def load() -> list[tuple]:
        rows = usable_work_centres(user).order_by("code").values_list("pk", "code", "name")
        return [(pk, code, name, pickers.keys(code, name)) for pk, code, name in rows]

    return pickers.filter_rows(buffer.get(f"org.work_centre_picks:{user.pk}", load), term, limit)


# --- read by the management reports (kefu.reports reads other apps only through their queries) ---
def work_centre_names(ids) -> dict:
    """{pk: {"pk", "code", "name"}} of the work centres `ids` (labels of a report's figures)."""
    from kefu.org.models import WorkCentre

    return {c["pk"]: c for c in WorkCentre.objects.filter(pk__in=list(ids)).values("pk", "code", "name")}


def sales_offices(ids) -> list:
    """The responsibility centres `ids`, by code."""
    from kefu.org.models import SalesOffice

    return list(SalesOffice.objects.filter(pk__in=ids).order_by("code"))


def appraised_staff() -> QuerySet[Staff]:
    """The people who get a scorecard: active staff of a responsibility centre (not the system
    administrator), with their centres."""
    return (
        Staff.objects.filter(is_active=True, sales_offices__isnull=False)
        .exclude(user__is_superuser=True)
        .prefetch_related("sales_offices")
        .distinct()
        .order_by("personnel_number")
    )
