"""Configuration in the admin: time limits, loss thresholds, carriers; records are read-mostly here."""

from django.contrib import admin

from kefu.complaints import models


@admin.register(models.StepTimeLimit)
class StepTimeLimitAdmin(admin.ModelAdmin):
    list_display = [
        "status",
        "severity",
        "customer_tier",
        "customer_grade",
        "minutes",
        "mode",
        "manager_after_minutes",
        "calendar",
    ]
    list_filter = ["status__profile", "mode"]


@admin.register(models.AccidentThreshold)
class AccidentThresholdAdmin(admin.ModelAdmin):
    list_display = ["severity", "amount", "report_to_kind", "report_to_role", "description"]


class TrainingInline(admin.TabularInline):
    model = models.CarrierTraining
    extra = 0


class AppraisalInline(admin.TabularInline):
    model = models.CarrierAppraisal
    extra = 0


@admin.register(models.Carrier)
class CarrierAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "status", "cooperation_since", "contract_until"]
    search_fields = ["code", "name"]
    list_filter = ["status"]
    inlines = [TrainingInline, AppraisalInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "name" in form.changed_data:  # accidents are found by their carrier's name
            from kefu.complaints.services import _reindex_carrier_accidents

            _reindex_carrier_accidents(obj)


@admin.register(models.Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "subject",
        "status",
        "customer",
        "received_at",
        "step_deadline",
        "escalation_level",
    ]
    search_fields = ["number", "subject"]
    raw_id_fields = ["customer", "owner", "notification", "material", "created_by", "decided_by"]
    list_filter = ["is_open", "severity", "content_class"]

    def has_change_permission(self, request, obj=None):
        return False  # changes go through the services (timeline, clocks)


@admin.register(models.Accident)
class AccidentAdmin(admin.ModelAdmin):
    list_display = ["number", "kind", "status", "occurred_at", "estimated_loss", "severity"]
    search_fields = ["number", "shipment"]
    list_filter = ["is_open", "kind", "severity"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(models.Escalation)
class EscalationAdmin(admin.ModelAdmin):
    list_display = ["status_code", "level", "deadline", "escalated_at", "complaint", "accident"]
    list_filter = ["level"]
    raw_id_fields = ["complaint", "accident"]
