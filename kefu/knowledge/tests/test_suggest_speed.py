"""Suggestions while typing read the n-gram index per piece (LIMITed, cached a few minutes per
piece across users); what a user may read is decided afterwards, and every write is seen at once."""

from __future__ import annotations

import pytest

from kefu.core.search import matching_ids
from kefu.knowledge import queries, services
from kefu.knowledge.models import Category
from kefu.knowledge.tests.test_knowledge import kb  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_matching_ids_reads_the_index_alone_up_to_the_limit(kb):  # noqa: F811
    assert set(matching_ids(services.SEARCH_INDEX, "抽屉", limit=10)) == {kb["lock"].pk, kb["internal"].pk}
    assert len(matching_ids(services.SEARCH_INDEX, "抽屉", limit=1)) == 1
    assert matching_ids(services.SEARCH_INDEX, "  ", limit=5) == []


def test_a_staff_query_cached_first_never_shows_internal_articles_to_a_customer(kb, portal):  # noqa: F811
    text = "抽屉锁更换物料号"
    assert kb["internal"].pk in [a.pk for a in queries.suggest(portal.desk.assistant.user, text)]
    assert kb["internal"].pk not in [a.pk for a in queries.suggest(portal.user, text)]


def test_an_edit_or_a_new_article_is_suggested_at_once_despite_the_cache(kb, portal):  # noqa: F811
    staff = portal.desk.assistant.user
    text = "沙发坐垫塌陷"
    assert queries.suggest(portal.user, text) == []  # cached: these pieces are nowhere
    services.update_article(
        actor=staff, article=kb["chair"], expected_version=None, body="沙发坐垫塌陷：更换海绵。"
    )
    assert [a.pk for a in queries.suggest(portal.user, text)] == [kb["chair"].pk]
    made = services.create_article(
        actor=staff,
        title="坐垫塌陷的保修",
        body="沙发坐垫塌陷在保修期内免费处理。",
        category=Category.objects.get(code="care"),
        visibility="public",
    )
    assert made.pk in [a.pk for a in queries.suggest(portal.user, text)]
    services.update_article(actor=staff, article=made, expected_version=None, visibility="internal")
    assert made.pk not in [a.pk for a in queries.suggest(portal.user, text)]


def test_only_the_latest_pieces_count_and_rows_are_read_once(kb, portal, django_assert_max_num_queries):  # noqa: F811
    long_text = "请问您好" * 50 + "办公椅气杆下沉"
    assert len(queries._pieces(long_text, limit=queries.SUGGEST_PIECES)) <= queries.SUGGEST_PIECES
    queries.suggest(portal.user, long_text)  # warm
    with django_assert_max_num_queries(4):  # scope, newest id, the ranked rows (pieces cached)
        suggested = queries.suggest(portal.user, long_text)
    assert suggested and suggested[0].pk == kb["chair"].pk
