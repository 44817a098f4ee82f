"""`manage.py generate --articles N`: searchable articles with fresh planner statistics."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_generated_articles_are_searchable_and_analysed():
    from kefu.core.search import substring_filter
    from kefu.knowledge.models import Article, Category
    from kefu.knowledge.services import SEARCH_INDEX

    Category.objects.get_or_create(code="care", defaults={"name": "使用与保养", "order": 20})
    from kefu.knowledge import generate

    assert generate.run({"articles": 40}, {}) == 40  # the knowledge part of `manage.py generate`
    assert Article.objects.count() == 40
    found = list(substring_filter(Article.objects.all(), "办公", index=SEARCH_INDEX))
    assert found and all("办公" in a.title or "办公" in a.body for a in found)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL "
                "AND relname IN ('knowledge_article', 'search_knowledge')"
            )
            assert {row[0] for row in cursor.fetchall()} == {"knowledge_article", "search_knowledge"}
        else:
            cursor.execute("SELECT tbl FROM sqlite_stat1 WHERE tbl = 'knowledge_article'")
            assert cursor.fetchall()
