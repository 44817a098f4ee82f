"""Every write of ratings and surveys: issue a rating link, take the customer's rating once, answers.

The rating link carries a token signed with django.core.signing (salted, timestamped): a forged
or altered token fails the signature, an old one fails `max_age` and the stored expiry, and a
used one fails the conditional UPDATE that records the stars, so two submissions at once still
record exactly one rating.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kefu.core.errors import ValidationFailed
from kefu.core.scoping import require_perm
from kefu.core.validation import check_text, full_clean
from kefu.surveys import events, tallies
from kefu.surveys.choices import LOW_STARS, AnswerKind, ServiceKind
from kefu.surveys.errors import RatingLinkExpired, RatingLinkInvalid, RatingLinkUsed
from kefu.surveys.models import Rating, SurveyAnswer, SurveyResponse, SurveyTemplate
from kefu.timeline.services import record
from kefu.worktime import clock

SALT = "kefu.surveys.rating"
LINK_DAYS = 30


def _link_days() -> int:
    return int(getattr(settings, "KEFU_RATING_LINK_DAYS", LINK_DAYS))


def _service_facts(service: Any) -> dict:
    """Who and where a closed notification or complaint is rated for."""
    from kefu.complaints.models import Complaint

    if isinstance(service, Complaint):
        return {
            "kind": ServiceKind.COMPLAINT,
            "sales_office_id": service.sales_office_id,
            "work_centre_id": None,
            "staff_id": service.owner_id,
        }
    return {
        "kind": ServiceKind.NOTIFICATION,
        "sales_office_id": service.sales_office_id,
        "work_centre_id": service.work_centre_id,
        "staff_id": service.responsible_id,
    }


def issue_rating(service: models.Model) -> Rating:
    """The rating of a closed service (created once; a reopened and closed service keeps it)."""
    ct = ContentType.objects.get_for_model(service, for_concrete_model=True)
    existing = Rating.objects.filter(content_type=ct, object_id=service.pk).first()
    if existing is not None:
        return existing
    now = clock.now()
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                content_type=ct,
                object_id=service.pk,
                number=service.number,  # type: ignore[attr-defined]
                customer_id=service.customer_id,  # type: ignore[attr-defined]
                nonce=uuid.uuid4().hex,
                issued_at=now,
                expires_at=now + timedelta(days=_link_days()),
                **_service_facts(service),
            )
            tallies.count_issued(rating)
            return rating
    except IntegrityError:  # issued concurrently: the first one stands
        return Rating.objects.get(content_type=ct, object_id=service.pk)


def rating_token(rating: Rating) -> str:
    return signing.dumps({"r": rating.pk, "n": rating.nonce}, salt=SALT, compress=True)


def rating_url(rating: Rating) -> str:
    base = getattr(settings, "KEFU_BASE_URL", "").rstrip("/")
    return f"{base}{reverse('surveys:rate', args=[rating_token(rating)])}"


def rating_for_token(token: str) -> Rating:
    """The rating a link points at, if the link is genuine and still open; a clear error otherwise."""
    try:
        data = signing.loads(token, salt=SALT, max_age=timedelta(days=_link_days()))
    except signing.SignatureExpired:
        raise RatingLinkExpired() from None
    except (signing.BadSignature, ValueError, TypeError):
        raise RatingLinkInvalid() from None
    if not isinstance(data, dict):
        raise RatingLinkInvalid()
    pk, nonce = data.get("r"), data.get("n")
    if not isinstance(pk, int) or not isinstance(nonce, str):
        raise RatingLinkInvalid()
    rating = Rating.objects.select_related("customer").filter(pk=pk, nonce=nonce).first()
    if rating is None:
        raise RatingLinkInvalid()
    if rating.rated_at is not None:
        raise RatingLinkUsed()
    if rating.expires_at < clock.now():
        raise RatingLinkExpired()
    return rating


def submit_rating(token: str, *, stars: Any, comment: str = "") -> Rating:
    """The customer's rating from the link: once only; a low score warns and plans a return visit."""
    rating = rating_for_token(token)
    try:
        stars = int(stars)
    except (TypeError, ValueError):
        stars = 0
    if not 1 <= stars <= 5:
        raise ValidationFailed(fields={"stars": [_("Choose from 1 to 5 stars.")]})
    comment = (comment or "").strip()
    if len(comment) > 1000:
        raise ValidationFailed(fields={"comment": [_("At most 1,000 characters.")]})
    check_text(comment=comment)
    now = clock.now()
    with transaction.atomic():
        updated = Rating.objects.filter(pk=rating.pk, rated_at__isnull=True).update(
            stars=stars, comment=comment, rated_at=now
        )
        if not updated:
            raise RatingLinkUsed()
        rating.stars, rating.comment, rating.rated_at = stars, comment, now
        tallies.count_rated(rating, stars, now)
        service = rating.content_type.get_object_for_this_type(pk=rating.object_id)
        record(service, events.RATED.code, data={"stars": stars, "comment": comment})
        record(rating, events.RATED.code, data={"stars": stars, "comment": comment})
        if stars <= LOW_STARS:
            transaction.on_commit(lambda: warn_low_rating(rating.pk))
    return rating


