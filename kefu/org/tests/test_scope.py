"""Data scope: a user of one responsibility centre cannot read another's records (UI and API)."""

import pytest

from kefu.core.testing.queries import assert_max_queries
from kefu.core.testing.scope import api_client_for, client_for, probe_scoped_record
from kefu.org.models import Staff
from kefu.org.scope import scope_for


@pytest.fixture
def people(org, staff_factory):
    return {
        "a": staff_factory(roles=["assistant"], offices=[org.office_a], work_centres=[org.wc_a], name="陈静"),
        "a_tech": staff_factory(
            roles=["technician"], offices=[org.office_a], work_centres=[org.wc_a], name="王敏"
        ),
        "b": staff_factory(roles=["assistant"], offices=[org.office_b], work_centres=[org.wc_b], name="吴倩"),
        "manager": staff_factory(roles=["manager"], name="李建国"),
    }


def test_scope_of_roles(people, org):
    assert scope_for(people["manager"].user).company_wide
    centre = scope_for(people["a"].user)
    assert not centre.company_wide and centre.office_ids == {org.office_a.pk}
    own = scope_for(people["a_tech"].user)
    assert not own.company_wide and own.office_ids == frozenset()


def test_staff_record_of_another_centre_is_invisible_in_ui_and_api(people):
    target = people["a_tech"]
    probe_scoped_record(
        page_url=f"/org/staff/{target.pk}/",
        api_url=f"/api/v1/org/staff/{target.pk}",
        insider=people["a"],
        outsider=people["b"],
        company_wide=people["manager"],
        missing_page_url="/org/staff/999999/",
        missing_api_url="/api/v1/org/staff/999999",
    )


def test_directory_lists_only_own_centre(people):
    names = {row["name"] for row in api_client_for(people["b"]).get("/api/v1/org/staff").json()["items"]}
    assert names == {"吴倩"}
    page = client_for(people["a"]).get("/org/staff/").content.decode()
    assert "王敏" in page and "吴倩" not in page


def test_technician_sees_only_self(people):
    items = api_client_for(people["a_tech"]).get("/api/v1/org/staff").json()["items"]
    assert [row["name"] for row in items] == ["王敏"]


def test_contacts_are_masked_for_roles_without_the_right(people):
    masked = api_client_for(people["a"]).get(f"/api/v1/org/staff/{people['a_tech'].pk}").json()
    assert masked["phone"] == "138****5678"
    assert (
        "13812345678"
        not in client_for(people["a"]).get(f"/org/staff/{people['a_tech'].pk}/").content.decode()
    )
    clear = api_client_for(people["manager"]).get(f"/api/v1/org/staff/{people['a_tech'].pk}").json()
    assert clear["phone"] == "13812345678"


def test_directory_query_count_does_not_grow_with_rows(people, staff_factory, org):
    client = client_for(people["manager"])
    client.get("/org/staff/")
    with assert_max_queries(13) as few:
        client.get("/org/staff/")
    for _ in range(10):
        staff_factory(roles=["technician"], offices=[org.office_a])
    with assert_max_queries(len(few.captured_queries)):
        response = client.get("/org/staff/")
    assert response.content.decode().count("/org/staff/") >= Staff.objects.count()


def test_structure_page_shows_branches_offices_and_work_centres(people):
    html = client_for(people["a"]).get("/org/").content.decode()
    assert "F011" in html and "4002" in html and "S4002" in html and "logistics.bj@example.com" in html
