"""Visit and reception pages: render, record through the page, scope and permissions."""

import pytest
from django.urls import reverse

from kefu.visits import services
from kefu.visits.choices import VisitStatus
from kefu.visits.models import Reception
from kefu.visits.testing import sh

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(frozen_clock, customer, people):
    frozen_clock.set(sh(2026, 12, 2, 10))
    return services.plan_visit(
        actor=people["relation"].user,
        customer=customer,
        due_at=sh(2026, 12, 4, 17),
        owner=people["keyaccount"],
    )


def _client(client, staff):
    client.force_login(staff.user)
    return client


def test_my_visits_due_lists_my_planned_visits_only(client, visit, people):
    c = _client(client, people["keyaccount"])
    page = c.get(reverse("visits:mine"))
    assert page.status_code == 200
    assert visit.customer.name in page.content.decode()
    other = _client(client, people["relation"]).get(reverse("visits:mine"))
    assert visit.customer.name not in other.content.decode()


def test_record_through_the_page_creates_a_notification(client, visit, people):
    from kefu.tickets.models import Notification

    c = _client(client, people["relation"])
    assert c.get(reverse("visits:detail", args=[visit.pk])).status_code == 200
    response = c.post(
        reverse("visits:record", args=[visit.pk]),
        {
            "version": visit.version,
            "method": "phone",
            "summary": "客户说椅子气杆下沉",
            "fu1_kind": "notification",
            "fu1_description": "椅子气杆下沉",
            "fu1_owner": people["technician"].pk,
        },
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DONE
    notification = Notification.objects.get(pk=visit.follow_ups.get().notification_id)
    detail = c.get(reverse("visits:detail", args=[visit.pk])).content.decode()
    assert notification.number in detail


def test_bad_input_names_the_field_and_saves_nothing(client, visit, people):
    c = _client(client, people["relation"])
    response = c.post(
        reverse("visits:record", args=[visit.pk]), {"version": visit.version, "method": "phone"}
    )
    assert response.status_code == 400
    assert "id_summary" in response.content.decode()
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED


def test_other_centre_sees_404(client, visit, people):
    c = _client(client, people["outsider"])
    assert c.get(reverse("visits:detail", args=[visit.pk])).status_code == 404


def test_report_rules_story_pages(client, visit, people):
    c = _client(client, people["relation"])
    for name, args in (
        ("visits:report", []),
        ("visits:rules", []),
        ("visits:list", []),
        ("visits:customer_story", [visit.customer_id]),
        ("visits:receptions", []),
        ("visits:reception_create", []),
        ("visits:plan", []),
        ("visits:rule_create", []),
    ):
        assert c.get(reverse(name, args=args)).status_code == 200, name
    story = c.get(reverse("visits:customer_story", args=[visit.customer_id])).content.decode()
    assert 'data-kind="visit"' in story


def test_reception_is_reviewed_by_the_relationship_supervisor(client, frozen_clock, customer, people):
    frozen_clock.set(sh(2026, 12, 2, 10))
    c = _client(client, people["keyaccount"])
    response = c.post(
        reverse("visits:reception_create"),
        {
            "customer": customer.number,
            "purpose": "negotiate",
            "started_at": "2026-12-02T09:00",
            "visitors": "张总、李经理",
            "conversation": "洽谈明年办公家具项目",
            "cost": "300",
            "question1": "能否提供样品?",
            "deadline1": "2026-12-09",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    reception = Reception.objects.get()
    assert reception.status.code == "JDCG" and reception.questions.count() == 1
    c.post(reverse("visits:reception_step", args=[reception.pk, "JDTJ"]), {"version": reception.version})
    reception.refresh_from_db()
    assert reception.status.code == "JDTJ"
    # the key-account specialist may not review
    c.post(reverse("visits:reception_step", args=[reception.pk, "JDSH"]), {"version": reception.version})
    reception.refresh_from_db()
    assert reception.status.code == "JDTJ"
    r = _client(client, people["relation"])
    r.post(reverse("visits:reception_step", args=[reception.pk, "JDSH"]), {"version": reception.version})
    reception.refresh_from_db()
    assert reception.status.code == "JDSH" and reception.reviewed_by == people["relation"].user
    question = reception.questions.get()
    r.post(reverse("visits:question_answer", args=[question.pk]), {"answer": "下周寄送样品"})
    question.refresh_from_db()
    assert question.answered_at is not None


def test_visit_words_keep_their_own_chinese(client, visit, people):
    """Catalogues merge into one: visits' "Done" (已回访), "Person" (人员) and the key-customer badge
    (关键客户 = the 重要 and 主要 tiers, seed 003) must not show another app's word."""
    from kefu.visits.models import Visit

    Visit.objects.filter(pk=visit.pk).update(is_key=True)
    c = _client(client, people["keyaccount"])
    report = c.get(reverse("visits:report"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "<th>人员</th>" in report and "<th>已回访</th>" in report
    assert "<th>已完成</th>" not in report  # contacts' done call task
    mine = c.get(reverse("visits:mine"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'title="关键客户"' in mine and "重要客户" not in mine  # 重要客户 is the top tier only
