"""跨部门协作 pages (seed 004): the list, submitting a disagreement (also from a notification's
page), the dispute's page with its history, and the office's ruling form."""

import pytest
from django.test import TestCase
from django.urls import reverse

from kefu.core.testing.scope import client_for
from kefu.org.models import Department
from kefu.tickets import services
from kefu.tickets.models import Dispute, Notification
from kefu.tickets.queries import dispute_history
from kefu.tickets.tests.factories import ruling_inputs, submit_dispute

pytestmark = pytest.mark.django_db


def _ruling(desk, version):
    return {**ruling_inputs(desk), "version": version}


def test_submit_from_the_notification_page_prefilled_and_bad_input_named(desk):
    n = desk.z1()
    client = client_for(desk.assistant)
    detail = client.get(reverse("tickets:detail", args=[n.pk])).content.decode()
    link = f"{reverse('tickets:dispute_create')}?notification={n.number}"
    assert link in detail
    form = client.get(link).content.decode()
    assert f'value="{n.number}"' in form
    url = reverse("tickets:dispute_create")
    # Only the requesting department named as "other": the service's rule, on its field.
    bad = client.post(
        url,
        {
            "notification": n.number,
            "requesting_department": "LG011",
            "other_departments": ["LG011"],
            "issue": "争议",
            "positions": "各执一词",
        },
    )
    assert bad.status_code == 200 and 'data-field="other_departments"' in bad.content.decode()
    missing = client.post(url, {"notification": "99999999", "requesting_department": "LG011"})
    html = missing.content.decode()
    assert 'data-field="issue"' in html and 'data-field="other_departments"' in html
    unknown = client.post(
        url,
        {
            "notification": "99999999",
            "requesting_department": "LG011",
            "other_departments": ["QA"],
            "issue": "争议",
            "positions": "各执一词",
        },
    )
    assert 'data-field="notification"' in unknown.content.decode()
    assert not Dispute.objects.exists()
    ok = client.post(
        url,
        {
            "notification": n.number,
            "requesting_department": "LG011",
            "other_departments": ["QA"],
            "issue": "争议：谁来更换抽屉锁",
            "positions": "各执一词",
            "supervising_department": "HQ",
        },
    )
    dispute = Dispute.objects.get()
    assert ok.status_code == 302 and ok["Location"] == reverse("tickets:dispute_detail", args=[dispute.pk])
    assert dispute.notification == n and dispute.status.code == "TJBG"
    assert {d.code for d in dispute.other_departments.all()} == {"QA"}


def test_a_notification_outside_the_scope_cannot_be_disputed(desk):
    from kefu.tickets.tests.factories import make_customer

    theirs = desk.z1(
        actor=desk.outsider.user,
        customer=make_customer(desk.org.office_b),
        work_centre=desk.org.wc_b,
        responsible=desk.outsider_tech,
        sales_group=None,
    )
    client = client_for(desk.assistant)
    form = client.get(f"{reverse('tickets:dispute_create')}?notification={theirs.number}")
    assert form.status_code == 200
    refused = client.post(
        reverse("tickets:dispute_create"),
        {
            "notification": theirs.number,
            "requesting_department": "LG011",
            "other_departments": ["QA"],
            "issue": "争议",
            "positions": "各执一词",
        },
    )
    assert refused.status_code == 200 and 'data-field="notification"' in refused.content.decode()
    assert not Dispute.objects.exists()


