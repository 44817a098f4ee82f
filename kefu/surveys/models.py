"""Post-service ratings 服务评价 and satisfaction surveys 满意度调查 as data (DOMAIN §7).

A Rating is issued when a notification or complaint closes; the customer answers through a
signed, single-use, expiring link without logging in. Survey templates (questions, factors,
scales) are data: seed 002's needs survey, seed 003's five-factor expectation-vs-perception
survey (satisfaction = perceived − expected per factor) and seed 004's December new-needs survey.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.core.models import TimeStampedModel
from kefu.core.scoping import ScopedQuerySet, ScopePaths
from kefu.core.validation import no_control_characters
from kefu.surveys.choices import AnswerKind, Collected, Factor, ServiceKind

STARS = [MinValueValidator(1), MaxValueValidator(5)]


class RatingQuerySet(ScopedQuerySet):
    scope_paths = ScopePaths(office="sales_office", work_centre="work_centre", owner_staff="staff")


class Rating(TimeStampedModel):
    """The customer's rating of one closed service (1–5 stars and a comment); one per service."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    kind = models.CharField(_("service"), max_length=12, choices=ServiceKind.choices)
    number = models.CharField(_("number"), max_length=20)
    customer = models.ForeignKey(
        "customers.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="ratings"
    )
    sales_office = models.ForeignKey(
        "org.SalesOffice", verbose_name=_("responsibility centre"), on_delete=models.PROTECT, related_name="+"
    )
    work_centre = models.ForeignKey(
        "org.WorkCentre",
        verbose_name=_("work centre"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    staff = models.ForeignKey(
        "org.Staff",
        verbose_name=_("rated person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    nonce = models.CharField(max_length=32, unique=True)
    issued_at = models.DateTimeField(_("link sent"))
    expires_at = models.DateTimeField(_("link expires"))
    stars = models.PositiveSmallIntegerField(_("stars"), null=True, blank=True, validators=STARS)
    comment = models.TextField(_("comment"), blank=True, validators=[no_control_characters])
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)

    objects = RatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("service rating")
        verbose_name_plural = _("service ratings")
        ordering = ["-issued_at", "-pk"]
        permissions = [("view_satisfaction_reports", _("Can see evaluation rates and survey results"))]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="surveys_one_rating_per_service"
            )
        ]
        indexes = [
            models.Index(fields=["sales_office", "issued_at"], name="surveys_rating_office"),
            models.Index(fields=["staff", "issued_at"], name="surveys_rating_staff"),
            models.Index(fields=["customer", "issued_at"], name="surveys_rating_customer"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.stars or '—'}"


class RatingTallyQuerySet(ScopedQuerySet):
    # The rating's own scope paths: a tally row is visible exactly when its ratings are.
    scope_paths = RatingQuerySet.scope_paths


class RatingTally(models.Model):
    """Ratings counted per Asia/Shanghai day, centre, work centre and rated person: what the
    results page reads instead of millions of ratings. One row holds two days' counts of the same
    key: `issued`, `rated`, `low` and `stars_sum` count the ratings ISSUED that day (the evaluation
    rate asks how many of a period's links were answered, and how well), `stars_1`…`stars_5` the
    ratings SUBMITTED that day (the distribution of a period's answers). Kept exact by
    kefu.surveys.services in each write's transaction; recounted by `rebuild_tallies`."""

    day = models.DateField()
    sales_office = models.ForeignKey("org.SalesOffice", on_delete=models.CASCADE, related_name="+")
    work_centre = models.ForeignKey(
        "org.WorkCentre", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    staff = models.ForeignKey("org.Staff", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # The unique key spells "none" as 0: a unique index holds NULLs distinct on both databases (the
    # upsert would never find the row of ratings without a work centre), and when a staff member
    # is deleted their rows turn NULL, like their ratings, without colliding with the NULL row.
    work_centre_key = models.PositiveBigIntegerField(db_default=0)
    staff_key = models.PositiveBigIntegerField(db_default=0)
    issued = models.PositiveIntegerField(db_default=0)
    rated = models.PositiveIntegerField(db_default=0)
    low = models.PositiveIntegerField(db_default=0)
    stars_sum = models.PositiveIntegerField(db_default=0)
    stars_1 = models.PositiveIntegerField(db_default=0)
    stars_2 = models.PositiveIntegerField(db_default=0)
    stars_3 = models.PositiveIntegerField(db_default=0)
    stars_4 = models.PositiveIntegerField(db_default=0)
    stars_5 = models.PositiveIntegerField(db_default=0)

    objects = RatingTallyQuerySet.as_manager()

    KEY = ("day", "sales_office_id", "work_centre_key", "staff_key")

    class Meta:
        verbose_name = _("rating tally")
        verbose_name_plural = _("rating tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "sales_office", "work_centre_key", "staff_key"], name="surveys_ratingtally_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.sales_office_id} {self.issued}"


class SurveyTemplate(TimeStampedModel):
    """A survey as data: its questions, factors and scales."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100, validators=[no_control_characters])
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("survey template")
        verbose_name_plural = _("survey templates")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class SurveyQuestion(models.Model):
    template = models.ForeignKey(
        SurveyTemplate, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="questions"
    )
    code = models.CharField(_("code"), max_length=20)
    text = models.CharField(_("question"), max_length=200)
    kind = models.CharField(_("answer"), max_length=10, choices=AnswerKind.choices, default=AnswerKind.SCALE)
    factor = models.CharField(_("factor"), max_length=20, choices=Factor.choices, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        ordering = ["template", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["template", "code"], name="surveys_question_unique_code")
        ]

    def __str__(self) -> str:
        return self.text


class ResponseQuerySet(ScopedQuerySet):
    scope_paths = ScopePaths(office="sales_office", owner_user="collected_by")


class SurveyResponse(TimeStampedModel):
    """One customer's answers to one survey."""

    template = models.ForeignKey(SurveyTemplate, verbose_name=_("survey"), on_delete=models.PROTECT)
    customer = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="survey_responses",
    )
    sales_office = models.ForeignKey(
        "org.SalesOffice", verbose_name=_("responsibility centre"), on_delete=models.PROTECT, related_name="+"
    )
    customer_tier = models.CharField(_("pyramid tier"), max_length=10, blank=True)
    answered_at = models.DateTimeField(_("answered at"), db_index=True)
    collected = models.CharField(
        _("collected"), max_length=10, choices=Collected.choices, default=Collected.VISIT
    )
    collected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("collected by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,  # a customer's own answers from a campaign link
        related_name="+",
    )
    visit = models.ForeignKey(
        "visits.Visit",
        verbose_name=_("visit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-answered_at", "-pk"]


class SurveyAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.PROTECT, related_name="+")
    factor = models.CharField(_("factor"), max_length=20, blank=True, db_index=True)
    value = models.PositiveSmallIntegerField(
        pgettext_lazy("surveys", "score"), null=True, blank=True, validators=STARS
    )
    expected = models.PositiveSmallIntegerField(_("expected"), null=True, blank=True, validators=STARS)
    perceived = models.PositiveSmallIntegerField(_("perceived"), null=True, blank=True, validators=STARS)
    gap = models.SmallIntegerField(_("satisfaction (perceived − expected)"), null=True, blank=True)
    text = models.TextField(_("answer"), blank=True, validators=[no_control_characters])

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")

    def __str__(self) -> str:
        return f"{self.question_id}: {self.value or self.gap or self.text[:20]}"


class AnswerTallyQuerySet(ScopedQuerySet):
    # The survey response's own scope paths: a tally row is visible exactly when its answers are.
    scope_paths = ResponseQuerySet.scope_paths


class AnswerTally(models.Model):
    """Satisfaction answers (those with perceived − expected) summed per Asia/Shanghai day of the
    response, survey, centre, collector, customer tier and factor: what the results by factor,
    tier and centre read instead of millions of answers. Kept exact by kefu.surveys.services in
    each response's transaction; recounted by `rebuild_tallies`."""

    day = models.DateField()
    template = models.ForeignKey(SurveyTemplate, on_delete=models.CASCADE, related_name="+")
    sales_office = models.ForeignKey("org.SalesOffice", on_delete=models.CASCADE, related_name="+")
    collected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    collected_by_key = models.PositiveBigIntegerField(db_default=0)  # 0: none, see RatingTally
    customer_tier = models.CharField(max_length=10, blank=True)
    factor = models.CharField(max_length=20, blank=True)
    n = models.PositiveIntegerField(db_default=0)
    expected_sum = models.PositiveIntegerField(db_default=0)
    perceived_sum = models.PositiveIntegerField(db_default=0)
    gap_sum = models.IntegerField(db_default=0)

    objects = AnswerTallyQuerySet.as_manager()

    KEY = ("day", "template_id", "sales_office_id", "collected_by_key", "customer_tier", "factor")

    class Meta:
        verbose_name = _("survey answer tally")
        verbose_name_plural = _("survey answer tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "template", "sales_office", "collected_by_key", "customer_tier", "factor"],
                name="surveys_answertally_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.factor} {self.n}"


class SurveyCampaign(TimeStampedModel):
    """A survey sent to every active customer's contact by mail (seed 004: the December new-needs
    survey 年度新需求调查, code XNXQ-<year>). Sent in batches by a task from a cursor over customer
    ids, so a restart continues where it stopped and a second start sends nothing twice."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    template = models.ForeignKey(SurveyTemplate, verbose_name=_("survey"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("year"))
    started_at = models.DateTimeField(_("started at"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    cursor = models.PositiveBigIntegerField(_("last customer id done"), default=0)
    expires_at = models.DateTimeField(_("links expire"))
    total = models.PositiveIntegerField(_("customers reached"), default=0)
    sent = models.PositiveIntegerField(_("mails sent"), default=0)
    without_email = models.PositiveIntegerField(_("customers without e-mail"), default=0)

    class Meta:
        verbose_name = _("survey campaign")
        verbose_name_plural = _("survey campaigns")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return self.code


class SurveyInvitation(models.Model):
    """One customer's invitation in a campaign: one per customer and campaign (never two mails);
    the signed link in the mail answers it once, without login."""

    campaign = models.ForeignKey(
        SurveyCampaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="invitations"
    )
    customer = models.ForeignKey(
        "customers.Customer", verbose_name=_("customer"), on_delete=models.CASCADE, related_name="+"
    )
    email = models.EmailField(_("e-mail"), blank=True)
    nonce = models.CharField(max_length=32, unique=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    response = models.ForeignKey(
        SurveyResponse,
        verbose_name=_("answers"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "customer"], name="surveys_invitation_once")
        ]
        indexes = [models.Index(fields=["customer", "campaign"], name="surveys_invitation_customer")]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.customer_id}"
