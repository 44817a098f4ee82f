"""Complaints follow the one personal-data rule: write-only edit form, masked history."""

import pytest

from kefu.complaints.services import update_complaint
from kefu.core.testing.scope import client_for

pytestmark = pytest.mark.django_db

PHONE, NEW_PHONE = "13912345678", "13887654321"


def test_complaint_edit_form_and_history_hide_the_phone_from_a_masked_reader(people, make_complaint):
    complaint = make_complaint(contact_name="张伟", contact_phone=PHONE)
    client = client_for(people["specialist"])
    form = client.get(f"/complaints/{complaint.pk}/edit/").content.decode()
    assert PHONE not in form and 'placeholder="139****5678"' in form

    update_complaint(
        complaint, actor=people["manager"].user, expected_version=complaint.version, contact_phone=NEW_PHONE
    )
    page = client.get(f"/complaints/{complaint.pk}/").content.decode()
    assert PHONE not in page and NEW_PHONE not in page
    full = client_for(people["manager"]).get(f"/complaints/{complaint.pk}/").content.decode()
    assert NEW_PHONE in full


def test_a_complaint_cannot_be_given_to_another_centres_owner(people, make_complaint):
    from kefu.core.errors import ValidationFailed

    complaint = make_complaint()
    with pytest.raises(ValidationFailed) as refused:
        update_complaint(
            complaint,
            actor=people["specialist"].user,
            expected_version=complaint.version,
            owner=people["outsider"],
        )
    assert "owner" in refused.value.fields
    complaint.refresh_from_db()
    assert complaint.owner != people["outsider"]


def test_changing_the_material_records_its_old_code_and_name(people, make_complaint):
    from kefu.catalog.models import Material
    from kefu.timeline.queries import events_for

    first = Material.objects.create(code="T90001", name="活动柜锁")
    second = Material.objects.create(code="T90002", name="抽屉滑轨")
    complaint = make_complaint()
    update_complaint(
        complaint, actor=people["manager"].user, expected_version=complaint.version, material=first
    )
    complaint.refresh_from_db()
    update_complaint(
        complaint, actor=people["manager"].user, expected_version=complaint.version, material=second
    )
    changes = next(e for e in events_for(complaint) if e.event_type == "complaints.updated").data["changes"]
    assert changes["material_code"] == {"old": "T90001", "new": "T90002"}
    assert changes["material_name"]["old"] == "活动柜锁"


def test_the_90_day_complaint_count_goes_down_when_complaints_age_out(people, make_complaint, customer):
    from datetime import timedelta

    from django.utils import timezone

    from kefu.complaints.services import recount_customer_complaints

    make_complaint()
    customer.refresh_from_db()
    assert customer.complaints_90d == 1
    recount_customer_complaints(now=timezone.now() + timedelta(days=91))
    customer.refresh_from_db()
    assert customer.complaints_90d == 0
