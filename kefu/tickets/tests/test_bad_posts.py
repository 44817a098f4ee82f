"""Hostile form and query values on the notification pages: a clear message, never a 500, and
nothing changed; a bulk assignment to a person the user may not choose is refused."""

import pytest
from django.contrib.messages import get_messages

from kefu.core.testing.scope import client_for
from kefu.tickets.models import SavedView

pytestmark = pytest.mark.django_db

# "²" is a digit to str.isdigit() but not to int(): a view that trusted isdigit() crashed.
SUPERSCRIPT_TWO = "²"


@pytest.fixture
def n(desk):
    return desk.z1()


def _messages(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_a_bulk_assignment_to_a_foreign_person_is_refused_and_keeps_the_person(desk, n):
    client = client_for(desk.assistant)
    response = client.post(
        "/notifications/bulk/", {"ids": [n.pk], "action": "assign", "responsible": desk.outsider_tech.pk}
    )
    assert response.status_code == 302
    n.refresh_from_db()
    assert n.responsible_id == desk.technician.pk  # the old code emptied it
    assert "不在您负责的责任中心范围内" in _messages(response)


def test_a_bulk_assignment_to_an_unknown_person_is_refused(desk, n):
    client = client_for(desk.assistant)
    for value in ("99999", "abc", SUPERSCRIPT_TWO):
        response = client.post(
            "/notifications/bulk/", {"ids": [n.pk], "action": "assign", "responsible": value}
        )
        assert response.status_code == 302
        n.refresh_from_db()
        assert n.responsible_id == desk.technician.pk
        assert "不在您负责的责任中心范围内" in _messages(response)


def test_an_empty_person_still_takes_the_work_off_everyone(desk, n):
    client_for(desk.assistant).post(
        "/notifications/bulk/", {"ids": [n.pk], "action": "assign", "responsible": ""}
    )
    n.refresh_from_db()
    assert n.responsible_id is None


def test_selected_ids_that_are_not_numbers_are_ignored(desk, n):
    client = client_for(desk.assistant)
    response = client.post(
        "/notifications/bulk/", {"ids": [SUPERSCRIPT_TWO, str(n.pk)], "action": "workplan"}
    )
    assert response.status_code == 302 and f"id={n.pk}" in response["Location"]
    assert client.get(f"/notifications/work-plan/?id={SUPERSCRIPT_TWO}").status_code == 200


def test_a_status_change_with_a_bad_version_names_the_field(desk, n):
    client = client_for(desk.assistant)
    status = n.status_id
    for value in ("abc", SUPERSCRIPT_TWO, "1e400"):
        response = client.post(f"/notifications/{n.pk}/status/", {"to": "TZJS", "version": value})
        assert response.status_code == 302
        assert "version" in _messages(response) and "整数" in _messages(response)
    n.refresh_from_db()
    assert n.status_id == status


def test_work_plan_codes_with_a_nul_find_nothing_instead_of_crashing(desk, n):
    client = client_for(desk.assistant)
    for query in ("work_centre=W%00A", "technician=20%002"):
        assert client.get(f"/notifications/work-plan/?{query}").status_code == 200


def test_a_saved_view_with_a_nul_is_refused(desk):
    client = client_for(desk.assistant)
    response = client.post("/notifications/views/", {"name": "我的\x00视图", "query": "q=1"})
    assert response.status_code == 302
    assert not SavedView.objects.exists()
    response = client.post("/notifications/views/", {"name": "我的视图", "query": "q=\x00"})
    assert not SavedView.objects.exists()


def test_a_page_number_that_is_not_a_plain_number_shows_page_one(desk, n):
    client = client_for(desk.assistant)
    assert client.get(f"/notifications/?page={SUPERSCRIPT_TWO}").status_code == 200
