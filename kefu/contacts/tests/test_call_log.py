"""The call log 通话记录 as lists show it (page and API): narrow rows, labels translated once a
page, links resolved once, and phone numbers masked by the one rule (a key-account manager sees
their own customers' numbers whole)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kefu.contacts import services
from kefu.core.masking import mask_phone

pytestmark = pytest.mark.django_db


def log_page(user, language: str = "zh-hans", url: str = "/contacts/calls/") -> str:
    client = Client()
    client.force_login(user)
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_the_call_log_shows_each_call_masked_translated_and_linked(customer, people):
    agent = people["agent"].user
    call = services.simulate_ring(actor=agent, number="021-58881234")
    page = log_page(agent)
    assert "申齐保健食品有限公司" in page and "来电" in page  # inbound, in Chinese
    masked = mask_phone("02158881234")
    assert "58881234" not in page and masked in page  # the assistant sees the number masked
    assert f'href="{reverse("contacts:detail", args=[call.contact_id])}"' in page  # as reverse() gives
    assert f'href="{reverse("contacts:call_wrapup", args=[call.pk])}"' in page
    assert "Inbound" in log_page(agent, "en")

    customer.key_account_manager = people["keyaccount"]
    customer.save(update_fields=["key_account_manager"])
    # the key-account manager's own customer: whole
    assert people["keyaccount"].user.has_perm("contacts.view_call")
    page = log_page(people["keyaccount"].user)
    assert "02158881234" in page and masked not in page


def test_the_call_log_costs_the_same_queries_for_three_calls_or_thirty(customer, people):
    agent = people["agent"].user
    client = Client()
    client.force_login(agent)
    counts = []
    for total in (3, 30):
        while Call_count(agent) < total:
            services.simulate_ring(actor=agent, number="021-58881234")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/contacts/calls/").status_code == 200
            assert client.get("/api/v1/contacts/calls?limit=50").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def Call_count(user) -> int:
    from kefu.contacts.models import Call

    return Call.objects.count()
