"""Reading the knowledge base: search through the shared n-gram index (kefu.core.search),
suggestions for a text being typed, and what a notification page shows."""

from __future__ import annotations

import hashlib
import re
import uuid
from collections import Counter

from django.core.cache import cache
from django.db.models import QuerySet

from kefu.core.search import matching_ids, normalize, substring_filter
from kefu.knowledge.models import Article, SolutionLink
from kefu.knowledge.services import SEARCH_INDEX

_RUN = re.compile(r"[\w]+")
# Pieces too common in requests to say anything about the matter.
_STOP = {
    "我们",
    "你们",
    "他们",
    "一个",
    "没有",
    "可以",
    "这个",
    "那个",
    "什么",
    "怎么",
    "已经",
    "还是",
    "不是",
    "但是",
    "因为",
    "所以",
    "如果",
    "现在",
    "今天",
    "请问",
    "谢谢",
    "您好",
    "你好",
    "麻烦",
    "一下",
    "时候",
    "问题",
}


def search(user, term: str = "", *, category: int | None = None) -> QuerySet:
    """Articles `user` may read containing `term` (any part of title, keywords, text)."""
    qs: QuerySet = Article.objects.readable_by(user).select_related("category")
    if category:
        qs = qs.filter(category_id=category)
    if term and normalize(term):
        qs = substring_filter(qs, term, index=SEARCH_INDEX)
    return qs.order_by("-solved", "-views", "-id")


def _pieces(text: str, limit: int = 16) -> list[str]:
    """Search pieces of a free text: Latin/digit words whole, Chinese runs as 2-character pieces
    (no dictionary needed); the latest typed first, common pieces left out."""
    found: list[str] = []
    for run in _RUN.findall(text or ""):
        run = normalize(run)
        if not run:
            continue
        if run.isascii():
            if len(run) >= 3:
                found.append(run)
            continue
        found.extend(run[i : i + 2] for i in range(len(run) - 1))
    seen: list[str] = []
    for piece in reversed(found):
        if piece not in seen and piece not in _STOP:
            seen.append(piece)
    return seen[:limit]


SUGGEST_PIECES = 16  # the latest typed pieces of the text (the same as a full text search would use)
PIECE_CAP = 200  # a piece in more articles than this says nothing about the matter
PIECE_TTL = 300  # seconds a piece's articles are kept (a new version of the index drops them at once)
VERSION_KEY = "knowledge:index-version"


def index_version() -> str:
    """Changes whenever an article is written (kefu.knowledge.services.reindex drops the cached
    token) or added in bulk (the highest id: one index lookup)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex[:12]
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    newest = Article.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return f"{version}.{newest}"


def _piece_ids(pieces: list[str]) -> dict[str, list[int] | None]:
    """Each piece's articles (None: in too many to matter), from the cache or the n-gram index.

    Safe to share between users: the ids are of the whole index, and what a user may read is
    decided afterwards by `readable_by`, on the few ranked ids only."""
    version = index_version()
    # A digest, not the text: a piece may be long, or hold what no cache key should (spaces, NULs).
    keys = {
        piece: f"knowledge:piece:{version}:{hashlib.blake2b(piece.encode(), digest_size=12).hexdigest()}"
        for piece in pieces
    }
    found = cache.get_many(list(keys.values()))
    result: dict[str, list[int] | None] = {}
    fresh: dict[str, object] = {}
    for piece, key in keys.items():
        if key in found:
            value = found[key]
        else:
            ids = matching_ids(SEARCH_INDEX, piece, limit=PIECE_CAP + 1)
            value = "*" if len(ids) > PIECE_CAP else ids
            fresh[key] = value
        result[piece] = None if value == "*" else list(value)
    if fresh:
        cache.set_many(fresh, PIECE_TTL)
    return result


def suggest(user, text: str, *, limit: int = 5) -> list[Article]:
    """Articles for a request being typed: ranked by how many of its pieces they contain, rarer
    pieces weighing more; ties by "solved it" and views.

    Fast while typing at 100,000 articles: only the latest `SUGGEST_PIECES` pieces count, each
    piece is one LIMITed read of the n-gram index (kept a few minutes per piece, so the next
    keystroke reuses all but the newest), and only the few best ids are read as rows."""
    pieces = _pieces(text, limit=SUGGEST_PIECES)
    if not pieces:
        return []
    score: Counter[int] = Counter()
    for ids in _piece_ids(pieces).values():
        if not ids:
            continue  # nowhere, or everywhere: says nothing
        weight = 1.0 / len(ids) ** 0.5
        for pk in ids:
            score[pk] += weight
    if not score:
        return []
    best = [pk for pk, _s in score.most_common(limit * 6)]
    articles = {
        a.pk: a
        for a in Article.objects.readable_by(user)
        .filter(pk__in=best)
        .select_related("category")
        .only("id", "number", "title", "solved", "views", "category__name")
    }
    ranked = sorted(articles.values(), key=lambda a: (-score[a.pk], -a.solved, -a.views))
    return ranked[:limit]


def desk_panel(notification, user, *, has_solutions: bool = True) -> dict:
    """The knowledge card of the notification page: solutions used, else suggestions (loaded after
    the page by htmx) and the form to record one; no query when the page knows there is none."""
    may_read = user.has_perm("knowledge.view_article")
    return {
        "may_read": may_read,
        "solutions": solutions_for(notification) if may_read and has_solutions else [],
        "suggest_text": f"{notification.description} {notification.long_text[-500:]}",
        "link_to": notification.pk if user.has_perm("tickets.change_notification") else None,
    }


def solutions_for(notification) -> list[SolutionLink]:
    """The solutions used on a notification (its page asks on every view: prepared once)."""
    from kefu.core import prepared

    return prepared.fetch(
        "knowledge.solutions_for",
        lambda pk: (
            SolutionLink.objects.filter(notification_id=pk)
            .select_related("article")
            .order_by("created_at", "id")
        ),
        pk=notification.pk,
    )
