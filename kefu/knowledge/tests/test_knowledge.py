"""The knowledge base: versions, visibility, Chinese substring search through the n-gram index,
suggestions while typing, "this solved it" and the solution used on a notification."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from kefu.core.errors import ConcurrentUpdate, PermissionDenied, ValidationFailed
from kefu.knowledge import queries, services
from kefu.knowledge.models import Article, ArticleVersion, Category, SolutionLink

pytestmark = pytest.mark.django_db


@pytest.fixture
def kb(portal):
    author = portal.desk.assistant.user
    cats = {c.code: c for c in Category.objects.all()}
    lock = services.create_article(
        actor=author,
        title="抽屉打不开或锁坏了怎么办",
        body="请先确认钥匙是否为原配钥匙。锁芯转动但抽屉仍打不开，可能是卡扣移位。",
        category=cats["repair"],
        visibility="public",
        keywords="抽屉 锁 钥匙",
    )
    chair = services.create_article(
        actor=author,
        title="办公椅气杆下沉的原因",
        body="气杆下沉多因密封件老化。质保期内免费更换。",
        category=cats["care"],
        visibility="public",
        keywords="气杆 椅子",
    )
    internal = services.create_article(
        actor=author,
        title="勘察结束的填写要求",
        body="KCJS时必须填写勘察结果，抽屉锁更换写明物料号。",
        category=cats["internal"],
        visibility="internal",
    )
    return {"lock": lock, "chair": chair, "internal": internal, "author": author}


def test_every_edit_is_a_version_and_a_stale_edit_is_refused(kb):
    article = kb["lock"]
    services.update_article(
        actor=kb["author"],
        article=article,
        expected_version=1,
        note="补充",
        body=article.body + "可联系客服。",
    )
    assert list(ArticleVersion.objects.filter(article=article).values_list("version", flat=True)) == [2, 1]
    assert ArticleVersion.objects.get(article=article, version=1).body.endswith("卡扣移位。")
    with pytest.raises(ConcurrentUpdate):
        services.update_article(
            actor=kb["author"], article=Article.objects.get(pk=article.pk), expected_version=1, title="旧"
        )
    assert Article.objects.get(pk=article.pk).title == "抽屉打不开或锁坏了怎么办"
    with pytest.raises(ValidationFailed) as exc:
        services.update_article(actor=kb["author"], article=article, expected_version=None, title="  ")
    assert "title" in exc.value.fields


def test_search_finds_chinese_substrings_and_keeps_internal_articles_from_customers(kb, portal):
    staff = portal.desk.assistant.user
    assert {a.pk for a in queries.search(staff, "锁坏")} == {kb["lock"].pk}
    assert {a.pk for a in queries.search(staff, "抽屉锁更换")} == {kb["internal"].pk}
    assert {a.pk for a in queries.search(staff, "抽屉")} == {kb["lock"].pk, kb["internal"].pk}
    assert {a.pk for a in queries.search(portal.user, "抽屉")} == {kb["lock"].pk}  # public only
    assert {a.pk for a in queries.search(staff, "气杆")} == {kb["chair"].pk}
    # An edit is searchable at once; the old text is not.
    services.update_article(
        actor=staff, article=kb["chair"], expected_version=None, body="升降椅缓慢下降的处理方法"
    )
    assert {a.pk for a in queries.search(staff, "缓慢下降")} == {kb["chair"].pk}
    assert not queries.search(staff, "密封件").exists()


def test_suggestions_while_typing_rank_the_matching_article_first(kb, portal):
    suggested = queries.suggest(portal.user, "您好，我们办公室的椅子气杆下沉了，坐下就降到最低")
    assert suggested and suggested[0].pk == kb["chair"].pk
    assert kb["internal"].pk not in [a.pk for a in queries.suggest(portal.user, "抽屉锁更换物料号")]
    assert kb["internal"].pk in [
        a.pk for a in queries.suggest(portal.desk.assistant.user, "抽屉锁更换物料号")
    ]
    assert queries.suggest(portal.user, "   ") == []


def test_portal_suggest_page_and_help_centre(customer_client, kb):
    html = customer_client.get(
        reverse("portal:kb_suggest"), {"description": "抽屉打不开，钥匙转不动"}
    ).content.decode()
    assert kb["lock"].title in html and kb["internal"].title not in html
    assert (
        customer_client.get(reverse("portal:kb_article", kwargs={"pk": kb["internal"].pk})).status_code == 404
    )
    page = customer_client.get(reverse("portal:kb"), {"q": "气杆"}).content.decode()
    assert kb["chair"].title in page and kb["lock"].title not in page


def test_views_count_once_per_session_and_solved_once_per_person(customer_client, kb, portal):
    url = reverse("portal:kb_article", kwargs={"pk": kb["lock"].pk})
    customer_client.get(url)
    customer_client.get(url)
    assert Article.objects.get(pk=kb["lock"].pk).views == 1
    solved = reverse("portal:kb_solved", kwargs={"pk": kb["lock"].pk})
    customer_client.post(solved)
    customer_client.post(solved)
    assert Article.objects.get(pk=kb["lock"].pk).solved == 1
    assert services.mark_solved(actor=portal.desk.assistant.user, article_id=kb["lock"].pk) is True
    assert Article.objects.get(pk=kb["lock"].pk).solved == 2


def test_the_solution_used_is_linked_on_the_notification(kb, portal):
    n = portal.desk.z1(description="活动柜抽屉锁坏")
    desk = Client(HTTP_HOST="127.0.0.1")
    desk.force_login(portal.desk.assistant.user)
    page = desk.get(reverse("tickets:detail", kwargs={"pk": n.pk})).content.decode()
    assert 'id="knowledge"' in page and 'id="kb-panel-suggestions"' in page  # suggestions load after
    from urllib.parse import unquote

    panel = page[page.index('id="kb-panel-suggestions"') :]
    url = unquote(panel[panel.index('hx-get="') + 8 : panel.index('" hx-trigger')].replace("&amp;", "&"))
    suggested = desk.get(url).content.decode()
    assert f'data-article="{kb["lock"].number}"' in suggested
    assert reverse("knowledge:link", kwargs={"pk": n.pk}) in suggested  # "use as the solution"
    response = desk.post(reverse("knowledge:link", kwargs={"pk": n.pk}), {"article": kb["lock"].pk})
    assert response.status_code == 302
    desk.post(reverse("knowledge:link", kwargs={"pk": n.pk}), {"article": kb["lock"].pk})  # twice: once
    assert SolutionLink.objects.filter(notification=n).count() == 1
    assert Article.objects.get(pk=kb["lock"].pk).solved == 1
    page = desk.get(reverse("tickets:detail", kwargs={"pk": n.pk})).content.decode()
    assert f'data-solution="{kb["lock"].number}"' in page
    from kefu.core.errors import NotFound

    with pytest.raises(NotFound):  # another centre's notification
        services.link_solution(actor=portal.desk.outsider.user, notification=n, article_id=kb["lock"].pk)
    with pytest.raises(PermissionDenied):
        services.link_solution(actor=portal.user, notification=n, article_id=kb["lock"].pk)


def test_customers_and_readers_cannot_write(kb, portal):
    cat = Category.objects.first()
    with pytest.raises(PermissionDenied):
        services.create_article(actor=portal.user, title="x", body="y", category=cat)
    with pytest.raises(PermissionDenied):
        services.create_article(actor=portal.desk.technician.user, title="x", body="y", category=cat)


def test_staff_pages_and_api(kb, portal):
    desk = Client(HTTP_HOST="127.0.0.1")
    desk.force_login(portal.desk.assistant.user)
    listing = desk.get(reverse("knowledge:list"), {"q": "抽屉"}).content.decode()
    assert (
        kb["lock"].title in listing and kb["internal"].title in listing and kb["chair"].title not in listing
    )
    created = desk.post(
        reverse("knowledge:create"),
        {
            "title": "送货时间",
            "category": Category.objects.get(code="delivery").pk,
            "visibility": "public",
            "body": "三到五天",
            "is_published": "on",
        },
    )
    assert created.status_code == 302
    api = desk.get("/api/v1/knowledge/articles", {"q": "送货"}).json()
    assert [a["title"] for a in api["items"]] == ["送货时间"] and api["items"][0]["category"] == "delivery"
    article = api["items"][0]
    patched = desk.patch(
        f"/api/v1/knowledge/articles/{article['id']}",
        {"version": article["version"], "body": "三到五个工作日"},
        content_type="application/json",
    )
    assert patched.status_code == 200 and patched.json()["version"] == 2
    stale = desk.patch(
        f"/api/v1/knowledge/articles/{article['id']}",
        {"version": 1, "title": "旧"},
        content_type="application/json",
    )
    assert stale.status_code == 409
    bad = desk.post(
        "/api/v1/knowledge/articles",
        {"title": "", "category": "nope", "body": "x"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    edit = desk.get(reverse("knowledge:edit", kwargs={"pk": kb["lock"].pk}))
    assert edit.status_code == 200


def test_staff_get_suggestions_while_writing_a_notification(kb, portal):
    desk = Client(HTTP_HOST="127.0.0.1")
    desk.force_login(portal.desk.assistant.user)
    form = desk.get(reverse("tickets:create")).content.decode()
    assert (
        f'hx-get="{reverse("knowledge:suggest")}"' in form
        and 'hx-include="#id_description, #id_long_text"' in form
    )
    html = desk.get(
        reverse("knowledge:suggest"), {"description": "活动柜锁", "long_text": "抽屉打不开了"}
    ).content.decode()
    assert kb["lock"].title in html
    from kefu.core.testing.factories import make_staff

    reader = Client(HTTP_HOST="127.0.0.1")
    reader.force_login(make_staff(roles=["key_account"], offices=[portal.desk.org.office_a]).user)
    html = reader.get(reverse("knowledge:suggest"), {"q": "抽屉打不开", "for": "1"}).content.decode()
    assert kb["lock"].title in html and "knowledge/notifications/1/solution" not in html
