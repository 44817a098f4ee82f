from django.contrib import admin

from kefu.catalog.models import ColourCode, Material, ProductType, ReasonCode


@admin.register(ProductType, ColourCode)
class TwoLevelAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "parent", "is_active"]
    list_filter = ["is_active", "parent"]
    search_fields = ["code", "name"]


@admin.register(ReasonCode)
class ReasonCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_active"]
    search_fields = ["code", "name"]


@admin.register(Material)
class MaterialAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit", "price", "product_type", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]
