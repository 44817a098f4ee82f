"""The December new-needs campaign 年度新需求调查 (seed 004, h-value): every active customer's
contact gets one mail with a signed link; twice → no duplicates; answered once without login."""

import pytest
from django.urls import reverse

from kefu.core.errors import PermissionDenied
from kefu.surveys import services
from kefu.surveys.errors import RatingLinkInvalid, RatingLinkUsed
from kefu.surveys.models import SurveyCampaign, SurveyInvitation, SurveyResponse

pytestmark = pytest.mark.django_db


@pytest.fixture
def audience(make_customer):
    from kefu.customers.models import Contact

    with_contact = make_customer(name="申齐保健食品有限公司", email="office@shenqi.example")
    Contact.objects.create(customer=with_contact, name="张伟", email="zhang@shenqi.example", is_primary=True)
    own_mail = make_customer(name="华盛家居", email="info@huasheng.example")
    no_mail = make_customer(name="无邮箱客户")
    inactive = make_customer(name="停用客户", email="old@example.com", is_active=False)
    return {"contact": with_contact, "own": own_mail, "none": no_mail, "inactive": inactive}


def test_campaign_mails_every_active_customer_once_after_commit(
    audience, people, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        campaign = services.start_campaign(actor=people["relation"].user, year=2026)
    assert sorted(m["X-Envelope-To"] for m in smtp_server) == [
        "info@huasheng.example",
        "zhang@shenqi.example",
    ]
    campaign.refresh_from_db()
    assert (campaign.total, campaign.sent, campaign.without_email) == (3, 2, 1)
    assert campaign.finished_at is not None
    assert not SurveyInvitation.objects.filter(customer=audience["inactive"]).exists()
    body = smtp_server[0].get_body(preferencelist=("plain",)).get_content()
    assert "/surveys/answer/" in body
    # started again (by hand, or the December schedule after a restart): nothing is sent twice
    with django_capture_on_commit_callbacks(execute=True):
        again = services.start_campaign(actor=None, year=2026)
    assert again.pk == campaign.pk and len(smtp_server) == 2
    assert SurveyInvitation.objects.count() == 3 and SurveyCampaign.objects.count() == 1


def test_batches_resume_from_the_cursor_without_duplicates(
    audience, people, django_capture_on_commit_callbacks
):
    from kefu.channels.models import OutboundMail

    campaign = services.start_campaign(actor=people["relation"].user, year=2026)  # not yet sent
    assert services.send_campaign_batch(campaign.pk, batch=1)
    campaign.refresh_from_db()
    assert campaign.total == 1
    # the task runs later (or twice): it continues after the cursor
    while services.send_campaign_batch(campaign.pk, batch=1):
        pass
    assert not services.send_campaign_batch(campaign.pk, batch=1)
    assert SurveyInvitation.objects.count() == 3
    assert OutboundMail.objects.count() == 2


def test_the_link_answers_once_and_a_forged_one_is_refused(audience, people):
    campaign = services.start_campaign(actor=people["relation"].user, year=2026)
    services.send_campaign_batch(campaign.pk)
    invitation = SurveyInvitation.objects.get(customer=audience["own"])
    token = services.campaign_token(invitation)
    response = services.answer_invitation(
        token, {"N1": {"text": "明年新开两家门店，需要整套办公家具"}, "N4": {"value": "4"}}
    )
    assert response.customer_id == audience["own"].pk and response.collected == "online"
    with pytest.raises(RatingLinkUsed):
        services.answer_invitation(token, {"N1": {"text": "再答一次"}})
    assert SurveyResponse.objects.count() == 1
    with pytest.raises(RatingLinkInvalid):
        services.invitation_for_token(token[:-3] + "abc")


def test_public_answer_page_and_hand_start_action(
    client, audience, people, django_capture_on_commit_callbacks
):
    assert client.post(reverse("surveys:campaign_start")).status_code == 302  # to login
    client.force_login(people["assistant"].user)
    assert client.post(reverse("surveys:campaign_start")).status_code == 403
    client.force_login(people["relation"].user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("surveys:campaign_start"))
    campaign = SurveyCampaign.objects.get()
    assert f"<td>{campaign.code} " in client.get(reverse("surveys:results")).content.decode()
    client.logout()
    invitation = SurveyInvitation.objects.get(customer=audience["contact"])
    url = reverse("surveys:campaign_answer", args=[services.campaign_token(invitation)])
    assert client.get(url).status_code == 200
    done = client.post(url, {"N1_text": "需要定期保养", "N4_value": "5"})
    assert done.status_code == 200 and 'id="campaign-done"' in done.content.decode()
    assert client.get(url).status_code == 409
    assert campaign.invitations.filter(answered_at__isnull=False).count() == 1


def test_campaign_api_is_idempotent_and_needs_the_permission(
    client, audience, people, django_capture_on_commit_callbacks
):
    client.force_login(people["assistant"].user)
    assert client.post("/api/v1/surveys/campaigns", {}, content_type="application/json").status_code == 403
    client.force_login(people["relation"].user)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post("/api/v1/surveys/campaigns", {"year": 2026}, content_type="application/json")
    assert first.status_code == 201, first.content
    second = client.post("/api/v1/surveys/campaigns", {"year": 2026}, content_type="application/json")
    assert second.status_code == 200 and second.json()["id"] == first.json()["id"]
    progress = client.get(f"/api/v1/surveys/campaigns/{first.json()['id']}").json()
    assert (progress["total"], progress["sent"], progress["done"]) == (3, 2, True)


def test_start_needs_permission(people):
    with pytest.raises(PermissionDenied):
        services.start_campaign(actor=people["assistant"].user, year=2026)
