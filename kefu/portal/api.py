"""The customer portal API (/api/v1/portal/): customer users only, their own customer's records.
Staff callers get 403 (their API is elsewhere); other customers' ids answer 404."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Router, Schema, Status

from kefu.api.pagination import LIMIT, OFFSET, Page, page
from kefu.api.schemas import InputSchema
from kefu.core.scoping import access
from kefu.portal import queries, services
from kefu.portal.choices import RequestKind

router = Router(tags=["portal"])


def _account(request):
    return services.account_for(request.user)


class RequestOut(Schema):
    id: int
    number: str
    description: str
    status: str
    status_label: str
    submitted_at: datetime
    expected_by: date | None


class MessageOut(Schema):
    id: int
    kind: str
    kind_label: str
    author: str
    body: str
    at: datetime


class QuotationLineOut(Schema):
    description: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal


class QuotationOut(Schema):
    id: int
    number: str
    status: str
    status_label: str
    total: Decimal
    version: int
    lines: list[QuotationLineOut]


class RequestDetailOut(RequestOut):
    messages: list[MessageOut]
    quotations: list[QuotationOut]


class RequestIn(InputSchema):
    kind: RequestKind = Field(description="repair, install, delivery or enquiry")
    description: str = Field(max_length=2000)
    address_id: int | None = Field(None, ge=1, le=2**53)


class MessageIn(InputSchema):
    body: str = Field(max_length=2000)


class DecisionIn(InputSchema):
    accepted: bool
    reason: str = Field("", max_length=200)
    version: int | None = Field(None, ge=1, le=2**31)


class DocumentOut(Schema):
    reference_document: str
    date: date | None
    payment_status: str
    payment_status_label: str
    requests: int
    invoiced: int


def _request_row(n) -> dict:
    return {
        "id": n.pk,
        "number": n.number,
        "description": n.description,
        "status": n.stage,
        "status_label": n.status.customer_display,
        "submitted_at": n.created_at,
        "expected_by": n.required_end,
    }


def _detail(n, user) -> dict:
    data = queries.request_detail(n, user)
    return {
        **_request_row(n),
        "messages": [
            {
                "id": m.pk,
                "kind": m.kind,
                "kind_label": str(m.get_kind_display()),
                "author": m.author_name,
                "body": m.body,
                "at": m.created_at,
            }
            for m in data["messages"]
        ],
        "quotations": [
            {
                "id": q.pk,
                "number": q.number,
                "status": q.status,
                "status_label": str(q.get_status_display()),
                "total": q.total,
                "version": q.version,
                "lines": [
                    {
                        "description": line.description,
                        "quantity": line.quantity,
                        "unit_price": line.unit_price,
                        "amount": line.amount,
                    }
                    for line in q.lines.all()
                ],
            }
            for q in data["quotations"]
        ],
    }


def _notification(request, notification_id: int):
    from kefu.tickets.models import Notification

    _account(request)
    return access(Notification.objects.select_related("status", "customer"), request.user, notification_id)


@router.get(
    "/requests",
    response=Page[RequestOut],
    summary="My requests, newest first, with the customer-facing status",
)
def list_requests(request, limit: int = LIMIT, offset: int = OFFSET):
    _account(request)
    return page(
        queries.my_requests(request.user),
        limit=limit,
        offset=offset,
        present=lambda rows: [_request_row(n) for n in rows],
    )


@router.post(
    "/requests", response={201: RequestDetailOut}, summary="Submit a service request (becomes a notification)"
)
def submit_request(request, payload: RequestIn):
    n = services.submit_request(
        actor=request.user,
        kind=payload.kind,
        description=payload.description,
        address_id=payload.address_id,
        idempotency_key=request.headers.get("Idempotency-Key", "")[:100],
    )
    return Status(201, _detail(_notification(request, n.pk), request.user))


@router.get("/requests/{int:notification_id}", response=RequestDetailOut, summary="One of my requests")
def get_request(request, notification_id: int):
    return _detail(_notification(request, notification_id), request.user)


@router.post(
    "/requests/{int:notification_id}/messages",
    response={201: MessageOut},
    summary="Write to the service desk",
)
def post_message(request, notification_id: int, payload: MessageIn):
    n = _notification(request, notification_id)
    m = services.post_message(actor=request.user, notification_id=n.pk, body=payload.body)
    return Status(
        201,
        {
            "id": m.pk,
            "kind": m.kind,
            "kind_label": str(m.get_kind_display()),
            "author": m.author_name,
            "body": m.body,
            "at": m.created_at,
        },
    )


class RatingIn(InputSchema):
    stars: int = Field(ge=1, le=5, description="1 (very dissatisfied) to 5 (very satisfied)")
    comment: str = Field("", max_length=1000)


class PortalRatingOut(Schema):
    number: str
    stars: int
    comment: str
    rated_at: datetime


@router.post(
    "/requests/{int:notification_id}/rating",
    response={201: PortalRatingOut},
    summary="Rate a closed request once (400 not closed, 404 not yours, 409 already rated or too late)",
)
def rate_request(request, notification_id: int, payload: RatingIn):
    _account(request)
    r = services.rate_service(
        actor=request.user, notification_id=notification_id, stars=payload.stars, comment=payload.comment
    )
    return Status(201, {"number": r.number, "stars": r.stars, "comment": r.comment, "rated_at": r.rated_at})


class WeChatCodeOut(Schema):
    code: str | None = Field(description="Send 绑定 <code> to the official account; null: none valid")
    expires_at: datetime | None
    bound: int = Field(description="How many WeChat followers are bound to this contact")


def _code_out(code, followers) -> dict:
    return {
        "code": code.code if code else None,
        "expires_at": code.expires_at if code else None,
        "bound": len(followers),
    }


@router.get("/wechat-code", response=WeChatCodeOut, summary="My valid WeChat binding code, if any")
def get_wechat_code(request):
    return _code_out(*services.wechat_code(actor=request.user))


@router.post(
    "/wechat-code",
    response={201: WeChatCodeOut},
    summary="A new WeChat binding code (single use, expires; earlier codes stop working)",
)
def new_wechat_code(request):
    return Status(201, _code_out(*services.wechat_code(actor=request.user, regenerate=True)))


@router.post(
    "/quotations/{int:quotation_id}/decision",
    response=QuotationOut,
    summary="Accept or refuse a service quotation (409 when already decided or changed meanwhile)",
)
def decide(request, quotation_id: int, payload: DecisionIn):
    _account(request)
    q = services.decide_quote(
        actor=request.user,
        quotation_id=quotation_id,
        accepted=payload.accepted,
        reason=payload.reason,
        expected_version=payload.version,
    )
    return {
        "id": q.pk,
        "number": q.number,
        "status": q.status,
        "status_label": str(q.get_status_display()),
        "total": q.total,
        "version": q.version,
        "lines": [
            {
                "description": line.description,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "amount": line.amount,
            }
            for line in q.lines.all()
        ],
    }


@router.get(
    "/documents", response=list[DocumentOut], summary="My orders and documents with their payment status"
)
def documents(request):
    _account(request)
    return [
        {
            "reference_document": d["reference_document"],
            "date": d["date"],
            "payment_status": d["payment_status"],
            "payment_status_label": str(d["payment_label"]),
            "requests": d["requests"],
            "invoiced": d["invoiced"],
        }
        for d in queries.documents(request.user)
    ]


class PortalArticleOut(Schema):
    id: int
    number: str
    title: str
    category: str
    body: str | None = None


def _article_row(a, *, body: bool = False) -> dict:
    return {
        "id": a.pk,
        "number": a.number,
        "title": a.title,
        "category": str(a.category),
        "body": a.body if body else None,
    }


@router.get("/articles", response=Page[PortalArticleOut], summary="Public help articles (search with q)")
def list_articles(request, q: str = "", limit: int = LIMIT, offset: int = OFFSET):
    from kefu.knowledge.queries import search

    _account(request)
    return page(
        search(request.user, q[:100]),
        limit=limit,
        offset=offset,
        present=lambda rows: [_article_row(a) for a in rows],
    )


@router.get(
    "/articles/suggest", response=list[PortalArticleOut], summary="Help articles for a request being typed"
)
def suggest_articles(request, text: str = ""):
    from kefu.knowledge.queries import suggest

    _account(request)
    return [_article_row(a) for a in suggest(request.user, text[:2000])]


@router.get(
    "/articles/{int:article_id}", response=PortalArticleOut, summary="One public help article (counts a view)"
)
def get_article(request, article_id: int):
    from kefu.core.errors import NotFound
    from kefu.knowledge.models import Article
    from kefu.knowledge.services import record_view

    _account(request)
    article = (
        Article.objects.readable_by(request.user).select_related("category").filter(pk=article_id).first()
    )
    if article is None:
        raise NotFound()
    record_view(article)
    return _article_row(article, body=True)


@router.post(
    "/articles/{int:article_id}/solved", response=dict, summary='"This solved it" (counted once per person)'
)
def article_solved(request, article_id: int):
    from kefu.knowledge.services import mark_solved

    _account(request)
    return {"counted": mark_solved(actor=request.user, article_id=article_id)}
