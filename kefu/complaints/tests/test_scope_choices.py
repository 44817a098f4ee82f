"""A centre user chooses a handling department 处理部门 of their own branch or a company-wide one."""

import pytest

from kefu.complaints.forms import transition_form_class
from kefu.complaints.models import Complaint
from kefu.complaints.services import transition_complaint
from kefu.core.errors import ValidationFailed
from kefu.core.testing.scope import api_client_for

from .conftest import RECORD_INPUTS

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_branch_logistics(org):
    from kefu.org.choices import DepartmentKind
    from kefu.org.models import Department, SalesOrganization

    branch = SalesOrganization.objects.create(code="F012", name="华东分公司")
    return Department.objects.create(
        code="LG012",
        name="上海区物流",
        kind=DepartmentKind.REGIONAL_LOGISTICS,
        mailbox="logistics.sh@example.com",
        sales_organization=branch,
    )


@pytest.fixture
def valid_complaint(make_complaint, people):
    c = make_complaint()
    for to, inputs in [("KSJL", RECORD_INPUTS), ("KSCL", {})]:
        transition_complaint(c, to, actor=people["specialist"].user, inputs=inputs)
    c.refresh_from_db()
    return c


def test_the_step_form_offers_departments_of_the_own_branch_and_company_wide(
    valid_complaint, people, org, other_branch_logistics
):
    form = transition_form_class(Complaint, "KSBM", ["handling_department"])(
        instance=valid_complaint, user=people["specialist"].user
    )
    offered = set(form.fields["handling_department"].queryset)
    assert {org.logistics, org.cs_department, org.quality, org.hq} <= offered
    assert other_branch_logistics not in offered
    manager_form = transition_form_class(Complaint, "KSBM", ["handling_department"])(
        instance=valid_complaint, user=people["manager"].user
    )
    assert other_branch_logistics in set(manager_form.fields["handling_department"].queryset)


def test_another_branchs_department_is_refused_by_service_and_api(
    valid_complaint, people, org, other_branch_logistics
):
    with pytest.raises(ValidationFailed) as refused:
        transition_complaint(
            valid_complaint,
            "KSBM",
            actor=people["specialist"].user,
            inputs={"handling_department": other_branch_logistics},
        )
    assert "handling_department" in refused.value.fields
    response = api_client_for(people["specialist"]).post(
        f"/api/v1/complaints/{valid_complaint.pk}/transitions",
        {
            "to": "KSBM",
            "inputs": {"handling_department": other_branch_logistics.pk},
            "version": valid_complaint.version,
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and "handling_department" in response.json()["error"]["fields"]
    valid_complaint.refresh_from_db()
    assert valid_complaint.status.code == "KSCL" and valid_complaint.handling_department is None
    # The own branch's logistics is fine.
    transition_complaint(
        valid_complaint,
        "KSBM",
        actor=people["specialist"].user,
        inputs={"handling_department": org.logistics},
    )
    valid_complaint.refresh_from_db()
    assert valid_complaint.handling_department == org.logistics