def test_list_filters_by_status_and_department_and_respects_scope(desk, office):
    first = submit_dispute(desk)
    second = services.submit_dispute(
        actor=desk.assistant.user,
        notification=desk.z1(),
        requesting_department=Department.objects.get(code="QA"),
        other_departments=[Department.objects.get(code="HQ")],
        issue="第二个分歧",
        positions="x",
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.rule_dispute(actor=office.user, dispute=second, to="YCJ", inputs=ruling_inputs(desk))
    client = client_for(office)
    url = reverse("tickets:dispute_list")

    def listed(**params):
        html = client.get(url, params).content.decode()
        return {pk for pk in (first.pk, second.pk) if f'data-dispute="{pk}"' in html}

    assert listed() == {first.pk, second.pk}
    assert listed(status="TJBG") == {first.pk}
    assert listed(status="YCJ") == {second.pk}
    assert listed(department="LG011") == {first.pk, second.pk}  # second: ruled responsible
    assert listed(department="HQ") == {second.pk}
    # Another centre's assistant sees neither (the notifications are not theirs).
    other = client_for(desk.outsider).get(url).content.decode()
    assert f'data-dispute="{first.pk}"' not in other
    assert (
        client_for(desk.outsider).get(reverse("tickets:dispute_detail", args=[first.pk])).status_code == 404
    )
    # A technician holds no dispute permission.
    assert client_for(desk.technician).get(url).status_code == 403


def test_only_the_office_rules_the_ruling_is_enforced_and_shown(desk, office):
    dispute = submit_dispute(desk)
    url = reverse("tickets:dispute_step", args=[dispute.pk, "YCJ"])
    # The desk sees the dispute but has no ruling button, and cannot rule by posting.
    desk_client = client_for(desk.assistant)
    page = desk_client.get(reverse("tickets:dispute_detail", args=[dispute.pk])).content.decode()
    assert 'data-to="YCJ"' not in page and 'data-to="YCH"' in page
    refused = desk_client.post(url, _ruling(desk, dispute.version))
    assert refused.status_code == 403
    dispute.refresh_from_db()
    assert dispute.status.code == "TJBG" and not dispute.ruling

    client = client_for(office)
    page = client.get(reverse("tickets:dispute_detail", args=[dispute.pk])).content.decode()
    assert 'data-to="YCJ"' in page
    bad = client.post(url, {**_ruling(desk, dispute.version), "responsible": "no-such"})
    assert bad.status_code == 200 and 'data-field="responsible"' in bad.content.decode()
    empty = client.post(url, {**_ruling(desk, dispute.version), "ruling": ""})
    assert 'data-field="ruling"' in empty.content.decode()
    dispute.refresh_from_db()
    assert dispute.status.code == "TJBG"
    with TestCase.captureOnCommitCallbacks(execute=True):
        ok = client.post(url, _ruling(desk, dispute.version))
    assert ok.status_code == 302
    dispute.refresh_from_db()
    assert dispute.status.code == "YCJ" and dispute.responsible == desk.supervisor
    assert Notification.objects.get(pk=dispute.notification_id).responsible == desk.supervisor
    page = client.get(reverse("tickets:dispute_detail", args=[dispute.pk])).content.decode()
    assert "由区物流负责更换" in page and desk.supervisor.name in page
    assert 'data-event="ticket.dispute_ruled"' in page and 'data-event="ticket.dispute_submitted"' in page
    assert 'id="actions"' not in page  # ruled: no more steps


def test_a_stale_ruling_is_a_409_and_changes_nothing(desk, office):
    dispute = submit_dispute(desk)
    stale = dispute.version
    services.rule_dispute(
        actor=desk.assistant.user, dispute=dispute, to="YCH", inputs={"reason": "双方已协商一致"}
    )
    client = client_for(office)
    conflict = client.post(reverse("tickets:dispute_step", args=[dispute.pk, "YCJ"]), _ruling(desk, stale))
    assert conflict.status_code == 409
    dispute.refresh_from_db()
    assert dispute.status.code == "YCH" and not dispute.ruling


def test_the_desk_withdraws_with_a_reason(desk):
    dispute = submit_dispute(desk)
    client = client_for(desk.assistant)
    url = reverse("tickets:dispute_step", args=[dispute.pk, "YCH"])
    bad = client.post(url, {"reason": "", "version": dispute.version})
    assert 'data-field="reason"' in bad.content.decode()
    assert client.post(url, {"reason": "双方已协商一致", "version": dispute.version}).status_code == 302
    dispute.refresh_from_db()
    assert dispute.status.code == "YCH"
    assert client.get(reverse("tickets:dispute_step", args=[dispute.pk, "XXXX"])).status_code == 404


def test_the_ruling_form_picks_the_person_by_personnel_number(desk, office):
    import re

    from kefu.core.pinyin import initials

    dispute = submit_dispute(desk)
    client = client_for(office)
    url = reverse("tickets:dispute_step", args=[dispute.pk, "YCJ"])
    tag = re.search(r'<select[^>]*name="responsible"[^>]*>', client.get(url).content.decode()).group(0)
    assert 'data-picker="/pick/?source=staff"' in tag and 'data-picker-value="code"' in tag
    rows = client.get("/pick/", {"source": "staff", "q": initials(desk.supervisor.name)}).json()["results"]
    code = next(r["code"] for r in rows if r["value"] == str(desk.supervisor.pk))
    assert code == desk.supervisor.personnel_number  # what the select's options hold
    refused = client.post(url, {**_ruling(desk, dispute.version), "responsible": "no-such"}).content.decode()
    label = re.search(r'<label class="form-label" for="id_responsible">([^<]*)', refused).group(1).strip()
    assert label in re.search(r'data-field="responsible">([^<]*)<', refused).group(1)
    with TestCase.captureOnCommitCallbacks(execute=True):
        ok = client.post(url, {**_ruling(desk, dispute.version), "responsible": code})
    assert ok.status_code == 302
    dispute.refresh_from_db()
    assert dispute.responsible == desk.supervisor


def test_each_dispute_shows_only_the_events_it_caused_on_its_notification(desk):
    """Two disputes on one notification: each page's history has its own submission (picked
    from the notification's history by the payload's dispute id), not the other's."""
    n = desk.z1()
    first, second = submit_dispute(desk, n), submit_dispute(desk, n)
    client = client_for(desk.assistant)
    for dispute in (first, second):
        page = client.get(reverse("tickets:dispute_detail", args=[dispute.pk])).content.decode()
        assert page.count('data-event="ticket.dispute_submitted"') == 1
    assert [e["data"]["dispute"] for e in dispute_history(first) if "dispute" in e["data"]] == [first.pk]
    assert [e["data"]["dispute"] for e in dispute_history(second) if "dispute" in e["data"]] == [second.pk]
