from django.contrib import admin

from kefu.workflow.models import Status, StatusProfile, Transition


class StatusInline(admin.TabularInline):
    model = Status
    extra = 0


class TransitionInline(admin.TabularInline):
    model = Transition
    fk_name = "profile"
    extra = 0
    autocomplete_fields = ["allowed_roles"]


@admin.register(StatusProfile)
class StatusProfileAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]
    inlines = [StatusInline, TransitionInline]


@admin.register(Status)
class StatusAdmin(admin.ModelAdmin):
    list_display = ["profile", "code", "name", "customer_label", "stage", "order", "is_initial"]
    list_filter = ["profile", "stage"]
    search_fields = ["code", "name"]
