"""Defects found in the security/privacy review (h-sec2): each test failed on the code before its fix."""

import pytest

from kefu.core.testing.scope import client_for

pytestmark = pytest.mark.django_db


def test_an_agent_id_beyond_any_integer_on_a_call_list_is_a_field_error_not_a_500(org, staff_factory):
    from kefu.contacts.models import CallList

    manager = staff_factory(roles=["manager"], offices=[org.office_a])
    response = client_for(manager).post(
        "/contacts/lists/new/",
        {"purpose": "satisfaction", "name": "回访", "sales_office": org.office_a.pk, "agents": ["9" * 23]},
    )
    assert response.status_code == 400
    assert "agents" in response.context["form"].errors
    assert not CallList.objects.exists()
