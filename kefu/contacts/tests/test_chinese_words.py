"""Contacts' short words keep their own Chinese: Django merges every app's catalogue into one, so
"Done", "Contacts", "Closed", "Received at", "Purpose", "To" ask with the context "contacts"
(visits' "Done" is 已回访, customers' "Contacts" are 联系人, complaints' "Closed" is 已结案)."""

import pytest
from django.urls import reverse
from django.utils import translation

from kefu.contacts import services
from kefu.contacts.choices import TaskStatus
from kefu.contacts.forms import HandoverForm

pytestmark = pytest.mark.django_db


def test_a_done_call_task_is_done_not_visited():
    from kefu.visits.choices import VisitStatus

    with translation.override("zh-hans"):
        assert str(TaskStatus.DONE.label) == "已完成"
        assert str(VisitStatus.DONE.label) == "已回访"


def test_contact_list_says_contact_records_and_closed(client, customer, people):
    agent = people["agent"]
    contact = services.record_contact(actor=agent.user, customer=customer, subject="锁坏")
    services.close_contact(contact, actor=agent.user, expected_version=contact.version)
    client.force_login(agent.user)
    page = client.get(reverse("contacts:list"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "<title>联系记录" in page
    assert "联系人" not in page  # customers' contact persons, not this app's records
    assert "已关闭" in page and "已结案" not in page
    assert "<th>接收时间</th>" in page and "受理时间" not in page


def test_call_lists_purpose_and_handover_recipient(client, org, customer, people):
    from datetime import time

    from kefu.contacts.models import CallList

    CallList.objects.create(
        name="回访", sales_office=org.office_a, calling_from=time(8, 0), calling_until=time(18, 0)
    )
    client.force_login(people["keyaccount"].user)
    page = client.get(reverse("contacts:call_lists"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "<th>目的</th>" in page and "来访目的" not in page  # visits' reception purpose
    with translation.override("zh-hans"):
        assert str(HandoverForm.base_fields["to_staff"].label) == "转交给"
