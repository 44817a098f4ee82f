from django.contrib import admin

from kefu.billing.models import Invoice, Quotation, QuotationLine, ServiceReport


class LineInline(admin.TabularInline):
    model = QuotationLine
    extra = 0


@admin.register(Quotation)
class QuotationAdmin(admin.ModelAdmin):
    list_display = ["number", "notification", "status", "total", "decided_at"]
    list_filter = ["status"]
    search_fields = ["number", "notification__number"]
    raw_id_fields = ["notification"]
    inlines = [LineInline]


@admin.register(ServiceReport)
class ServiceReportAdmin(admin.ModelAdmin):
    list_display = ["notification", "technician", "service_date", "accepted_by_customer"]
    raw_id_fields = ["notification", "quotation"]


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    list_display = ["number", "notification", "amount", "created_at"]
    search_fields = ["number"]
    raw_id_fields = ["notification", "quotation"]
