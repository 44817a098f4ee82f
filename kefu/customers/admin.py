"""Configuration an administrator edits: grade rules, warning rules, tier strategies; read-only archive."""

from django.contrib import admin

from kefu.customers.models import AnomalyRule, Customer, GradeRule, PersonalDataAccess, TierStrategy


@admin.register(GradeRule)
class GradeRuleAdmin(admin.ModelAdmin):
    list_display = [
        "grade",
        "min_cooperation_years",
        "min_volume",
        "min_satisfaction",
        "min_loyalty",
        "is_active",
    ]


@admin.register(AnomalyRule)
class AnomalyRuleAdmin(admin.ModelAdmin):
    list_display = ["kind", "threshold", "is_active"]


@admin.register(TierStrategy)
class TierStrategyAdmin(admin.ModelAdmin):
    list_display = ["tier", "strategy"]


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "action", "customer", "reason"]
    list_select_related = ["user", "customer"]
    raw_id_fields = ["customer", "user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    """Read-only here: changes go through the archive pages so they are versioned and in the history."""

    list_display = ["number", "name", "sales_office", "grade", "tier"]
    search_fields = ["=number"]
    show_full_result_count = False
    list_select_related = ["sales_office"]
    raw_id_fields = ["sales_office", "responsible", "key_account_manager", "grade_override_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
