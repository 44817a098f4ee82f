"""The knowledge base 知识库: articles in categories, every edit kept as a version, internal or
public, searched through the shared n-gram index, linked to notifications as the solution used."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.core.models import TimeStampedModel, VersionedModel
from kefu.knowledge.choices import Visibility


class Category(models.Model):
    """A category 分类 of articles (安装, 维修保养, 送货, 账单 …)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=60, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        from django.utils.translation import get_language

        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class ArticleQuerySet(models.QuerySet):
    def readable_by(self, user) -> ArticleQuerySet:
        """Published articles `user` may read: staff with the permission read all, customer
        users (portal accounts) and the rest only public ones; anonymous nothing."""
        from kefu.core.scoping import customer_of

        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        qs = self.filter(is_published=True)
        if customer_of(user) is None and user.has_perm("knowledge.view_article"):
            return qs
        return qs.filter(visibility=Visibility.PUBLIC)


class Article(VersionedModel):
    """An article 知识文章: the current text; earlier texts are its versions."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=120)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="articles"
    )
    body = models.TextField(_("text"))
    keywords = models.CharField(
        _("keywords"), max_length=200, blank=True, help_text=_("Words customers use for it.")
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    is_published = models.BooleanField(_("published"), default=True)
    views = models.PositiveIntegerField(_("views"), default=0)
    solved = models.PositiveIntegerField(_("solved it"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-solved", "-views", "-id"]
        indexes = [
            models.Index(fields=["is_published", "visibility", "solved", "views"], name="kb_rank"),
            models.Index(fields=["category", "is_published"], name="kb_category"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class ArticleVersion(models.Model):
    """One saved text of an article 版本: version 1 is the first; nothing is overwritten."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"))
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility.choices)
    note = models.CharField(_("change note"), max_length=200, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    edited_at = models.DateTimeField(_("edited at"), auto_now_add=True)

    class Meta:
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")
        ordering = ["article", "-version"]
        constraints = [models.UniqueConstraint(fields=["article", "version"], name="kb_version_unique")]

    def __str__(self) -> str:
        return f"{self.article_id} v{self.version}"


class SolvedVote(models.Model):
    """ "This solved it" 已解决 by one user for one article: counted once per user."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "user"], name="kb_vote_unique")]

    def __str__(self) -> str:
        return f"{self.article_id} ✓ {self.user_id}"


class SolutionLink(TimeStampedModel):
    """The article used as the solution 解决方案 of a notification."""

    notification = models.ForeignKey(
        "tickets.Notification", on_delete=models.CASCADE, related_name="solution_links"
    )
    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.PROTECT, related_name="solution_links"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("solution used")
        verbose_name_plural = _("solutions used")
        ordering = ["notification", "created_at"]
        constraints = [models.UniqueConstraint(fields=["notification", "article"], name="kb_solution_unique")]

    def __str__(self) -> str:
        return f"{self.notification_id} → {self.article_id}"
