"""Post-service ratings: the signed, single-use, expiring link in the closing mail; the evaluation rate."""

from datetime import date, timedelta

import pytest
from django.core import signing
from django.urls import reverse

from kefu.surveys import queries, services
from kefu.surveys.errors import RatingLinkExpired, RatingLinkInvalid, RatingLinkUsed
from kefu.surveys.models import Rating
from kefu.visits.testing import sh

pytestmark = pytest.mark.django_db


@pytest.fixture
def complaint(frozen_clock, customer, people):
    from kefu.complaints.services import create_complaint

    frozen_clock.set(sh(2026, 12, 2, 10))
    type(customer).objects.filter(pk=customer.pk).update(email="zhang@shenqi.example")
    customer.refresh_from_db()
    return create_complaint(actor=people["keyaccount"].user, customer=customer, subject="桌面开裂")


@pytest.fixture
def rating(complaint):
    return services.issue_rating(complaint)


def test_issue_is_idempotent(complaint):
    assert services.issue_rating(complaint).pk == services.issue_rating(complaint).pk
    assert Rating.objects.count() == 1


def test_rating_recorded_once(rating):
    token = services.rating_token(rating)
    services.submit_rating(token, stars=5, comment="很满意")
    rating.refresh_from_db()
    assert (rating.stars, rating.comment) == (5, "很满意")
    with pytest.raises(RatingLinkUsed):
        services.submit_rating(token, stars=1)
    rating.refresh_from_db()
    assert rating.stars == 5


def test_forged_and_altered_links_are_refused(rating):
    token = services.rating_token(rating)
    with pytest.raises(RatingLinkInvalid):
        services.rating_for_token(token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    forged = signing.dumps({"r": rating.pk, "n": "guess"}, salt=services.SALT, compress=True)
    with pytest.raises(RatingLinkInvalid):
        services.rating_for_token(forged)
    other_salt = signing.dumps({"r": rating.pk, "n": rating.nonce}, salt="other")
    with pytest.raises(RatingLinkInvalid):
        services.rating_for_token(other_salt)


def test_expired_link_is_refused(rating, frozen_clock):
    token = services.rating_token(rating)
    Rating.objects.filter(pk=rating.pk).update(expires_at=sh(2026, 12, 1))
    with pytest.raises(RatingLinkExpired):
        services.submit_rating(token, stars=4)
    assert Rating.objects.get(pk=rating.pk).rated_at is None


def test_public_page_answers_clearly(client, rating):
    token = services.rating_token(rating)
    url = reverse("surveys:rate", args=[token])
    page = client.get(url)
    assert page.status_code == 200 and rating.number in page.content.decode()
    bad = client.post(url, {"stars": "9"})
    assert bad.status_code == 400
    assert client.post(url, {"stars": "4", "comment": "好"}).status_code == 200
    again = client.post(url, {"stars": "1"})
    assert again.status_code == 409 and 'data-code="rating_link_used"' in again.content.decode()
    assert client.get(reverse("surveys:rate", args=["nonsense"])).status_code == 404
    assert Rating.objects.get(pk=rating.pk).stars == 4


def test_low_rating_warns_and_plans_a_return_visit(rating, people, django_capture_on_commit_callbacks):
    from kefu.channels.models import Notice
    from kefu.visits.models import Visit

    with django_capture_on_commit_callbacks(execute=True):
        services.submit_rating(services.rating_token(rating), stars=1, comment="太慢了")
    visit = Visit.objects.get(plan_key=f"rating:{rating.pk}")
    assert visit.trigger == "low_rating"
    assert Notice.objects.filter(recipient=visit.owner.user, urgent=True).exists()


def test_closing_a_complaint_mails_the_rating_link(complaint, people, settings):
    from kefu.channels.models import OutboundMail
    from kefu.complaints.models import Complaint
    from kefu.surveys.followups import rate_closed_service
    from kefu.workflow.models import Transition

    closing = Transition.objects.get(profile__code="KS", to_status__code="KSJA")
    Complaint.objects.filter(pk=complaint.pk).update(is_open=False)
    rate_closed_service(complaint, closing, {}, people["keyaccount"].user)
    mail = OutboundMail.objects.get(to=["zhang@shenqi.example"])
    rating = Rating.objects.get()
    assert settings.KEFU_BASE_URL + reverse("surveys:rate", args=[services.rating_token(rating)]) in mail.body
    # a complaint judged not valid is not rated
    not_valid = Transition.objects.filter(profile__code="KS", to_status__code="KSBC").first()
    Rating.objects.all().delete()
    rate_closed_service(complaint, not_valid, {}, people["keyaccount"].user)
    assert not Rating.objects.exists()


def test_evaluation_rate_per_centre(frozen_clock, make_customer, people, org):
    from kefu.complaints.services import create_complaint

    frozen_clock.set(sh(2026, 12, 2, 10))
    ratings = []
    for i in range(5):
        c = create_complaint(actor=people["keyaccount"].user, customer=make_customer(), subject=f"问题{i}")
        ratings.append(services.issue_rating(c))
    for r in ratings[:4]:
        services.submit_rating(services.rating_token(r), stars=4)
    rows = queries.evaluation_rate(people["relation"].user, date(2026, 12, 1), date(2026, 12, 31))
    assert len(rows) == 1
    assert (rows[0]["issued"], rows[0]["rated"], rows[0]["rate"], rows[0]["meets_target"]) == (
        5,
        4,
        80.0,
        True,
    )
    outsider = queries.evaluation_rate(people["outsider"].user, date(2026, 12, 1), date(2026, 12, 31))
    assert outsider == []
    assert queries.rate(0, 0) is None
    assert date(2026, 12, 2) - timedelta(days=1) == date(2026, 12, 1)


def test_ratings_feed_the_customer_satisfaction_score(rating, customer):
    services.submit_rating(services.rating_token(rating), stars=4)
    assert services.feed_satisfaction() == 1
    customer.refresh_from_db()
    assert customer.satisfaction == 80
    assert services.feed_satisfaction() == 0  # nothing changes the second time


def test_low_rating_is_an_open_warning_until_acknowledged(rating, people, django_capture_on_commit_callbacks):
    """h-value: the low rating is on the warning list of who must act, acknowledged with a note."""
    from kefu.customers.models import CustomerWarning
    from kefu.customers.services import acknowledge_warning

    with django_capture_on_commit_callbacks(execute=True):
        services.submit_rating(services.rating_token(rating), stars=2, comment="态度差")
    warning = CustomerWarning.objects.get(kind="low_rating")
    assert warning.is_open and warning.customer_id == rating.customer_id
    acknowledge_warning(warning, actor=people["keyaccount"].user, note="已回访致歉")
    assert not CustomerWarning.objects.filter(is_open=True).exists()
