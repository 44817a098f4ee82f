from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import render

from kefu.core.errors import NotFound
from kefu.core.htmx import render_page
from kefu.core.paging import BoundedPage, query_without_page
from kefu.core.scoping import access
from kefu.org.models import Staff
from kefu.org.queries import can_see_staff_contacts, company_structure, present_staff, staff_directory
from kefu.timeline.queries import events_for, present


@login_required
@permission_required("org.view_staff", raise_exception=True)
def staff_list(request):
    q = request.GET.get("q", "").strip()
    office = request.GET.get("office", "").strip()
    page = BoundedPage(staff_directory(request.user, q=q, office=office), request.GET.get("page"))
    unmasked = can_see_staff_contacts(request.user)
    rows = [present_staff(s, unmasked=unmasked) for s in page.object_list]
    context = {"page": page, "rows": rows, "q": q, "office": office, "query": query_without_page(request)}
    return render_page(request, "org/staff_list.html", "org/partials/staff_table.html", context)


@login_required
@permission_required("org.view_staff", raise_exception=True)
def staff_detail(request, pk: int):
    try:
        staff = access(
            Staff.objects.prefetch_related("sales_offices", "work_centres", "user__groups"), request.user, pk
        )
    except NotFound:
        raise Http404 from None
    row = present_staff(staff, unmasked=can_see_staff_contacts(request.user))
    return render(
        request,
        "org/staff_detail.html",
        {"staff": row, "events": present(events_for(staff), masked=not can_see_staff_contacts(request.user))},
    )


@login_required
@permission_required("org.view_staff", raise_exception=True)
def structure(request):
    return render(request, "org/structure.html", {"tree": company_structure()})