def warn_low_rating(rating_id: int) -> None:
    """A low score: tell who must act (in-app and mail) and plan a return visit (rule: low rating)."""
    from kefu.channels.services import notify, send_mail
    from kefu.visits.choices import Trigger
    from kefu.visits.services import plan_event_visit

    rating = Rating.objects.select_related("customer", "staff", "customer__key_account_manager").get(
        pk=rating_id
    )
    customer = rating.customer
    visit = plan_event_visit(
        customer=customer,
        trigger=Trigger.LOW_RATING,
        plan_key=f"rating:{rating.pk}",
        reason=_("Rated %(stars)s stars for %(number)s") % {"stars": rating.stars, "number": rating.number},
    )
    recipients = {
        s.pk: s for s in (customer.key_account_manager, rating.staff, visit.owner if visit else None) if s
    }
    message = _("Low rating: %(customer)s gave %(number)s %(stars)s stars. %(comment)s") % {
        "customer": customer.name,
        "number": rating.number,
        "stars": rating.stars,
        "comment": rating.comment[:100],
    }
    url = (
        reverse("visits:detail", args=[visit.pk])
        if visit
        else reverse("customers:detail", args=[customer.pk])
    )
    with transaction.atomic():
        from kefu.customers.choices import WarningKind
        from kefu.customers.services import raise_warning

        # On the customer's open warning list until acknowledged with a note (notices follow below).
        raise_warning(
            customer,
            kind=WarningKind.LOW_RATING,
            source_key=f"rating:{rating.pk}",
            message=message,
            detail={"rating": rating.pk, "stars": rating.stars},
            assignee=(visit.owner if visit else None) or customer.key_account_manager or rating.staff,
            notify=False,
        )
        record(rating, events.LOW_RATING.code, data={"number": rating.number, "stars": rating.stars})
        for staff in recipients.values():
            notify(recipient=staff, target=rating, message=message, url=url, urgent=True)
            if staff.email:
                send_mail(actor=None, target=rating, to=[staff.email], subject=message[:200], body=message)


def send_closing_mail(service: models.Model, *, actor=None) -> Rating | None:
    """The closing mail to the customer with the rating link (when the customer has an e-mail)."""
    from kefu.channels.services import send_mail

    rating = issue_rating(service)
    customer = rating.customer
    if not customer.email or rating.rated_at is not None:
        return rating
    url = rating_url(rating)
    kind = _("service notification") if rating.kind == ServiceKind.NOTIFICATION else _("complaint")
    subject = _("Your %(kind)s %(number)s is closed: please rate our service") % {
        "kind": kind,
        "number": rating.number,
    }
    body = "\n".join(
        [
            _("Dear %(customer)s,") % {"customer": customer.name},
            "",
            _("Your %(kind)s %(number)s has been closed.") % {"kind": kind, "number": rating.number},
            _("Please rate our service (1–5 stars) — no login needed, it takes a minute:"),
            url,
            "",
            _("The link works once and is valid for %(days)s days.") % {"days": _link_days()},
        ]
    )
    send_mail(actor=actor, target=service, to=[customer.email], subject=subject, body=body)
    record(rating, events.RATING_ISSUED.code, actor=actor, data={"to": rating.number})
    return rating


# --- surveys --------------------------------------------------------------------------------
def record_response(
    *,
    actor,
    template: SurveyTemplate,
    customer,
    answers: dict[str, dict],
    collected: str = "visit",
    answered_at=None,
    visit=None,
) -> SurveyResponse:
    """Store one customer's answers; a gap question stores perceived − expected (its satisfaction)."""
    require_perm(actor, "surveys.add_surveyresponse")
    from kefu.customers.models import Customer

    if customer is None or not Customer.objects.visible_to(actor).filter(pk=customer.pk).exists():
        raise ValidationFailed(fields={"customer": [_("Choose a customer in your scope.")]})
    return _store_response(
        actor=actor,
        template=template,
        customer=customer,
        answers=answers,
        collected=collected,
        answered_at=answered_at,
        visit=visit,
    )


