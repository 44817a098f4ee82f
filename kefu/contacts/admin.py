from django.contrib import admin

from kefu.contacts.models import CallList, ContactPolicy, CtiSource


@admin.register(ContactPolicy)
class ContactPolicyAdmin(admin.ModelAdmin):
    list_display = ["channel", "answer_minutes", "repeat_days"]


@admin.register(CtiSource)
class CtiSourceAdmin(admin.ModelAdmin):
    list_display = ["key", "name", "is_active"]


@admin.register(CallList)
class CallListAdmin(admin.ModelAdmin):
    list_display = ["name", "purpose", "sales_office", "calling_from", "calling_until", "is_open"]
