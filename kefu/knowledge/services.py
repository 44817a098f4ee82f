"""Every write of the knowledge base: articles and their versions, views and "this solved it"
counts, and the article used as a notification's solution."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from kefu.core.concurrency import save_versioned
from kefu.core.errors import NotFound, PermissionDenied, ValidationFailed
from kefu.core.numbering import next_number
from kefu.core.scoping import access, customer_of, require_perm
from kefu.core.validation import check_text, full_clean
from kefu.knowledge import events
from kefu.knowledge.models import Article, ArticleVersion, Category, SolutionLink, SolvedVote
from kefu.timeline.services import record

SEARCH_INDEX = "knowledge"
MAX_BODY = 50_000


def search_document(article: Article) -> list[str]:
    """What the n-gram index holds of an article: title, keywords, text, category."""
    category = article.category.name if article.category_id else ""
    return [article.title, article.keywords, category, article.body]


def reindex(articles: list[Article]) -> None:
    from django.core.cache import cache

    from kefu.core.search import index_documents
    from kefu.knowledge.queries import VERSION_KEY

    index_documents(SEARCH_INDEX, [(a.pk, search_document(a)) for a in articles])
    # Suggestions keep each piece's articles for a few minutes: a new index version drops them
    # (now, and again once committed, so nobody caches the state before the commit).
    cache.delete(VERSION_KEY)
    transaction.on_commit(lambda: cache.delete(VERSION_KEY))


def _staff_only(actor, perm: str) -> None:
    if customer_of(actor) is not None:
        raise PermissionDenied()
    require_perm(actor, perm)


def _check(title: str, body: str, category) -> dict[str, list[str]]:
    check_text(title=title, body=body)
    errors: dict[str, list[str]] = {}
    if not (title or "").strip():
        errors["title"] = [_("This field is required.")]
    if not (body or "").strip():
        errors["body"] = [_("This field is required.")]
    elif len(body) > MAX_BODY:
        errors["body"] = [_("Too long: at most %(count)d characters.") % {"count": MAX_BODY}]
    if category is None:
        errors["category"] = [_("Choose a category.")]
    return errors


def create_article(
    *,
    actor,
    title: str,
    body: str,
    category: Category | None,
    visibility: str = "internal",
    keywords: str = "",
    is_published: bool = True,
) -> Article:
    """A new article with its first version, searchable at once."""
    _staff_only(actor, "knowledge.add_article")
    errors = _check(title, body, category)
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    article = Article(
        number="0",
        title=title.strip(),
        body=body.strip(),
        category=category,
        visibility=visibility,
        keywords=(keywords or "").strip(),
        is_published=is_published,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        updated_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    full_clean(article, exclude=["number"])
    with transaction.atomic():
        article.number = next_number("knowledge.article", defaults={"name": "知识文章", "next_value": 10001})[
            0
        ]
        article.save()
        _version(article, actor, note="")
        reindex([article])
    return article


def _version(article: Article, actor, *, note: str) -> ArticleVersion:
    return ArticleVersion.objects.create(
        article=article,
        version=article.version,
        title=article.title,
        body=article.body,
        visibility=article.visibility,
        note=(note or "")[:200],
        edited_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


EDITABLE = ("title", "body", "category", "visibility", "keywords", "is_published")


def update_article(
    *, actor, article: Article, expected_version: int | None, note: str = "", **changes
) -> Article:
    """Change an article: a new version is kept; a change made meanwhile by someone else is a 409."""
    _staff_only(actor, "knowledge.change_article")
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"update_article: cannot change {', '.join(sorted(unknown))}")
    check_text(note=note)
    for name, value in changes.items():
        if value is not None:
            setattr(
                article, name, value.strip() if isinstance(value, str) and name != "visibility" else value
            )
    errors = _check(article.title, article.body, article.category if article.category_id else None)
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    article.updated_by = actor
    full_clean(article)
    with transaction.atomic():
        save_versioned(
            article,
            expected_version=article.version if expected_version is None else expected_version,
            update_fields=[*[n for n in EDITABLE if n in changes], "updated_by"],
        )
        _version(article, actor, note=note)
        reindex([article])
    return article


def record_view(article: Article) -> None:
    """Count one reading (the page counts once per session, see views)."""
    Article.objects.filter(pk=article.pk).update(views=F("views") + 1)


def mark_solved(*, actor, article_id: int) -> bool:
    """ "This solved it": counted once per user; True when this call counted."""
    article = Article.objects.readable_by(actor).filter(pk=article_id).first()
    if article is None:
        raise NotFound()
    try:
        with transaction.atomic():
            SolvedVote.objects.create(article=article, user=actor)
            Article.objects.filter(pk=article.pk).update(solved=F("solved") + 1)
    except IntegrityError:
        return False
    return True


def link_solution(*, actor, notification, article_id: int) -> SolutionLink:
    """Record `article` as the solution used on `notification` (once per pair); counts as solved."""
    from kefu.tickets.models import Notification

    _staff_only(actor, "tickets.change_notification")
    notification = access(Notification, actor, notification.pk)
    article = Article.objects.readable_by(actor).filter(pk=article_id).first()
    if article is None:
        message = _("Unknown article.")
        raise ValidationFailed(message, fields={"article": [message]})
    with transaction.atomic():
        link, created = SolutionLink.objects.get_or_create(
            notification=notification, article=article, defaults={"linked_by": actor}
        )
        if created:
            Article.objects.filter(pk=article.pk).update(solved=F("solved") + 1)
            record(
                notification,
                events.SOLUTION_LINKED.code,
                actor=actor,
                data={"article": article.pk, "number": article.number, "title": article.title},
            )
    return link
