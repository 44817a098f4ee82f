"""The caller's card is built once per call and per what its viewer may see (issue 14: fifty members
of a hotline queue poll in the same second). Each test has two viewers who differ in one part of
the card's key only, so a key that forgets that part serves one of them the other's card."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from kefu.contacts import services
from kefu.contacts.models import AgentQueue, Call
from kefu.contacts.tests.test_calls import event, post_event

FULL = "02158881234"  # the customer's landline as the card shows it unmasked


@pytest.fixture
def desk(org, customer, staff_factory):
    """A hotline queue of centre A's assistants (same roles, same scope) plus one of centre B and
    one of both centres; everyone has Kefu open."""
    cache.clear()
    members = {
        name: staff_factory(roles=["assistant"], offices=offices, name=label)
        for name, offices, label in (
            ("a1", [org.office_a], "甲一"),
            ("a2", [org.office_a], "甲二"),
            ("a3", [org.office_a], "甲三"),
            ("b", [org.office_b], "乙"),
            ("ab", [org.office_a, org.office_b], "甲乙"),
        )
    }
    queue = AgentQueue.objects.create(
        code="HOT", name="400 热线", numbers="4008001234", sales_office=org.office_a
    )
    queue.members.add(*(s.user for s in members.values()))
    for staff in members.values():
        services.touch_presence(staff.user)
    return members


def ring(source, n: int, number: str = "021-58881234") -> Call:
    at = timezone.now().isoformat()
    assert (
        post_event(Client(), event(n, "ring", at, call=f"k{n}", number=number, agent="HOT")).status_code
        == 200
    )
    return Call.objects.get(external_id=f"k{n}")


def poll(staff, *, language: str = "zh-hans", client: Client | None = None) -> dict[int, str]:
    """One poll of the agent's browser: {call id: card html} of the pops it got."""
    client = client or Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(staff.user)
    data = client.get("/contacts/calls/pops/?after=0&open=").json()
    return {row["call"]: row.get("html", "") for row in data["pops"]}


@pytest.mark.django_db
def test_masked_and_unmasked_viewers_of_one_call_each_get_their_own_card(source, customer, desk):
    from kefu.customers.models import Customer

    # a2 manages the account: the one masking rule shows them the customer's phone; a1 sees it masked
    Customer.objects.filter(pk=customer.pk).update(key_account_manager=desk["a2"])
    first = ring(source, 1)
    masked = poll(desk["a1"])[first.pk]
    assert "申齐保健食品有限公司" in masked and FULL not in masked
    assert FULL in poll(desk["a2"])[first.pk]  # after the masked card was built
    second = ring(source, 2)
    assert FULL in poll(desk["a2"])[second.pk]
    assert FULL not in poll(desk["a1"])[second.pk]  # after the full card was built


@pytest.mark.django_db
def test_each_viewer_gets_their_own_csrf_token_in_a_shared_card(source, customer, desk):
    call = ring(source, 1)
    poll(desk["a1"])  # builds the card
    browser = Client(enforce_csrf_checks=True)
    html = poll(desk["a2"], client=browser)[call.pk]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    taken = browser.post(f"/contacts/calls/{call.pk}/take/", {"csrfmiddlewaretoken": token})
    assert taken.status_code == 200  # a1's token would be refused (403) with a2's cookie


@pytest.mark.django_db
def test_two_languages_get_two_cards(source, customer, desk):
    call = ring(source, 1)
    assert "来电" in poll(desk["a1"], language="zh-hans")[call.pk]
    english = poll(desk["a2"], language="en")[call.pk]
    assert "Incoming call" in english and "来电" not in english


@pytest.mark.django_db
def test_a_customer_picked_or_changed_between_polls_shows_on_the_next_card(org, source, customer, desk):
    from kefu.customers.models import Customer
    from kefu.customers.services import reindex

    other = Customer.objects.create(
        number="2110050099", name="申齐分店", phone="02158881234", sales_office=org.office_a
    )
    reindex([other])
    call = ring(source, 1)
    offered = poll(desk["a1"])[call.pk]
    assert 'data-candidate="2110050099"' in offered and 'id="pop-customer"' not in offered
    services.pick_customer(call, actor=desk["a1"].user, customer=customer)
    picked = poll(desk["a2"])[call.pk]
    assert 'id="pop-customer">申齐保健食品有限公司' in picked and "data-candidate" not in picked
    services.pick_customer(Call.objects.get(pk=call.pk), actor=desk["a1"].user, customer=other)
    changed = poll(desk["a3"])[call.pk]
    assert 'id="pop-customer">申齐分店' in changed


@pytest.mark.django_db
def test_an_agent_outside_the_customers_centre_never_gets_the_card(org, source, customer, desk):
    call = ring(source, 1)
    assert "申齐保健食品有限公司" in poll(desk["ab"])[call.pk]  # built for a reader of both centres
    outsider = Client()
    outsider.force_login(desk["b"].user)
    response = outsider.get("/contacts/calls/pops/?after=0&open=").content.decode()
    assert "申齐保健食品有限公司" not in response and "pop-customer" not in response
    # popped as a queue member, they see the call (masked) but nothing of the customer
    card = poll(desk["b"]).get(call.pk, "")
    assert "2110050007" not in card and "58881234" not in card


@pytest.mark.django_db
def test_a_record_seen_through_another_centre_or_ownership_stays_with_its_readers(
    org, source, customer, desk
):
    from kefu.contacts.models import Contact

    # two earlier contacts of the customer recorded at centre B: one a2 owns, one nobody in centre A does
    owned = services.record_contact(
        actor=None, customer=customer, subject="甲二负责的旧事", first_responsible=desk["a2"]
    )
    other = services.record_contact(actor=None, customer=customer, subject="乙中心的旧事")
    Contact.objects.filter(pk__in=[owned.pk, other.pk]).update(sales_office=org.office_b)
    call = ring(source, 1)
    wide = poll(desk["ab"])[call.pk]  # both centres: both contacts
    assert "甲二负责的旧事" in wide and "乙中心的旧事" in wide
    plain = poll(desk["a1"])[call.pk]  # centre A only, owns neither
    assert "甲二负责的旧事" not in plain and "乙中心的旧事" not in plain
    own = poll(desk["a2"])[call.pk]  # centre A, owns one
    assert "甲二负责的旧事" in own and "乙中心的旧事" not in own
    assert "甲二负责的旧事" not in poll(desk["a3"])[call.pk]  # after a2's card was built
