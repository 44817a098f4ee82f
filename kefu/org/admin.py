from django.contrib import admin

from kefu.org import models


@admin.register(models.SalesOrganization, models.DistributionChannel, models.Division, models.BusinessArea)
class CodedAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_active"]
    search_fields = ["code", "name"]


@admin.register(models.Department)
class DepartmentAdmin(CodedAdmin):
    list_display = ["code", "name", "kind", "mailbox", "sales_organization", "is_active"]
    list_filter = ["kind", "sales_organization"]


@admin.register(models.SalesOffice)
class SalesOfficeAdmin(CodedAdmin):
    list_display = ["code", "name", "sales_organization", "business_area", "is_active"]
    list_filter = ["sales_organization"]


@admin.register(models.SalesGroup)
class SalesGroupAdmin(CodedAdmin):
    list_display = ["code", "name", "sales_office", "is_active"]


@admin.register(models.WorkCentre)
class WorkCentreAdmin(CodedAdmin):
    list_display = ["code", "name", "sales_office", "department", "is_active"]
    list_filter = ["sales_office"]


@admin.register(models.Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["code", "group", "data_scope"]
    search_fields = ["code", "group__name"]


@admin.register(models.Staff)
class StaffAdmin(admin.ModelAdmin):
    list_display = ["personnel_number", "name", "department", "title", "is_active"]
    list_filter = ["department", "is_active", "sales_offices"]
    search_fields = ["personnel_number", "name", "user__username"]
    filter_horizontal = ["sales_offices", "work_centres"]
    raw_id_fields = ["user"]