def _store_response(
    *, actor, template: SurveyTemplate, customer, answers: dict[str, dict], collected: str, answered_at, visit
) -> SurveyResponse:
    """Validate and store the answers (callers check who may answer: staff, or a campaign link)."""
    questions = {q.code: q for q in template.questions.all()}
    unknown = set(answers) - set(questions)
    if unknown:
        raise ValidationFailed(
            fields={f"answers.{c}": [_("No such question in this survey.")] for c in unknown}
        )
    response = SurveyResponse(
        template=template,
        customer=customer,
        sales_office_id=customer.sales_office_id,
        customer_tier=customer.tier or "",
        answered_at=answered_at or clock.now(),
        collected=collected,
        collected_by=actor if getattr(actor, "is_authenticated", False) else None,
        visit=visit,
    )
    full_clean(response)
    rows = []
    errors: dict[str, list[str]] = {}
    for code, raw in answers.items():
        question = questions[code]
        answer = SurveyAnswer(question=question, factor=question.factor)
        try:
            if question.kind == AnswerKind.GAP:
                answer.expected, answer.perceived = _score(raw.get("expected")), _score(raw.get("perceived"))
                if answer.expected is None or answer.perceived is None:
                    continue
                answer.gap = satisfaction(answer.expected, answer.perceived)
            elif question.kind == AnswerKind.SCALE:
                answer.value = _score(raw.get("value"))
                if answer.value is None:
                    continue
            else:
                answer.text = str(raw.get("text") or "").strip()
                if not answer.text:
                    continue
                check_text(text=answer.text)
        except ValidationFailed as exc:
            errors[f"answers.{code}"] = [str(exc.message)]
            continue
        rows.append(answer)
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    if not rows:
        raise ValidationFailed(fields={"answers": [_("Answer at least one question.")]})
    with transaction.atomic():
        response.save()
        for answer in rows:
            answer.response = response
        SurveyAnswer.objects.bulk_create(rows)
        tallies.count_answers(response, rows)
        record(customer, events.SURVEY_ANSWERED.code, actor=actor, data={"survey": template.name})
        warn_satisfaction_anomaly(response, [a.gap for a in rows if a.gap is not None])
    return response


def warn_satisfaction_anomaly(response: SurveyResponse, gaps: list[int]):
    """满意度异常: the answers' mean perceived − expected at or below −threshold (the
    `satisfaction` warning rule) raises a warning to who must act; None when it does not."""
    from decimal import Decimal

    from kefu.customers.choices import AnomalyKind, WarningKind
    from kefu.customers.models import AnomalyRule
    from kefu.customers.services import raise_warning

    rule = AnomalyRule.objects.filter(kind=AnomalyKind.SATISFACTION, is_active=True).first()
    if rule is None or not gaps:
        return None
    mean = Decimal(sum(gaps)) / len(gaps)
    if mean > -rule.threshold:
        return None
    message = _("Satisfaction anomaly: %(survey)s, perceived − expected %(mean)s on average.") % {
        "survey": response.template.name,
        "mean": f"{mean:.1f}",
    }
    return raise_warning(
        response.customer,
        kind=WarningKind.SATISFACTION,
        source_key=f"survey:{response.pk}",
        message=message,
        detail={"response": response.pk, "mean_gap": f"{mean:.2f}"},
    )


