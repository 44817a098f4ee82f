from django.contrib import admin

from kefu.reports.models import GradeBand, Indicator, ReportRecipient


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "kind",
        "formula",
        "applies_to",
        "weight",
        "zero_at",
        "full_at",
        "is_active",
    ]
    list_filter = ["kind", "applies_to", "is_active"]


@admin.register(GradeBand)
class GradeBandAdmin(admin.ModelAdmin):
    list_display = ["grade", "min_score", "label"]


@admin.register(ReportRecipient)
class ReportRecipientAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "is_active"]
