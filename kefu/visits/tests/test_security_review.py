"""Defects found in the security/privacy review (h-sec2): each test failed on the code before its fix."""

import pytest

from kefu.visits import services
from kefu.visits.testing import sh

pytestmark = pytest.mark.django_db


def test_the_data_card_written_back_names_the_recorder_not_the_system(frozen_clock, customer, people):
    """The relationship supervisor may not add contacts in the archive himself; the visit writes
    its data card back anyway, and the customer's history names him, not "system"."""
    from kefu.timeline.models import TimelineEvent

    frozen_clock.set(sh(2026, 12, 2, 10))
    recorder = people["relation"].user
    assert not recorder.has_perm("customers.add_contact")
    visit = services.plan_visit(actor=recorder, customer=customer, due_at=sh(2026, 12, 4, 17), reason="回访")
    services.record_visit(
        visit,
        actor=recorder,
        expected_version=visit.version,
        summary="回访",
        needs="新增仓库",
        card={"contact_name": "王主任", "contact_phone": "13912345678"},
    )
    events = TimelineEvent.objects.filter(
        object_id=customer.pk, event_type__in=["customer.contact_added", "customer.changed"]
    )
    assert {e.event_type for e in events} == {"customer.contact_added", "customer.changed"}
    assert {e.actor_id for e in events} == {recorder.pk}