def _score(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        score = int(value)
    except (TypeError, ValueError):
        raise ValidationFailed(_("Enter a score from 1 to 5.")) from None
    if not 1 <= score <= 5:
        raise ValidationFailed(_("Enter a score from 1 to 5."))
    return score


def satisfaction(expected: int, perceived: int) -> int:
    """Satisfaction of one factor (seed 003): perceived service minus expected service."""
    return perceived - expected


def rebuild_tallies(start: date | None = None, end: date | None = None) -> dict[str, int]:
    """Recount the rating and answer tallies of the days `start`…`end` (Asia/Shanghai, inclusive;
    None: open-ended) from the ratings and answers, set-based. For writers that bypass the
    per-row services (generators, demo data) and as the nightly safety net; the tallies are
    exact without it."""
    return tallies.rebuild(start, end)


def feed_satisfaction(now=None, *, days: int = 365) -> int:
    """Satisfaction feeds the grade rules: a customer's score (0–100) is its mean rating over the
    last `days` days × 20. Set-based: one UPDATE per score value, writing only rows that change."""
    from django.db.models import Avg

    from kefu.customers.models import Customer

    now = now or clock.now()
    by_score: dict[int, list[int]] = {}
    rows = (
        Rating.objects.filter(rated_at__gte=now - timedelta(days=days), stars__isnull=False)
        .values("customer_id")
        .order_by()
        .annotate(mean=Avg("stars"))
    )
    for row in rows.iterator(chunk_size=5000):
        by_score.setdefault(round(float(row["mean"]) * 20), []).append(row["customer_id"])
    changed = 0
    for score, ids in by_score.items():
        for start in range(0, len(ids), 5000):
            changed += (
                Customer._base_manager.filter(pk__in=ids[start : start + 5000])
                .exclude(satisfaction=score)
                .update(satisfaction=score)
            )
    return changed


# --- campaigns: the December new-needs survey 年度新需求调查 (seed 004) ----------------------------

CAMPAIGN_SALT = "kefu.surveys.campaign"
CAMPAIGN_TEMPLATE = "XNXQ"
CAMPAIGN_BATCH = 500
CAMPAIGN_LINK_DAYS = 60


def start_campaign(*, actor, template_code: str = CAMPAIGN_TEMPLATE, year: int | None = None):
    """Start (or return the already started) campaign of a survey for a year: every active
    customer's contact gets a mail with a signed link, sent in batches by a task after commit.
    Starting twice is harmless: one campaign per survey and year, one invitation per customer."""
    from kefu.surveys.models import SurveyCampaign

    if actor is not None:  # None: the December schedule
        require_perm(actor, "surveys.add_surveycampaign")
    template = SurveyTemplate.objects.filter(code=template_code, is_active=True).first()
    if template is None:
        raise ValidationFailed(fields={"template": [_("No active survey with this code.")]})
    now = clock.now()
    year = year or timezone.localtime(now).year
    if not 2000 <= int(year) <= 2100:
        raise ValidationFailed(fields={"year": [_("Enter a year between 2000 and 2100.")]})
    with transaction.atomic():
        campaign, created = SurveyCampaign.objects.get_or_create(
            code=f"{template.code}-{year}",
            defaults={
                "template": template,
                "year": year,
                "started_at": now,
                "started_by": actor if getattr(actor, "is_authenticated", False) else None,
                "expires_at": now + timedelta(days=CAMPAIGN_LINK_DAYS),
            },
        )
        if created:
            record(campaign, events.CAMPAIGN_STARTED.code, actor=actor, data={"code": campaign.code})
        if campaign.finished_at is None:
            transaction.on_commit(lambda: _enqueue_campaign(campaign.pk))
    return campaign


def _enqueue_campaign(campaign_id: int) -> None:
    from kefu.surveys.tasks import send_campaign

    send_campaign(campaign_id)


def campaign_address(customer_id: int, primary_emails: dict[int, str], customer_email: str) -> str:
    """The address a campaign mail goes to: the primary contact's, else the customer's own."""
    return primary_emails.get(customer_id) or customer_email or ""


def send_campaign_batch(campaign_id: int, *, batch: int = CAMPAIGN_BATCH) -> bool:
    """Invite the next `batch` active customers after the campaign's cursor (one mail each with a
    signed link, sent after commit by kefu.channels); returns True while customers remain.
    The invitation rows (unique per customer and campaign), the mails and the cursor commit
    together, so a crash repeats no mail and a second run finds nothing left to send."""
    from kefu.channels.services import send_mail
    from kefu.customers.models import Contact, Customer
    from kefu.surveys.models import SurveyCampaign, SurveyInvitation

    with transaction.atomic():
        campaign = SurveyCampaign.objects.select_for_update().get(pk=campaign_id)
        if campaign.finished_at is not None:
            return False
        rows = list(
            Customer.objects.filter(is_active=True, pk__gt=campaign.cursor)
            .order_by("pk")
            .values_list("pk", "name", "email")[:batch]
        )
        if not rows:
            campaign.finished_at = clock.now()
            campaign.save(update_fields=["finished_at", "updated_at"])
            record(
                campaign,
                events.CAMPAIGN_FINISHED.code,
                data={"sent": campaign.sent, "without_email": campaign.without_email},
            )
            return False
        ids = [pk for pk, _n, _e in rows]
        primary = dict(
            Contact.objects.filter(customer_id__in=ids, is_primary=True)
            .exclude(email="")
            .values_list("customer_id", "email")
        )
        done = set(
            SurveyInvitation.objects.filter(campaign=campaign, customer_id__in=ids).values_list(
                "customer_id", flat=True
            )
        )
        invitations = [
            SurveyInvitation(
                campaign=campaign,
                customer_id=pk,
                email=campaign_address(pk, primary, email),
                nonce=uuid.uuid4().hex,
            )
            for pk, _name, email in rows
            if pk not in done
        ]
        SurveyInvitation.objects.bulk_create(invitations)
        names = {pk: name for pk, name, _e in rows}
        now = clock.now()
        sent = 0
        for invitation in SurveyInvitation.objects.filter(
            campaign=campaign, customer_id__in=[i.customer_id for i in invitations]
        ).select_related("customer"):
            if not invitation.email:
                continue
            subject, body = campaign_mail(campaign, invitation, names[invitation.customer_id])
            send_mail(
                actor=None, target=invitation.customer, to=[invitation.email], subject=subject, body=body
            )
            sent += 1
        SurveyInvitation.objects.filter(
            campaign=campaign, customer_id__in=[i.customer_id for i in invitations]
        ).exclude(email="").update(sent_at=now)
        campaign.cursor = ids[-1]
        campaign.total += len(invitations)
        campaign.sent += sent
        campaign.without_email += len(invitations) - sent
        campaign.save(update_fields=["cursor", "total", "sent", "without_email", "updated_at"])
    return True


def campaign_token(invitation) -> str:
    return signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=CAMPAIGN_SALT, compress=True)


