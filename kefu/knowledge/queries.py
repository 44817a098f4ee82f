"""Reading the knowledge base: search through the shared n-gram index (kefu.core.search),
suggestions for a text being typed, and what a notification page shows."""

from __future__ import annotations

import re
from collections import Counter

from django.db.models import QuerySet

from kefu.core.search import normalize, substring_filter
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


def suggest(user, text: str, *, limit: int = 5) -> list[Article]:
    """Articles for a request being typed: ranked by how many of its pieces they contain, rarer
    pieces weighing more; ties by "solved it" and views."""
    pieces = _pieces(text)
    if not pieces:
        return []
    base = Article.objects.readable_by(user)
    score: Counter[int] = Counter()
    for piece in pieces:
        ids = list(substring_filter(base, piece, index=SEARCH_INDEX).values_list("pk", flat=True)[:200])
        if not ids or len(ids) >= 200:
            continue  # nowhere, or everywhere: says nothing
        weight = 1.0 / len(ids) ** 0.5
        for pk in ids:
            score[pk] += weight
    if not score:
        return []
    best = [pk for pk, _s in score.most_common(limit * 3)]
    articles = {a.pk: a for a in base.filter(pk__in=best).select_related("category")}
    ranked = sorted(articles.values(), key=lambda a: (-score[a.pk], -a.solved, -a.views))
    return ranked[:limit]


def solutions_for(notification) -> list[SolutionLink]:
    return list(
        SolutionLink.objects.filter(notification=notification)
        .select_related("article")
        .order_by("created_at")
    )
