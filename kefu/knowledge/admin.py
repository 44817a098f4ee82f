from django.contrib import admin

from kefu.knowledge.models import Article, ArticleVersion, Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "order"]
    search_fields = ["code", "name"]


class VersionInline(admin.TabularInline):
    model = ArticleVersion
    extra = 0
    can_delete = False
    fields = ["version", "title", "visibility", "note", "edited_by", "edited_at"]
    readonly_fields = fields


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    """Read-only here: articles change through the knowledge pages, which keep versions and the index."""

    list_display = ["number", "title", "category", "visibility", "is_published", "views", "solved"]
    list_filter = ["category", "visibility", "is_published"]
    search_fields = ["number", "title"]
    inlines = [VersionInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
