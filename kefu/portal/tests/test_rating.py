"""The customer rates a closed service from the portal (the one kefu.surveys rating, once), and
writing again on a request is recorded as a repeat contact for the first responsible."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kefu.core.errors import NotFound, ValidationFailed
from kefu.portal import services
from kefu.surveys.errors import RatingLinkUsed
from kefu.surveys.models import Rating


def _request(portal, text="抽屉锁坏了"):
    return services.submit_request(
        actor=portal.user, kind="repair", description=text, address_id=portal.address.pk
    )


def _close(n):
    from kefu.tickets.models import Notification
    from kefu.workflow.choices import Stage
    from kefu.workflow.models import Status

    done = Status.objects.filter(profile_id=n.status.profile_id, stage=Stage.COMPLETED).first()
    Notification.objects.filter(pk=n.pk).update(status=done, stage=Stage.COMPLETED)
    n.refresh_from_db()
    return n


def test_a_closed_service_is_rated_once_from_the_portal_page_and_the_api(customer_client, portal):
    n = _request(portal)
    # Not closed yet: nothing to rate, the field named.
    with pytest.raises(ValidationFailed) as exc:
        services.rate_service(actor=portal.user, notification_id=n.pk, stars=5)
    assert "stars" in exc.value.fields and Rating.objects.count() == 0
    _close(n)
    page = customer_client.get(reverse("portal:request", kwargs={"pk": n.pk})).content.decode()
    assert 'id="rating-submit"' in page
    bad = customer_client.post(
        f"/api/v1/portal/requests/{n.pk}/rating", {"stars": 9}, content_type="application/json"
    )
    assert bad.status_code == 400 and Rating.objects.filter(rated_at__isnull=False).count() == 0
    response = customer_client.post(
        reverse("portal:rate", kwargs={"pk": n.pk}), {"stars": "4", "comment": "师傅很准时"}
    )
    assert response.status_code == 302
    rating = Rating.objects.get()
    assert (rating.stars, rating.comment, rating.number, rating.customer_id) == (
        4,
        "师傅很准时",
        n.number,
        n.customer_id,
    )
    page = customer_client.get(reverse("portal:request", kwargs={"pk": n.pk})).content.decode()
    assert 'data-rated="4"' in page and 'id="rating-submit"' not in page
    # Once: the API answers 409 and the stars stay.
    again = customer_client.post(
        f"/api/v1/portal/requests/{n.pk}/rating", {"stars": 1}, content_type="application/json"
    )
    assert again.status_code == 409 and again.json()["error"]["code"] == "rating_link_used"
    with pytest.raises(RatingLinkUsed):
        services.rate_service(actor=portal.user, notification_id=n.pk, stars=1)
    rating.refresh_from_db()
    assert rating.stars == 4 and Rating.objects.count() == 1


def test_the_api_rates_and_the_mailed_link_then_is_used(customer_client, portal):
    from kefu.surveys import services as surveys

    n = _close(_request(portal))
    made = customer_client.post(
        f"/api/v1/portal/requests/{n.pk}/rating",
        {"stars": 2, "comment": "太慢"},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["stars"] == 2
    with pytest.raises(RatingLinkUsed):
        surveys.submit_rating(surveys.rating_token(Rating.objects.get()), stars=5)


def test_another_customers_record_answers_404_in_pages_and_api(portal):
    from django.test import Client

    n = _close(_request(portal))
    other = Client(HTTP_HOST="127.0.0.1")
    other.force_login(portal.other_account.user)
    assert other.post(reverse("portal:rate", kwargs={"pk": n.pk}), {"stars": "5"}).status_code == 404
    api = other.post(f"/api/v1/portal/requests/{n.pk}/rating", {"stars": 5}, content_type="application/json")
    assert api.status_code == 404
    with pytest.raises(NotFound):
        services.rate_service(actor=portal.other_account.user, notification_id=n.pk, stars=5)
    assert not Rating.objects.filter(rated_at__isnull=False).exists()


def test_a_portal_message_is_a_repeat_contact_for_the_first_responsible(portal):
    from kefu.channels.models import Notice
    from kefu.contacts import services as contacts
    from kefu.contacts.models import Contact as ContactRecord

    n = _request(portal)
    first = ContactRecord.objects.get(notification=n)
    contacts.take_contact(first, actor=portal.desk.assistant.user)
    services.post_message(actor=portal.user, notification_id=n.pk, body="还没有人联系我，请尽快。")
    again = ContactRecord.objects.exclude(pk=first.pk).get()
    assert (again.channel, again.repeat_of_id, again.first_responsible) == (
        "portal",
        first.pk,
        portal.desk.assistant,
    )
    assert again.person == portal.account.contact
    assert Notice.objects.filter(recipient=portal.desk.assistant.user, object_id=again.pk).exists()


def test_the_wechat_page_gives_a_single_use_expiring_code_and_regenerates(customer_client, portal):
    from datetime import timedelta

    from django.utils import timezone

    from kefu.channels.models import WeChatBindCode

    page = customer_client.get(reverse("portal:wechat")).content.decode()
    assert 'id="bind-none"' in page and "绑定" in page
    assert customer_client.post(reverse("portal:wechat")).status_code == 302
    first = WeChatBindCode.objects.get(contact=portal.account.contact)
    assert timedelta(hours=23) < first.expires_at - timezone.now() <= timedelta(hours=24)
    page = customer_client.get(reverse("portal:wechat")).content.decode()
    assert f'data-code="{first.code}"' in page and f"绑定 {first.code}" in page
    # Regenerate: a new code, the old one voided (it can no longer bind).
    api = customer_client.post("/api/v1/portal/wechat-code")
    assert api.status_code == 201
    second = api.json()["code"]
    assert (second and second != first.code) or WeChatBindCode.objects.filter(
        contact=portal.account.contact
    ).count() == 2
    first.refresh_from_db()
    assert first.expires_at <= timezone.now()
    assert customer_client.get("/api/v1/portal/wechat-code").json()["code"] == second
    # Staff are not customer users: the page is not theirs.
    from django.test import Client

    staff = Client(HTTP_HOST="127.0.0.1")
    staff.force_login(portal.desk.assistant.user)
    assert staff.get(reverse("portal:wechat")).status_code == 404
    assert staff.post("/api/v1/portal/wechat-code").status_code == 403
