"""Every write of ratings and surveys: issue a rating link, take the customer's rating once, answers.

The rating link carries a token signed with django.core.signing (salted, timestamped): a forged
or altered token fails the signature, an old one fails `max_age` and the stored expiry, and a
used one fails the conditional UPDATE that records the stars, so two submissions at once still
record exactly one rating.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from kefu.core.errors import ValidationFailed
from kefu.core.scoping import require_perm
from kefu.core.validation import check_text, full_clean
from kefu.surveys import events
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
            return Rating.objects.create(
                content_type=ct,
                object_id=service.pk,
                number=service.number,  # type: ignore[attr-defined]
                customer_id=service.customer_id,  # type: ignore[attr-defined]
                nonce=uuid.uuid4().hex,
                issued_at=now,
                expires_at=now + timedelta(days=_link_days()),
                **_service_facts(service),
            )
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
        collected_by=actor,
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
