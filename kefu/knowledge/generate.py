"""`manage.py generate --articles N`: N knowledge articles (mostly public) with search index rows,
for the knowledge-base benchmarks."""

from __future__ import annotations

ORDER = 60

TOPICS = ["办公桌", "文件柜", "会议桌", "办公椅", "沙发", "书架", "屏风", "升降桌", "茶几", "床垫"]
FAULTS = ["损坏", "松动", "划伤", "卡顿", "异响", "断裂", "开线", "打不开", "缺件", "变形", "下沉", "掉漆"]
ACTIONS = ["安装步骤", "保养方法", "维修说明", "更换配件", "常见问题", "送货须知"]


def add_arguments(parser) -> None:
    parser.add_argument("--articles", type=int, default=0, help="How many knowledge articles to make.")


def run(options, ctx) -> int:
    total = options.get("articles") or 0
    if not total:
        return 0
    import random

    from django.db import transaction

    from kefu.core.numbering import next_number
    from kefu.core.search import index_documents
    from kefu.knowledge.models import Article, Category
    from kefu.knowledge.services import SEARCH_INDEX, search_document

    rng = random.Random(13)
    categories = list(Category.objects.all())
    made = 0
    while made < total:
        batch = min(5000, total - made)
        with transaction.atomic():
            numbers = next_number(
                "knowledge.article", count=batch, defaults={"name": "知识文章", "next_value": 10001}
            )
            rows = []
            for number in numbers:
                topic, fault, action = rng.choice(TOPICS), rng.choice(FAULTS), rng.choice(ACTIONS)
                rows.append(
                    Article(
                        number=number,
                        title=f"{topic}{fault}的{action}（{number}）",
                        body=f"{topic}出现{fault}时：先检查连接件和螺丝，再按说明书调整。{action}见附图。编号{number}。",
                        keywords=f"{topic} {fault}",
                        category=rng.choice(categories),
                        visibility="public" if rng.random() < 0.8 else "internal",
                        views=rng.randint(0, 500),
                        solved=rng.randint(0, 50),
                    )
                )
            created = Article.objects.bulk_create(rows)
            for article in created:
                article.category = next(c for c in categories if c.pk == article.category_id)
            index_documents(SEARCH_INDEX, [(a.pk, search_document(a)) for a in created])
        made += batch
    # Fresh statistics: without them PostgreSQL misjudged "public articles" as a few rows and
    # joined all 80,000 of them to the grams (a portal search took 550 ms instead of 20).
    from kefu.core.bulkload import analyze
    from kefu.core.search import analyze_index

    analyze(Article._meta.db_table)
    analyze_index(SEARCH_INDEX)
    from django.core.cache import cache

    from kefu.knowledge.queries import VERSION_KEY

    cache.delete(VERSION_KEY)
    if ctx.get("stdout"):
        ctx["stdout"].write(f"    articles: {made}")
    return made