def campaign_url(invitation) -> str:
    base = getattr(settings, "KEFU_BASE_URL", "").rstrip("/")
    return f"{base}{reverse('surveys:campaign_answer', args=[campaign_token(invitation)])}"


def campaign_mail(campaign, invitation, customer_name: str) -> tuple[str, str]:
    subject = _("%(survey)s %(year)s: tell us your needs for next year") % {
        "survey": campaign.template.name,
        "year": campaign.year,
    }
    body = "\n".join(
        [
            _("Dear %(customer)s,") % {"customer": customer_name},
            "",
            _("Thank you for working with us this year. Please tell us your needs for next year:"),
            campaign_url(invitation),
            "",
            _("The link works once, needs no login and is valid until %(date)s.")
            % {"date": f"{timezone.localtime(campaign.expires_at):%Y-%m-%d}"},
        ]
    )
    return subject, body


def invitation_for_token(token: str):
    """The invitation a campaign link points at, if genuine, unanswered and not expired."""
    from kefu.surveys.models import SurveyInvitation

    try:
        data = signing.loads(token, salt=CAMPAIGN_SALT, max_age=timedelta(days=CAMPAIGN_LINK_DAYS + 1))
    except signing.SignatureExpired:
        raise RatingLinkExpired(_("This survey link has expired.")) from None
    except (signing.BadSignature, ValueError, TypeError):
        raise RatingLinkInvalid(
            _("This survey link is not valid. Please use the link from our mail.")
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("i"), int):
        raise RatingLinkInvalid(_("This survey link is not valid. Please use the link from our mail."))
    invitation = (
        SurveyInvitation.objects.select_related("campaign", "campaign__template", "customer")
        .filter(pk=data["i"], nonce=data.get("n"))
        .first()
    )
    if invitation is None:
        raise RatingLinkInvalid(_("This survey link is not valid. Please use the link from our mail."))
    if invitation.answered_at is not None:
        raise RatingLinkUsed(_("You have already answered this survey. Thank you!"))
    if invitation.campaign.expires_at < clock.now():
        raise RatingLinkExpired(_("This survey link has expired."))
    return invitation


def answer_invitation(token: str, answers: dict[str, dict]) -> SurveyResponse:
    """The customer's answers from the campaign link: stored once (collected online)."""
    from kefu.surveys.choices import Collected
    from kefu.surveys.models import SurveyInvitation

    invitation = invitation_for_token(token)
    now = clock.now()
    with transaction.atomic():
        claimed = SurveyInvitation.objects.filter(pk=invitation.pk, answered_at__isnull=True).update(
            answered_at=now
        )
        if not claimed:
            raise RatingLinkUsed(_("You have already answered this survey. Thank you!"))
        response = _store_response(
            actor=None,
            template=invitation.campaign.template,
            customer=invitation.customer,
            answers=answers,
            collected=Collected.ONLINE,
            answered_at=now,
            visit=None,
        )
        SurveyInvitation.objects.filter(pk=invitation.pk).update(response=response)
    return response
