"""Knowledge base pages: the desk's (/knowledge/) and the customer's (/portal/help/)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.errors import KefuError, NotFound
from kefu.core.forms import apply_error
from kefu.core.paging import BoundedPage
from kefu.core.validation import query_int
from kefu.knowledge import queries, services
from kefu.knowledge.forms import ArticleForm, LinkForm
from kefu.knowledge.models import Article, Category
from kefu.portal.views import portal_view

_SEEN = "kb_seen"


def _readable(request, pk) -> Article:
    article = Article.objects.readable_by(request.user).select_related("category").filter(pk=pk).first()
    if article is None:
        raise Http404
    return article


def _count_view(request, article: Article) -> None:
    """One view per article and session: reloading a page does not inflate the count."""
    seen = request.session.get(_SEEN, [])
    if article.pk not in seen:
        services.record_view(article)
        request.session[_SEEN] = [*seen[-199:], article.pk]


def _category(request) -> int | None:
    return query_int(request.GET.get("category"))


# --- the desk ----------------------------------------------------------------------------------


@login_required
@permission_required("knowledge.view_article", raise_exception=True)
def article_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:100]
    page = BoundedPage(queries.search(request.user, q, category=_category(request)), request.GET.get("page"))
    return render(
        request,
        "knowledge/list.html",
        {"page": page, "q": q, "categories": Category.objects.all(), "category": _category(request)},
    )


@login_required
@permission_required("knowledge.view_article", raise_exception=True)
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = _readable(request, pk)
    _count_view(request, article)
    versions = list(article.versions.select_related("edited_by")[:50])
    return render(request, "knowledge/detail.html", {"article": article, "versions": versions})


@login_required
@permission_required("knowledge.add_article", raise_exception=True)
def article_create(request: HttpRequest) -> HttpResponse:
    form = ArticleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("note", None)
        try:
            article = services.create_article(actor=request.user, **data)
        except KefuError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Article %(number)s saved.") % {"number": article.number})
            return redirect("knowledge:detail", pk=article.pk)
    return render(request, "knowledge/form.html", {"form": form})


@login_required
@permission_required("knowledge.change_article", raise_exception=True)
def article_edit(request: HttpRequest, pk: int) -> HttpResponse:
    article = _readable(request, pk)
    form = ArticleForm(request.POST or None, instance=Article.objects.get(pk=article.pk))
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in services.EDITABLE}
        version = request.POST.get("version", "")
        try:
            services.update_article(
                actor=request.user,
                article=article,
                expected_version=query_int(version),
                note=form.cleaned_data.get("note", ""),
                **data,
            )
        except KefuError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Article %(number)s saved.") % {"number": article.number})
            return redirect("knowledge:detail", pk=article.pk)
    return render(request, "knowledge/form.html", {"form": form, "article": article})


@login_required
@permission_required("knowledge.view_article", raise_exception=True)
def suggest(request: HttpRequest) -> HttpResponse:
    """htmx: articles for the text being typed in a notification (all the desk may read)."""
    text = " ".join(request.GET.get(k, "") for k in ("description", "long_text", "q"))[:2000]
    target = request.GET.get("for", "")
    link_to = query_int(target) if request.user.has_perm("tickets.change_notification") else None
    return render(
        request,
        "knowledge/partials/suggestions.html",
        {
            "articles": queries.suggest(request.user, text),
            "article_url": "knowledge:detail",
            "link_to": link_to,
        },
    )


@login_required
@permission_required("tickets.change_notification", raise_exception=True)
@require_POST
def link_solution(request: HttpRequest, pk: int) -> HttpResponse:
    from kefu.tickets.services import access_notification

    try:
        n = access_notification(request.user, pk)
    except NotFound:
        raise Http404 from None
    form = LinkForm(request.POST)
    if form.is_valid():
        try:
            services.link_solution(
                actor=request.user, notification=n, article_id=form.cleaned_data["article"]
            )
        except KefuError as exc:
            messages.error(request, str(exc.fields.get("article", [exc])[0]))
        else:
            messages.success(request, _("The article is recorded as the solution used."))
    else:
        messages.error(request, _("Choose an article."))
    return redirect(f"{reverse('tickets:detail', kwargs={'pk': n.pk})}#knowledge")


@login_required
@permission_required("knowledge.view_article", raise_exception=True)
@require_POST
def solved(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.mark_solved(actor=request.user, article_id=pk)
    except NotFound:
        raise Http404 from None
    messages.success(request, _("Thank you for your feedback."))
    return redirect("knowledge:detail", pk=pk)


# --- the customer (portal) -----------------------------------------------------------------------


@portal_view
def portal_search(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:100]
    page = BoundedPage(
        queries.search(request.user, q, category=_category(request)), request.GET.get("page"), per_page=20
    )
    return render(
        request,
        "knowledge/portal_list.html",
        {"page": page, "q": q, "categories": Category.objects.all(), "category": _category(request)},
    )


@portal_view
def portal_article(request: HttpRequest, pk: int) -> HttpResponse:
    article = _readable(request, pk)
    _count_view(request, article)
    return render(request, "knowledge/portal_detail.html", {"article": article})


@portal_view
@require_POST
def portal_solved(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.mark_solved(actor=request.user, article_id=pk)
    except NotFound:
        raise Http404 from None
    messages.success(request, _("Thank you for your feedback."))
    return redirect("portal:kb_article", pk=pk)


@portal_view
def portal_suggest(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("description", "")[:2000]
    return render(
        request,
        "knowledge/partials/suggestions.html",
        {"articles": queries.suggest(request.user, text), "article_url": "portal:kb_article"},
    )
