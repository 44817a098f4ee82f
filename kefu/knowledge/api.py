"""The knowledge base API for the desk (/api/v1/knowledge/): the same services and rules as the
pages. Customers read public articles through /api/v1/portal/articles."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Router, Schema, Status

from kefu.api.pagination import LIMIT, OFFSET, Page, page
from kefu.api.schemas import InputSchema
from kefu.core.errors import NotFound, ValidationFailed
from kefu.core.scoping import require_perm
from kefu.knowledge import queries, services
from kefu.knowledge.choices import Visibility
from kefu.knowledge.models import Article, Category

router = Router(tags=["knowledge"])


class ArticleOut(Schema):
    id: int
    number: str
    title: str
    category: str
    category_label: str
    visibility: str
    visibility_label: str
    keywords: str
    is_published: bool
    views: int
    solved: int
    version: int
    updated_at: datetime


class ArticleDetailOut(ArticleOut):
    body: str


class ArticleIn(InputSchema):
    title: str = Field(max_length=120)
    category: str = Field(max_length=20, description="Category code, e.g. install, repair")
    body: str = Field(max_length=50_000)
    visibility: Visibility = Visibility.INTERNAL
    keywords: str = Field("", max_length=200)
    is_published: bool = True


class ArticlePatch(InputSchema):
    version: int = Field(ge=1, le=2**31, description="The version you read (409 when it changed meanwhile)")
    title: str | None = Field(None, max_length=120)
    category: str | None = Field(None, max_length=20)
    body: str | None = Field(None, max_length=50_000)
    visibility: Visibility | None = None
    keywords: str | None = Field(None, max_length=200)
    is_published: bool | None = None
    note: str = Field("", max_length=200)


class SolutionIn(InputSchema):
    notification_id: int = Field(ge=1, le=2**53)
    article_id: int = Field(ge=1, le=2**53)


def _row(a: Article, *, body: bool = False) -> dict:
    row = {
        "id": a.pk,
        "number": a.number,
        "title": a.title,
        "category": a.category.code,
        "category_label": str(a.category),
        "visibility": a.visibility,
        "visibility_label": str(a.get_visibility_display()),
        "keywords": a.keywords,
        "is_published": a.is_published,
        "views": a.views,
        "solved": a.solved,
        "version": a.version,
        "updated_at": a.updated_at,
    }
    if body:
        row["body"] = a.body
    return row


def _category(code: str | None) -> Category | None:
    if code is None:
        return None
    category = Category.objects.filter(code=code).first()
    if category is None:
        raise ValidationFailed(fields={"category": [f"{code}?"]})
    return category


def _article(request, article_id: int) -> Article:
    require_perm(request.user, "knowledge.view_article")
    article = (
        Article.objects.readable_by(request.user).select_related("category").filter(pk=article_id).first()
    )
    if article is None:
        raise NotFound()
    return article


@router.get(
    "/articles",
    response=Page[ArticleOut],
    summary="Articles (search with q: any part of title, keywords, text)",
)
def list_articles(request, q: str = "", limit: int = LIMIT, offset: int = OFFSET):
    require_perm(request.user, "knowledge.view_article")
    return page(
        queries.search(request.user, q[:100]),
        limit=limit,
        offset=offset,
        present=lambda rows: [_row(a) for a in rows],
    )


@router.get(
    "/articles/suggest", response=list[ArticleOut], summary="Articles for a notification text being written"
)
def suggest_articles(request, text: str = ""):
    require_perm(request.user, "knowledge.view_article")
    return [_row(a) for a in queries.suggest(request.user, text[:2000])]


@router.post("/articles", response={201: ArticleDetailOut}, summary="Write an article (version 1)")
def create_article(request, payload: ArticleIn):
    require_perm(request.user, "knowledge.add_article")
    article = services.create_article(
        actor=request.user,
        title=payload.title,
        body=payload.body,
        category=_category(payload.category),
        visibility=payload.visibility,
        keywords=payload.keywords,
        is_published=payload.is_published,
    )
    return Status(201, _row(article, body=True))


@router.get("/articles/{int:article_id}", response=ArticleDetailOut, summary="One article (counts a view)")
def get_article(request, article_id: int):
    article = _article(request, article_id)
    services.record_view(article)
    return _row(article, body=True)


@router.patch(
    "/articles/{int:article_id}", response=ArticleDetailOut, summary="Change an article (a new version)"
)
def update_article(request, article_id: int, payload: ArticlePatch):
    require_perm(request.user, "knowledge.change_article")
    article = _article(request, article_id)
    changes = payload.model_dump(exclude_unset=True, exclude={"version", "note"})
    if "category" in changes:
        changes["category"] = _category(changes["category"])
    services.update_article(
        actor=request.user, article=article, expected_version=payload.version, note=payload.note, **changes
    )
    return _row(_article(request, article_id), body=True)


@router.post(
    "/articles/{int:article_id}/solved", response=dict, summary='"This solved it" (counted once per person)'
)
def article_solved(request, article_id: int):
    require_perm(request.user, "knowledge.view_article")
    return {"counted": services.mark_solved(actor=request.user, article_id=article_id)}


@router.post(
    "/solutions", response={201: dict}, summary="Record an article as the solution used on a notification"
)
def link_solution(request, payload: SolutionIn):
    from kefu.tickets.services import access_notification

    require_perm(request.user, "tickets.change_notification")
    notification = access_notification(request.user, payload.notification_id)
    link = services.link_solution(
        actor=request.user, notification=notification, article_id=payload.article_id
    )
    return Status(201, {"notification_id": link.notification_id, "article_id": link.article_id})
