"""Organisation API: the staff directory, scoped and masked like the UI."""

from __future__ import annotations

from ninja import Router, Schema

from kefu.api.pagination import LIMIT, OFFSET, Page, page
from kefu.core.scoping import access
from kefu.org.models import Staff
from kefu.org.queries import can_see_staff_contacts, present_staff, staff_directory

router = Router(tags=["org"])


class StaffOut(Schema):
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


@router.get("/staff", response=Page[StaffOut], summary="Staff directory (scoped)")
def list_staff(request, q: str = "", office: str = "", limit: int = LIMIT, offset: int = OFFSET):
    unmasked = can_see_staff_contacts(request.user)
    return page(
        staff_directory(request.user, q=q, office=office),
        limit=limit,
        offset=offset,
        present=lambda rows: [present_staff(s, unmasked=unmasked) for s in rows],
    )


@router.get("/staff/{staff_id}", response=StaffOut, summary="One staff member")
def get_staff(request, staff_id: int):
    staff = access(
        Staff.objects.prefetch_related("sales_offices", "work_centres", "user__groups"),
        request.user,
        staff_id,
    )
    return present_staff(staff, unmasked=can_see_staff_contacts(request.user))
