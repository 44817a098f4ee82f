"""Outbound call lists 外呼任务: built from the owning apps' selections, calling hours and days
respected (no call offered outside them), retries with a time, progress per list, pages and API."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from kefu.contacts import queries, services
from kefu.contacts.errors import OutsideCallingHours
from kefu.contacts.models import CallList, CallTask

SH = ZoneInfo("Asia/Shanghai")
FRIDAY_10 = datetime(2026, 12, 4, 10, 0, tzinfo=SH)  # a working day
SATURDAY_10 = datetime(2026, 12, 5, 10, 0, tzinfo=SH)


@pytest.fixture
def lead(org, staff_factory):
    return staff_factory(roles=["supervisor"], offices=[org.office_a], name="刘洋")


@pytest.fixture
def customers(org, customer):
    from kefu.customers.models import Customer

    others = [
        Customer.objects.create(
            number=f"21100501{i:02d}", name=f"客户{i}", phone=f"0215888{i:04d}", sales_office=org.office_a
        )
        for i in range(3)
    ]
    outside = Customer.objects.create(number="2110059999", name="外地客户", sales_office=org.office_b)
    return [customer, *others, outside]


def plan_visits(customers, due):
    from kefu.visits.models import Visit

    for i, c in enumerate(customers):
        Visit.objects.create(
            customer=c,
            sales_office=c.sales_office,
            plan_key=f"t{i}",
            trigger="manual",
            method="phone",
            due_at=due,
        )


@pytest.mark.django_db
def test_list_from_return_visits_due_shares_the_centres_customers_over_the_agents(
    frozen_clock, lead, people, customers
):
    frozen_clock.set(FRIDAY_10)
    plan_visits(customers[:3], FRIDAY_10 + timedelta(days=2))
    plan_visits(customers[3:], FRIDAY_10 + timedelta(days=30))  # not due within 7 days
    agents = [people["agent"].user, people["keyaccount"].user]
    call_list = services.build_call_list(
        actor=lead.user, purpose="return_visit", sales_office=customers[0].sales_office, agents=agents, days=7
    )
    tasks = list(CallTask.objects.filter(call_list=call_list).order_by("id"))
    assert [t.customer_id for t in tasks] == [c.pk for c in customers[:3]]
    assert [t.agent for t in tasks] == [agents[0], agents[1], agents[0]]
    assert tasks[0].reference == "2026-12-06"


@pytest.mark.django_db
def test_satisfaction_and_needs_survey_selections(frozen_clock, lead, people, customers, org):
    from django.contrib.contenttypes.models import ContentType

    from kefu.customers.models import Customer
    from kefu.surveys.models import Rating

    frozen_clock.set(FRIDAY_10)
    for i, (c, stars) in enumerate(((customers[1], None), (customers[2], 5))):
        Rating.objects.create(
            content_type=ContentType.objects.get_for_model(Customer),
            object_id=c.pk,
            kind="notification",
            number=f"100002{i}",
            customer=c,
            sales_office=org.office_a,
            nonce=f"n{i}",
            issued_at=FRIDAY_10 - timedelta(days=2),
            expires_at=FRIDAY_10 + timedelta(days=12),
            stars=stars,
        )
    rows = queries.select_for_list(lead.user, "satisfaction", days=7)
    assert [r["customer"] for r in rows] == [customers[1].pk]  # the rated one is not called
    needs = {r["customer"] for r in queries.select_for_list(lead.user, "needs_survey", year=2026)}
    assert {c.pk for c in customers[:4]} <= needs and customers[4].pk not in needs  # scope: own centre


@pytest.mark.django_db
def test_no_call_offered_outside_calling_hours_or_on_rest_days(frozen_clock, lead, people, customers):
    agent = people["agent"].user
    frozen_clock.set(datetime(2026, 12, 4, 7, 30, tzinfo=SH))  # before the lists' 09:00
    call_list = services.create_call_list(
        actor=lead.user,
        name="回访",
        purpose="other",
        sales_office=customers[0].sales_office,
        customers=customers[:1],
        agents=[agent],
    )
    task = CallTask.objects.get(call_list=call_list)
    assert task.next_attempt_at == datetime(2026, 12, 4, 9, 0, tzinfo=SH)  # first offered at 09:00
    assert services.next_task(agent) is None
    with pytest.raises(OutsideCallingHours):
        services.record_attempt(task, actor=agent, outcome="reached")
    frozen_clock.set(FRIDAY_10)
    assert services.next_task(agent) == task
    frozen_clock.set(SATURDAY_10)  # a rest day in the work calendar
    assert services.next_task(agent) is None
    CallList.objects.filter(pk=call_list.pk).update(working_days_only=False)
    assert services.next_task(agent) == task


@pytest.mark.django_db
def test_no_answer_retries_at_the_time_asked_moved_into_calling_hours(frozen_clock, lead, people, customers):
    agent = people["agent"].user
    frozen_clock.set(datetime(2026, 12, 4, 17, 0, tzinfo=SH))
    call_list = services.create_call_list(
        actor=lead.user,
        name="回访",
        purpose="other",
        sales_office=customers[0].sales_office,
        customers=customers[:1],
        agents=[agent],
        retry_minutes=120,
        max_attempts=2,
    )
    task = CallTask.objects.get(call_list=call_list)
    services.record_attempt(task, actor=agent, outcome="no_answer")
    task.refresh_from_db()
    # 19:00 is past the 18:00 end and Saturday is a rest day: Monday 09:00
    assert task.status == "retry" and task.next_attempt_at == datetime(2026, 12, 7, 9, 0, tzinfo=SH)
    frozen_clock.set(datetime(2026, 12, 7, 9, 30, tzinfo=SH))
    services.record_attempt(task, actor=agent, outcome="busy")
    task.refresh_from_db()
    assert task.status == "failed" and task.attempts == 2  # the last allowed attempt gives it up


@pytest.mark.django_db
def test_retry_time_given_by_the_agent_and_progress(frozen_clock, lead, people, customers):
    agent = people["agent"].user
    frozen_clock.set(FRIDAY_10)
    call_list = services.create_call_list(
        actor=lead.user,
        name="回访",
        purpose="other",
        sales_office=customers[0].sales_office,
        customers=customers[:3],
        agents=[agent],
    )
    first, second, third = CallTask.objects.filter(call_list=call_list).order_by("id")
    services.record_attempt(first, actor=agent, outcome="call_back", retry_at=FRIDAY_10 + timedelta(hours=3))
    services.record_attempt(second, actor=agent, outcome="reached")
    first.refresh_from_db()
    assert first.next_attempt_at == FRIDAY_10 + timedelta(hours=3)
    progress = queries.list_progress(call_list)
    assert progress["total"] == 3 and progress["finished"] == 1 and progress["percent"] == 33
    statuses = {s["code"]: s["count"] for s in progress["statuses"]}
    assert statuses == {"pending": 1, "retry": 1, "done": 1, "failed": 0}
    outcomes = {s["code"]: s["count"] for s in progress["outcomes"]}
    assert outcomes["call_back"] == 1 and outcomes["reached"] == 1
    assert services.next_task(agent) == third  # the retry waits for its time
    from kefu.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        services.record_attempt(
            third, actor=agent, outcome="no_answer", retry_at=FRIDAY_10 - timedelta(hours=1)
        )


@pytest.mark.django_db
def test_pages_and_api(frozen_clock, lead, people, customers):
    frozen_clock.set(FRIDAY_10)
    plan_visits(customers[:2], FRIDAY_10 + timedelta(days=1))
    client = Client()
    client.force_login(lead.user)
    response = client.post(
        "/api/v1/contacts/lists",
        {
            "purpose": "return_visit",
            "sales_office": customers[0].sales_office.code,
            "agents": [people["agent"].user.username],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["total"] == 2 and body["percent"] == 0
    bad = client.post(
        "/api/v1/contacts/lists",
        {"purpose": "return_visit", "sales_office": "nope", "agents": ["x"]},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "sales_office" in bad.json()["error"]["fields"]
    page = client.get(f"/contacts/lists/{body['id']}/").content.decode()
    assert customers[0].name in page and 'id="list-progress"' in page
    assert client.get(f"/api/v1/contacts/lists/{body['id']}").json()["total"] == 2

    agent = Client()
    agent.force_login(people["agent"].user)
    nxt = agent.get("/api/v1/contacts/queue/next").json()
    assert nxt["task"]["customer_number"] == customers[0].number and nxt["waiting"] == 2
    html = agent.get("/contacts/queue/next/").content.decode()
    assert customers[0].name in html and "58881234" not in html  # the assistant sees the phone masked
    response = agent.post(
        f"/contacts/tasks/{nxt['task']['id']}/attempt/", {"outcome": "reached", "note": "", "next": "queue"}
    )
    assert response.status_code == 302 and response["Location"].endswith("/contacts/queue/next/")
    assert agent.get("/api/v1/contacts/queue/next").json()["task"]["customer_number"] == customers[1].number
    outsider = Client()
    outsider.force_login(people["outsider"].user)
    assert outsider.get(f"/contacts/lists/{body['id']}/").status_code == 404
